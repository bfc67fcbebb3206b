-- The notifications outbox: written in the same transaction as its cause. In-app rows are delivered by existing
-- (GET /notifications); other channels (EMAIL now, SMS/WhatsApp later) are sent by a dispatcher that marks them.
create table notification (
    id              uuid primary key,
    account_id      uuid          not null references account (id),
    channel         varchar(16)   not null check (channel in ('IN_APP', 'EMAIL', 'SMS', 'WHATSAPP')),
    kind            varchar(64)   not null,
    title           varchar(200)  not null,
    body            varchar(4000) not null,
    -- The cause's own key (e.g. payout-waiting:<payout>:<day>): the same cause notifies once per channel.
    dedupe_key      varchar(200)  not null,
    status          varchar(16)   not null check (status in ('PENDING', 'SENT', 'FAILED')),
    attempts        integer       not null default 0,
    next_attempt_at timestamptz,
    last_error      varchar(1000),
    created_at      timestamptz   not null,
    sent_at         timestamptz,
    read_at         timestamptz,
    constraint notification_once_uk unique (account_id, channel, dedupe_key)
);
create index notification_inbox_idx on notification (account_id, created_at) where channel = 'IN_APP';
create index notification_due_idx on notification (next_attempt_at) where status = 'PENDING';
