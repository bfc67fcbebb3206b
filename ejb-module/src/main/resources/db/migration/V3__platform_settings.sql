-- Runtime platform settings (GET/PATCH /admin/config). Every value is a whole number.
create table platform_setting (
    key        varchar(64) primary key,
    value      bigint      not null,
    updated_at timestamptz not null default now()
);
insert into platform_setting (key, value) values
    ('feePercent', 20),
    ('depositMin', 100),
    ('depositMax', 1000000),
    ('payoutMin', 50000),
    ('payoutMax', 5000000),
    ('billingPeriodSeconds', 60),
    ('lowBalanceMinutes', 3),
    ('graceSeconds', 30),
    ('maxSessionMinutes', 120),
    ('expertCapacity', 1),
    ('queueTimeoutSeconds', 600),
    ('disconnectTimeoutSeconds', 60);
