-- SMS and WhatsApp templates for the booking, order and refund events that had in-app and email only: each event the
-- product tells people about now reaches every channel the recipient allows. The DLT ids are placeholders, as V30's:
-- an operator puts the ids DLT registered (PUT /admin/notification-templates/{event}/{channel}).
insert into notification_template (event, channel, template, language, variables, text) values
    ('booking-requested', 'SMS', '1207170000000000109', null, '["when"]', 'New Parley booking request for {#var#}. Accept or reject it in the app.'),
    ('booking-requested', 'WHATSAPP', 'booking_requested', 'en', '["when"]', 'New Parley booking request for {{1}}. Accept or reject it in the app.'),
    ('booking-accepted', 'SMS', '1207170000000000110', null, '["when"]', 'Your Parley booking for {#var#} is confirmed.'),
    ('booking-accepted', 'WHATSAPP', 'booking_accepted', 'en', '["when"]', 'Your Parley booking for {{1}} is confirmed.'),
    ('booking-rejected', 'SMS', '1207170000000000111', null, '["when"]', 'Your Parley booking for {#var#} was declined; the amount held is back in your wallet.'),
    ('booking-rejected', 'WHATSAPP', 'booking_rejected', 'en', '["when"]', 'Your Parley booking for {{1}} was declined; the amount held is back in your wallet.'),
    ('booking-cancelled', 'SMS', '1207170000000000112', null, '["when"]', 'Your Parley booking for {#var#} was cancelled. Details in the app.'),
    ('booking-cancelled', 'WHATSAPP', 'booking_cancelled', 'en', '["when"]', 'Your Parley booking for {{1}} was cancelled. Details in the app.'),
    ('ORDER_ASSIGNED', 'SMS', '1207170000000000113', null, '["service"]', 'A Parley report order for {#var#} is assigned to you.'),
    ('ORDER_ASSIGNED', 'WHATSAPP', 'order_assigned', 'en', '["service"]', 'A Parley report order for {{1}} is assigned to you.'),
    ('ORDER_CANCELLED', 'SMS', '1207170000000000114', null, '["service"]', 'Your Parley order for {#var#} was cancelled. Any refund is in your wallet.'),
    ('ORDER_CANCELLED', 'WHATSAPP', 'order_cancelled', 'en', '["service"]', 'Your Parley order for {{1}} was cancelled. Any refund is in your wallet.'),
    ('REFUND_PROCESSED', 'SMS', '1207170000000000115', null, '["amount"]', 'Parley: {#var#} is being refunded to your payment method.'),
    ('REFUND_PROCESSED', 'WHATSAPP', 'refund_processed', 'en', '["amount"]', 'Parley: {{1}} is being refunded to your payment method.'),
    ('REFUND_FAILED', 'SMS', '1207170000000000116', null, '["amount"]', 'Parley: the refund of {#var#} failed; the amount is back in your wallet.'),
    ('REFUND_FAILED', 'WHATSAPP', 'refund_failed', 'en', '["amount"]', 'Parley: the refund of {{1}} failed; the amount is back in your wallet.');
