-- Moderation: reports by participants, and actions with real effects.

create table report (
    id          uuid primary key,
    reporter_id uuid          not null references account (id),
    target_type varchar(8)    not null check (target_type in ('SESSION', 'USER', 'EXPERT', 'MESSAGE')),
    -- a session or account id, or "<sessionId>:<seq>" for one chat line
    target_id   varchar(80)   not null,
    -- the person the report is about (the other participant of a session, a line's sender, the account itself)
    subject_id  uuid          not null references account (id),
    reason      varchar(500)  not null,
    category    varchar(16) check (category in ('HARASSMENT', 'SPAM', 'FRAUD', 'INAPPROPRIATE', 'OTHER')),
    status      varchar(16)   not null check (status in ('OPEN', 'UNDER_REVIEW', 'ACTION_TAKEN', 'DISMISSED')),
    resolution  varchar(1000),
    decided_by  uuid references account (id),
    created_at  timestamptz   not null,
    updated_at  timestamptz   not null,
    constraint report_not_self check (reporter_id <> subject_id)
);
-- One open report per reporter and target, whatever the concurrency.
create unique index report_open_once_uk on report (reporter_id, target_type, target_id) where status in ('OPEN', 'UNDER_REVIEW');
create index report_target_idx on report (target_type, target_id);
create index report_reporter_idx on report (reporter_id, created_at);

create table moderation_action (
    id             uuid primary key,
    account_id     uuid          not null references account (id),
    action         varchar(16)   not null check (action in ('WARN', 'SUSPEND', 'UNSUSPEND', 'HIDE_MESSAGE')),
    reason         varchar(1000) not null,
    duration_hours integer check (duration_hours > 0),
    -- a timed suspension's end; the lifting timer works from it (lifted_at set once, by it or by an UNSUSPEND)
    ends_at        timestamptz,
    lifted_at      timestamptz,
    report_id      uuid references report (id),
    message_ref    varchar(80),
    actor_id       uuid          not null references account (id),
    created_at     timestamptz   not null
);
create index moderation_action_account_idx on moderation_action (account_id, created_at);
create index moderation_action_due_idx on moderation_action (ends_at) where action = 'SUSPEND' and lifted_at is null;

-- A chat line hidden by moderation: participants read a placeholder, admins the original.
alter table chat_message add column hidden_at timestamptz;
