-- Report orders from a service catalog, coupons, referrals and free first minutes.

-- Three system accounts: report orders' money until they complete or are cancelled; the platform's marketing spend
-- (coupons, free minutes, referral bonuses); refunds on their way back to a payment source (the gateways issue).
alter table ledger_account drop constraint ledger_account_kind_check;
alter table ledger_account add constraint ledger_account_kind_check check (kind in ('WALLET', 'EARNINGS_PENDING',
    'EARNINGS_AVAILABLE', 'EXTERNAL', 'SESSION_ESCROW', 'PLATFORM_REVENUE', 'PAYOUT_CLEARING', 'ADJUSTMENTS', 'BOOKING_HOLD',
    'ORDER_ESCROW', 'PROMOTIONS', 'REFUND_CLEARING'));
alter table ledger_account drop constraint ledger_owned_kinds;
alter table ledger_account add constraint ledger_owned_kinds check ((owner_id is null) = (kind in ('EXTERNAL', 'SESSION_ESCROW',
    'PLATFORM_REVENUE', 'PAYOUT_CLEARING', 'ADJUSTMENTS', 'BOOKING_HOLD', 'ORDER_ESCROW', 'PROMOTIONS', 'REFUND_CLEARING')));
insert into ledger_account (id, kind) values
    ('00000000-0000-0000-0000-000000000007', 'ORDER_ESCROW'),
    ('00000000-0000-0000-0000-000000000008', 'PROMOTIONS'),
    ('00000000-0000-0000-0000-000000000009', 'REFUND_CLEARING');

insert into platform_setting (key, value) values
    ('freeFirstMinutes', 0),
    ('referralBonus', 5000);

-- Referrals and the "first" facts promotions hang on. Each first is set by one conditional update, so it happens once.
-- Every account has a referral code; the default (evaluated per row) serves existing rows and direct inserts.
alter table account add column referral_code varchar(16) not null default upper(substr(md5(gen_random_uuid()::text), 1, 8));
alter table account add column referred_by uuid references account (id);
alter table account add column first_session_at timestamptz;
alter table account add column first_paid_deposit_at timestamptz;
alter table account add constraint account_not_self_referred check (referred_by is null or referred_by <> id);
create unique index account_referral_code_uk on account (upper(referral_code));
create index account_referred_by_idx on account (referred_by) where referred_by is not null;
update account a set first_session_at = (select min(s.started_at) from live_session s where s.user_id = a.id);
update account a set first_paid_deposit_at = (select min(d.updated_at) from deposit d where d.account_id = a.id and d.status = 'PAID');

-- Free first minutes: how many of a session's periods PROMOTIONS pays (only ever on a user's first session).
alter table live_session add column free_periods integer not null default 0 check (free_periods >= 0);

-- The catalog: fixed-price services delivered as reports, each with the form an order must fill in.
create table catalog_service (
    id            uuid primary key,
    category      varchar(40)   not null,
    name          varchar(120)  not null,
    description   varchar(4000) not null default '',
    price         bigint        not null check (price > 0),
    delivery_days integer       not null check (delivery_days between 1 and 365),
    form_schema   jsonb         not null,
    active        boolean       not null default true,
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null
);
create index catalog_service_category_idx on catalog_service (upper(category), name);

-- Coupons. Their limits are the database's: uses can never pass total_limit (a check on the counter every claim
-- increments conditionally), and a user's uses can never pass the per-user limit copied into their counter row.
create table coupon (
    id             uuid primary key,
    code           varchar(40)  not null,
    kind           varchar(8)   not null check (kind in ('PERCENT', 'FLAT')),
    value          bigint       not null check (value > 0),
    max_discount   bigint check (max_discount > 0),
    min_amount     bigint       not null default 0 check (min_amount >= 0),
    valid_from     timestamptz  not null,
    valid_to       timestamptz  not null,
    total_limit    integer check (total_limit > 0),
    per_user_limit integer      not null check (per_user_limit > 0),
    applies_to     varchar(8)   not null check (applies_to in ('ORDERS', 'DEPOSITS')),
    active         boolean      not null default true,
    uses           integer      not null default 0,
    created_by     uuid         not null references account (id),
    created_at     timestamptz  not null,
    updated_at     timestamptz  not null,
    constraint coupon_percent_range check (kind <> 'PERCENT' or value <= 100),
    constraint coupon_window check (valid_from < valid_to),
    constraint coupon_uses_within_limit check (uses >= 0 and (total_limit is null or uses <= total_limit))
);
create unique index coupon_code_uk on coupon (upper(code));

create table coupon_user (
    coupon_id  uuid    not null references coupon (id),
    account_id uuid    not null references account (id),
    uses       integer not null,
    user_limit integer not null,
    primary key (coupon_id, account_id),
    constraint coupon_user_within_limit check (uses >= 0 and uses <= user_limit)
);

-- One row per use, naming what it discounted; released once (a cancelled order, a failed deposit).
create table coupon_redemption (
    id           uuid primary key,
    coupon_id    uuid        not null references coupon (id),
    account_id   uuid        not null references account (id),
    subject_kind varchar(8)  not null check (subject_kind in ('ORDER', 'DEPOSIT')),
    subject_id   uuid        not null,
    base_amount  bigint      not null check (base_amount > 0),
    discount     bigint      not null check (discount > 0 and discount <= base_amount),
    created_at   timestamptz not null,
    released_at  timestamptz,
    unique (subject_kind, subject_id)
);
create index coupon_redemption_coupon_idx on coupon_redemption (coupon_id, created_at);

alter table deposit add column coupon_id uuid references coupon (id);
alter table deposit add column bonus bigint not null default 0 check (bonus >= 0);

-- Orders. Money: price = amount (from the wallet) + discount (from PROMOTIONS), all in ORDER_ESCROW until the order
-- completes (settled like a session) or is cancelled (refunded, discount returned, the rest settled as retained).
create table report_order (
    id                   uuid primary key,
    service_id           uuid          not null references catalog_service (id),
    user_id              uuid          not null references account (id),
    expert_id            uuid references account (id),
    status               varchar(16)   not null check (status in ('NEW', 'ASSIGNED', 'IN_PROGRESS', 'DELIVERED', 'COMPLETED', 'CANCELLED')),
    price                bigint        not null check (price > 0),
    discount             bigint        not null default 0,
    amount               bigint        not null,
    coupon_id            uuid references coupon (id),
    form_data            jsonb         not null,
    expected_delivery_at timestamptz   not null,
    assigned_at          timestamptz,
    started_at           timestamptz,
    delivered_at         timestamptz,
    completed_at         timestamptz,
    completed_by         varchar(8) check (completed_by in ('USER', 'AUTO')),
    cancelled_at         timestamptz,
    cancelled_by         uuid references account (id),
    cancel_reason        varchar(500),
    refunded             bigint        not null default 0,
    settled_at           timestamptz,
    settled_gross        bigint,
    expert_net           bigint,
    deadline_alerted_at  timestamptz,
    created_at           timestamptz   not null,
    updated_at           timestamptz   not null,
    constraint report_order_money check (discount >= 0 and discount <= price and amount = price - discount
                                         and refunded >= 0 and refunded <= amount),
    constraint report_order_expert_when_working check (status in ('NEW', 'CANCELLED') or expert_id is not null),
    constraint report_order_settled check ((settled_at is null) = (settled_gross is null)
                                           and (expert_net is null or (expert_net >= 0 and expert_net <= settled_gross)))
);
create index report_order_user_idx on report_order (user_id, created_at desc);
create index report_order_expert_idx on report_order (expert_id, created_at desc) where expert_id is not null;
create index report_order_status_idx on report_order (status, created_at desc);
create index report_order_open_deadline_idx on report_order (expected_delivery_at) where status in ('NEW', 'ASSIGNED', 'IN_PROGRESS');
create index report_order_delivered_idx on report_order (delivered_at) where status = 'DELIVERED';
create index report_order_settled_idx on report_order (settled_at, expert_id) where expert_net is not null;

create table order_report (
    id          uuid primary key,
    order_id    uuid          not null references report_order (id),
    file_id     uuid          not null unique references stored_file (id),
    note        varchar(2000),
    uploaded_by uuid          not null references account (id),
    created_at  timestamptz   not null
);
create index order_report_order_idx on order_report (order_id, created_at);

-- Nightly settlement settles orders' earnings as it does sessions': a line is one session or one order, each once.
alter table settlement_line drop constraint settlement_line_pkey;
alter table settlement_line alter column session_id drop not null;
alter table settlement_line add column order_id uuid references report_order (id);
alter table settlement_line add constraint settlement_line_one_subject check (num_nonnulls(session_id, order_id) = 1);
create unique index settlement_line_session_uk on settlement_line (session_id);
create unique index settlement_line_order_uk on settlement_line (order_id);
