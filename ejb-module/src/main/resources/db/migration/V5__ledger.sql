-- The double-entry ledger. Money is bigint paise; every movement is one transfer from -> to of a positive amount.

create table ledger_account (
    id       uuid primary key,
    kind     varchar(32) not null check (kind in ('WALLET', 'EARNINGS_PENDING', 'EARNINGS_AVAILABLE', 'EXTERNAL',
                                                  'SESSION_ESCROW', 'PLATFORM_REVENUE', 'PAYOUT_CLEARING', 'ADJUSTMENTS')),
    owner_id uuid references account (id),
    -- Cached balance of an owned account, kept equal to its transfers by the ledger service (and checked by
    -- GET /admin/ledger/check). System accounts (no owner) never update this row: their balance is derived from
    -- the journal, so they are not a hot row touched by every transfer.
    balance  bigint      not null default 0,
    constraint ledger_owned_kinds check ((owner_id is null) = (kind in ('EXTERNAL', 'SESSION_ESCROW', 'PLATFORM_REVENUE',
                                                                        'PAYOUT_CLEARING', 'ADJUSTMENTS'))),
    -- No owned account is ever overdrawn, whatever the code does.
    constraint ledger_owned_never_negative check (owner_id is null or balance >= 0),
    constraint ledger_system_balance_unused check (owner_id is not null or balance = 0)
);
create unique index ledger_account_owned_uk on ledger_account (owner_id, kind) where owner_id is not null;
create unique index ledger_account_system_uk on ledger_account (kind) where owner_id is null;

insert into ledger_account (id, kind) values
    ('00000000-0000-0000-0000-000000000001', 'EXTERNAL'),
    ('00000000-0000-0000-0000-000000000002', 'SESSION_ESCROW'),
    ('00000000-0000-0000-0000-000000000003', 'PLATFORM_REVENUE'),
    ('00000000-0000-0000-0000-000000000004', 'PAYOUT_CLEARING'),
    ('00000000-0000-0000-0000-000000000005', 'ADJUSTMENTS');

-- Every existing account gets its wallet; experts their earnings accounts.
insert into ledger_account (id, kind, owner_id)
select gen_random_uuid(), 'WALLET', id from account;
insert into ledger_account (id, kind, owner_id)
select gen_random_uuid(), k.kind, p.account_id
from expert_profile p cross join (values ('EARNINGS_PENDING'), ('EARNINGS_AVAILABLE')) as k(kind);

create table ledger_transfer (
    id                 uuid primary key,
    from_account       uuid        not null references ledger_account (id),
    to_account         uuid        not null references ledger_account (id),
    amount             bigint      not null check (amount > 0),
    kind               varchar(32) not null,
    reference          varchar(100),
    corrects           uuid references ledger_transfer (id),
    from_balance_after bigint,
    to_balance_after   bigint,
    created_at         timestamptz not null,
    constraint ledger_transfer_two_sides check (from_account <> to_account)
);
create index ledger_transfer_from_idx on ledger_transfer (from_account, created_at);
create index ledger_transfer_to_idx on ledger_transfer (to_account, created_at);
-- A business event moves its money once: the same (kind, reference) can never be written twice.
create unique index ledger_transfer_once_uk on ledger_transfer (kind, reference) where reference is not null;

create function ledger_transfer_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'ledger_transfer is append-only (% refused); correct with a compensating transfer', tg_op;
end;
$$;
create trigger ledger_transfer_no_update_delete
    before update or delete on ledger_transfer
    for each row execute function ledger_transfer_is_append_only();

-- Idempotency keys of money-moving requests, per account: the first response is replayed for the same body.
create table idempotency_record (
    account_id   uuid         not null references account (id),
    idem_key     varchar(200) not null,
    fingerprint  varchar(64)  not null,
    status       integer      not null,
    content_type varchar(100) not null,
    body         text         not null,
    created_at   timestamptz  not null,
    primary key (account_id, idem_key)
);
create index idempotency_record_created_idx on idempotency_record (created_at);

-- Wallet top-ups through the payment gateway.
create table deposit (
    id                 uuid primary key,
    account_id         uuid        not null references account (id),
    amount             bigint      not null check (amount > 0),
    currency           varchar(3)  not null default 'INR',
    status             varchar(16) not null check (status in ('CREATED', 'PAID', 'FAILED')),
    gateway_order_id   varchar(64) not null unique,
    gateway_payment_id varchar(64),
    transfer_id        uuid references ledger_transfer (id),
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    constraint deposit_paid_has_transfer check (status <> 'PAID' or transfer_id is not null)
);
create index deposit_account_idx on deposit (account_id, created_at);
create index deposit_open_idx on deposit (created_at) where status = 'CREATED';

-- Expert payouts.
create table payout (
    id                uuid primary key,
    expert_id         uuid         not null references account (id),
    amount            bigint       not null check (amount > 0),
    status            varchar(16)  not null check (status in ('REQUESTED', 'APPROVED', 'PROCESSING', 'PAID', 'FAILED',
                                                              'REVERSED', 'REJECTED')),
    gateway_payout_id varchar(64) unique,
    reason            varchar(1000),
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null
);
-- One active payout request per expert, enforced by the database.
create unique index payout_one_active_uk on payout (expert_id) where status in ('REQUESTED', 'APPROVED', 'PROCESSING');
create index payout_status_idx on payout (status, created_at);

-- Gateway webhook events, applied at most once each.
create table gateway_event (
    event_id    varchar(100) primary key,
    event_type  varchar(64)  not null,
    received_at timestamptz  not null
);
