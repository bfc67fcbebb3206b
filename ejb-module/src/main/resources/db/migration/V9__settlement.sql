-- Nightly settlement: ended sessions' net earnings move EARNINGS_PENDING -> EARNINGS_AVAILABLE, once.

-- One line per settled session: its primary key is what makes a session settle once, whatever runs twice.
create table settlement_line (
    session_id    uuid primary key references live_session (id),
    expert_id     uuid        not null references account (id),
    business_date date        not null,
    gross         bigint      not null check (gross >= 0),
    net           bigint      not null check (net >= 0),
    created_at    timestamptz not null,
    constraint settlement_line_net_within_gross check (net <= gross)
);
create index settlement_line_day_idx on settlement_line (business_date, expert_id);

-- One statement per expert and business day (the key), with the totals of its lines and the settlement
-- transfers that moved them; a later run of the same day adds what it settled (revision + 1).
create table settlement_statement (
    expert_id     uuid        not null references account (id),
    business_date date        not null,
    sessions      integer     not null check (sessions >= 0),
    gross         bigint      not null check (gross >= 0),
    fee           bigint      not null check (fee >= 0),
    net           bigint      not null check (net >= 0),
    transfer_ids  uuid[]      not null default '{}',
    revision      integer     not null default 1,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    primary key (expert_id, business_date),
    constraint settlement_statement_sums check (gross = fee + net)
);
create index settlement_statement_day_idx on settlement_statement (business_date);

-- What the reconciliation step found for a business day, per execution.
create table settlement_reconciliation (
    execution_id  bigint      not null,
    business_date date        not null,
    balanced      boolean     not null,
    findings      text        not null,
    created_at    timestamptz not null,
    primary key (execution_id, business_date)
);

-- Ended sessions by end instant (the day's selection), and an expert's by end instant (one expert's day).
create index live_session_ended_idx on live_session (ended_at, expert_id) where status = 'ENDED';
create index live_session_expert_ended_idx on live_session (expert_id, ended_at) where status = 'ENDED';

-- Scheduled jobs start once per period across the cluster: the first node to claim (job, period) starts it.
create table job_schedule_claim (
    job_name     varchar(64)  not null,
    period_key   varchar(32)  not null,
    execution_id bigint,
    claimed_at   timestamptz  not null,
    primary key (job_name, period_key)
);
