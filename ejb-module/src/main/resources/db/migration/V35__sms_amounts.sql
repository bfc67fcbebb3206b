-- SMS variables carry amounts as "Rs 200.00" (the rupee sign is outside GSM-7 and would make every such SMS UCS-2), so the
-- SMS templates no longer put "Rs" before them ("Rs Rs 200.00").
update notification_template set text = replace(text, 'Rs {#var#}', '{#var#}'), updated_at = now()
where channel = 'SMS' and text like '%Rs {#var#}%';
