-- Every notification channel through one outbox: SMS (MSG91) and WhatsApp (Cloud API) beside in-app and email,
-- templates per event and channel, preferences per account, delivery status from the providers, broadcasts.

-- What each account allows (in-app is always on). No row: the defaults (transactional email, SMS and WhatsApp on,
-- marketing off until the person says yes).
create table notification_preference (
    account_id uuid primary key references account (id),
    email      boolean     not null default true,
    sms        boolean     not null default true,
    whatsapp   boolean     not null default true,
    marketing  boolean     not null default false,
    updated_at timestamptz not null
);

-- Templates of the channels whose providers need registered ones: SMS (template = the DLT template id that MSG91's
-- flow API takes as template_id) and WhatsApp (template = the approved template's name, with its language). The
-- variables are filled in order from the event's values (VAR1.. for MSG91, body parameters for WhatsApp).
create table notification_template (
    event       varchar(64)  not null,
    channel     varchar(16)  not null check (channel in ('SMS', 'WHATSAPP')),
    template    varchar(100) not null,
    language    varchar(16),
    variables   jsonb        not null default '[]',
    text        varchar(1000) not null,
    updated_at  timestamptz  not null default now(),
    primary key (event, channel)
);

insert into notification_template (event, channel, template, language, variables, text) values
    ('DEPOSIT_PAID', 'SMS', '1207170000000000101', null, '["amount"]', 'Rs {#var#} has been added to your Parley wallet.'),
    ('DEPOSIT_PAID', 'WHATSAPP', 'deposit_paid', 'en', '["amount"]', '{{1}} has been added to your Parley wallet.'),
    ('SESSION_ENDED', 'SMS', '1207170000000000102', null, '["minutes", "amount"]', 'Your Parley session has ended: {#var#} minutes, Rs {#var#}.'),
    ('SESSION_ENDED', 'WHATSAPP', 'session_ended', 'en', '["minutes", "amount"]', 'Your Parley session has ended: {{1}} minutes, {{2}}.'),
    ('PAYOUT_PAID', 'SMS', '1207170000000000103', null, '["amount"]', 'Your Parley payout of Rs {#var#} has been paid.'),
    ('PAYOUT_PAID', 'WHATSAPP', 'payout_paid', 'en', '["amount"]', 'Your Parley payout of {{1}} has been paid.'),
    ('PAYOUT_FAILED', 'SMS', '1207170000000000104', null, '["amount"]', 'Your Parley payout of Rs {#var#} failed; the amount is back in your earnings.'),
    ('PAYOUT_FAILED', 'WHATSAPP', 'payout_failed', 'en', '["amount"]', 'Your Parley payout of {{1}} failed; the amount is back in your earnings.'),
    ('ORDER_DELIVERED', 'SMS', '1207170000000000105', null, '["service"]', 'Your Parley report for {#var#} is ready. Open the app to read it.'),
    ('ORDER_DELIVERED', 'WHATSAPP', 'order_delivered', 'en', '["service"]', 'Your Parley report for {{1}} is ready.'),
    ('booking-reminder', 'SMS', '1207170000000000106', null, '["when"]', 'Reminder: your Parley booking starts {#var#}.'),
    ('booking-reminder', 'WHATSAPP', 'booking_reminder', 'en', '["when"]', 'Reminder: your Parley booking starts {{1}}.'),
    ('remedy-reminder', 'SMS', '1207170000000000107', null, '["remedy"]', 'Parley reminder: time for your remedy {#var#}.'),
    ('remedy-reminder', 'WHATSAPP', 'remedy_reminder', 'en', '["remedy"]', 'Parley reminder: time for your remedy {{1}}.'),
    ('announcement', 'SMS', '1207170000000000108', null, '["title", "body"]', 'Parley: {#var#} {#var#}'),
    ('announcement', 'WHATSAPP', 'announcement', 'en', '["title", "body"]', '*{{1}}* {{2}}');

-- The outbox rows of SMS and WhatsApp carry what their provider is sent (template, its filled variables, the number),
-- fixed when the event happened; the provider's message id and the delivery status come back from its webhook.
alter table notification add column address varchar(254);
alter table notification add column template varchar(100);
alter table notification add column language varchar(16);
alter table notification add column variables jsonb;
alter table notification add column marketing boolean not null default false;
alter table notification add column provider_message_id varchar(200);
alter table notification add column delivery_status varchar(16) check (delivery_status in ('SENT', 'DELIVERED', 'READ', 'FAILED'));
alter table notification add column delivered_at timestamptz;
alter table notification add column delivery_error varchar(1000);
create unique index notification_provider_message_uk on notification (channel, provider_message_id) where provider_message_id is not null;
create index notification_failed_idx on notification (created_at desc) where status = 'FAILED';

-- Broadcasts: an admin's message to an audience, sent by the broadcast batch job; each recipient once per channel
-- (the notification's (account, channel, dedupe key) is unique and the key is the broadcast's).
create table broadcast (
    id           uuid primary key,
    audience     varchar(8)   not null check (audience in ('ALL', 'USERS', 'EXPERTS')),
    channels     jsonb        not null,
    template_key varchar(64)  not null,
    variables    jsonb        not null,
    marketing    boolean      not null,
    created_by   uuid         not null references account (id),
    audience_size integer     not null,
    processed    integer      not null default 0,
    created_at   timestamptz  not null,
    execution_id bigint
);
