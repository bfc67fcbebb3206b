-- A second payment gateway (Cashfree) beside Razorpay, routing by fee, and refunds to the payment source.

insert into platform_setting (key, value) values
    ('razorpayFeeBasisPoints', 200),
    ('cashfreeFeeBasisPoints', 150),
    ('cashfreeFeeFixed', 300);

-- Which gateway a deposit's order lives at, and Cashfree's checkout session for it.
alter table deposit add column gateway varchar(16) not null default 'razorpay' check (gateway in ('razorpay', 'cashfree'));
alter table deposit add column payment_session_id varchar(200);

-- Refunds to the payment source: the wallet is debited into REFUND_CLEARING when the refund is asked for; the gateway's
-- answer, webhook or the janitor completes it (REFUND_CLEARING -> EXTERNAL) or fails it (back to the wallet), once.
create table deposit_refund (
    id                uuid primary key,
    deposit_id        uuid          not null references deposit (id),
    gateway           varchar(16)   not null,
    amount            bigint        not null check (amount > 0),
    status            varchar(16)   not null check (status in ('PENDING', 'PROCESSED', 'FAILED')),
    reason            varchar(500)  not null,
    gateway_refund_id varchar(100),
    requested_by      uuid          not null references account (id),
    last_error        varchar(1000),
    created_at        timestamptz   not null,
    updated_at        timestamptz   not null
);
create index deposit_refund_deposit_idx on deposit_refund (deposit_id, created_at);
create index deposit_refund_pending_idx on deposit_refund (updated_at) where status = 'PENDING';
create unique index deposit_refund_gateway_uk on deposit_refund (gateway, gateway_refund_id) where gateway_refund_id is not null;
