-- Users waiting for a busy expert, first come first served. A user waits in one queue at a time.
create table session_queue (
    id         bigint generated always as identity primary key,
    expert_id  uuid        not null references account (id),
    user_id    uuid        not null references account (id),
    channel    varchar(8)  not null check (channel in ('CHAT', 'VOICE', 'VIDEO')),
    joined_at  timestamptz not null,
    expires_at timestamptz not null,
    constraint session_queue_one_per_user unique (user_id)
);
create index session_queue_expert_idx on session_queue (expert_id, id);
create index session_queue_expiry_idx on session_queue (expires_at);
