-- Operators' figures: indexes for the real-time counts and the day queries, and the figures of business days that are
-- over (they can no longer change: transfers are append-only and dated when written).
create index expert_profile_online_idx on expert_profile (account_id) where online;
create index live_session_started_idx on live_session (started_at);
create index session_charge_charged_idx on session_charge (charged_at);
create index account_created_idx on account (created_at, role);
create index report_order_created_idx on report_order (created_at);
create index ledger_transfer_kind_day_idx on ledger_transfer (kind, created_at) where kind = 'REFUND';

create table analytics_day (
    business_date            date primary key,
    sessions_started         bigint      not null,
    sessions_ended           bigint      not null,
    minutes_billed           bigint      not null,
    gross                    bigint      not null,
    fee                      bigint      not null,
    refunds                  bigint      not null,
    deposits                 bigint      not null,
    payouts                  bigint      not null,
    orders                   bigint      not null,
    new_users                bigint      not null,
    new_experts              bigint      not null,
    peak_concurrent_sessions bigint      not null,
    computed_at              timestamptz not null
);
