-- Live metered sessions. Billing state lives here, not in memory: the next charge is due at a recorded instant,
-- and each (session, period) can be charged once (primary key of session_charge, plus the ledger's unique
-- (SESSION_CHARGE, "session:period") reference).

create table live_session (
    id               uuid primary key,
    user_id          uuid        not null references account (id),
    expert_id        uuid        not null references account (id),
    channel          varchar(8)  not null check (channel in ('CHAT', 'VOICE', 'VIDEO')),
    status           varchar(8)  not null check (status in ('ACTIVE', 'GRACE', 'ENDED')),
    rate_per_minute  bigint      not null check (rate_per_minute > 0),
    period_seconds   integer     not null check (period_seconds > 0),
    max_periods      integer     not null check (max_periods > 0),
    started_at       timestamptz not null,
    next_charge_at   timestamptz not null,
    grace_until      timestamptz,
    periods_billed   integer     not null default 0 check (periods_billed >= 0),
    amount_charged   bigint      not null default 0 check (amount_charged >= 0),
    amount_refunded  bigint      not null default 0 check (amount_refunded >= 0),
    last_seq         integer     not null default 0,
    ended_at         timestamptz,
    end_reason       varchar(32),
    settled          boolean     not null default false,
    constraint live_session_two_people check (user_id <> expert_id),
    constraint live_session_refund_within_charge check (amount_refunded <= amount_charged)
);
-- A user is in at most one live session at a time.
create unique index live_session_one_per_user_uk on live_session (user_id) where status <> 'ENDED';
create index live_session_due_idx on live_session (next_charge_at) where status <> 'ENDED';
create index live_session_expert_idx on live_session (expert_id, status);
create index live_session_user_idx on live_session (user_id, started_at);

create table session_charge (
    session_id  uuid        not null references live_session (id),
    period      integer     not null check (period > 0),
    amount      bigint      not null check (amount > 0),
    transfer_id uuid        not null references ledger_transfer (id),
    due_at      timestamptz not null,
    charged_at  timestamptz not null,
    primary key (session_id, period)
);

create table chat_message (
    session_id    uuid          not null references live_session (id),
    seq           integer       not null,
    sender_id     uuid          not null references account (id),
    body          varchar(4000) not null,
    client_msg_id varchar(64),
    sent_at       timestamptz   not null,
    primary key (session_id, seq)
);
create unique index chat_message_client_uk on chat_message (session_id, sender_id, client_msg_id) where client_msg_id is not null;

create table session_review (
    session_id uuid primary key references live_session (id),
    user_id    uuid        not null references account (id),
    expert_id  uuid        not null references account (id),
    rating     integer     not null check (rating between 1 and 5),
    comment    varchar(2000),
    created_at timestamptz not null
);
create index session_review_expert_idx on session_review (expert_id, created_at);
