-- The support desk: tickets with gapless human numbers, service levels, messages and staff notes.

-- The last ticket number, taken by a conditional update in the creating transaction: a rolled-back creation gives its
-- number back, so numbers never skip; the row lock serialises creations, so they never repeat.
create table support_ticket_number (
    id   smallint primary key check (id = 1),
    last bigint not null
);
insert into support_ticket_number (id, last) values (1, 0);

create table support_ticket (
    id                      uuid primary key,
    number                  bigint         not null unique,
    requester_id            uuid           not null references account (id),
    assignee_id             uuid references account (id),
    subject                 varchar(200)   not null,
    description             varchar(10000) not null,
    category                varchar(16)    not null check (category in ('BILLING', 'SESSION', 'TECHNICAL', 'ACCOUNT', 'SAFETY', 'OTHER')),
    priority                varchar(8)     not null check (priority in ('LOW', 'NORMAL', 'HIGH', 'URGENT')),
    status                  varchar(16)    not null check (status in ('OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED')),
    session_id              uuid references live_session (id),
    attachment_ids          jsonb          not null default '[]',
    first_response_due_at   timestamptz    not null,
    resolution_due_at       timestamptz    not null,
    first_responded_at      timestamptz,
    resolved_at             timestamptz,
    closed_at               timestamptz,
    breached_first_response boolean        not null default false,
    breached_resolution     boolean        not null default false,
    last_seq                integer        not null default 0,
    rating                  integer check (rating between 1 and 5),
    rating_comment          varchar(2000),
    rated_at                timestamptz,
    created_at              timestamptz    not null,
    updated_at              timestamptz    not null
);
create index support_ticket_requester_idx on support_ticket (requester_id, created_at);
create index support_ticket_status_idx on support_ticket (status, created_at);
-- The service-level sweep's work: unmet due times not yet flagged.
create index support_ticket_first_response_due_idx on support_ticket (first_response_due_at)
    where first_responded_at is null and not breached_first_response and status in ('OPEN', 'IN_PROGRESS');
create index support_ticket_resolution_due_idx on support_ticket (resolution_due_at)
    where resolved_at is null and not breached_resolution and status in ('OPEN', 'IN_PROGRESS');

-- Messages of a ticket, numbered per ticket (the ticket's last_seq, under its row lock) before they are relayed.
create table support_message (
    ticket_id      uuid           not null references support_ticket (id),
    seq            integer        not null,
    sender_id      uuid           not null references account (id),
    sender_role    varchar(8)     not null,
    body           varchar(10000) not null,
    internal       boolean        not null,
    attachment_ids jsonb          not null default '[]',
    client_msg_id  varchar(64),
    sent_at        timestamptz    not null,
    primary key (ticket_id, seq)
);
-- A client's retry of the same line is the same line.
create unique index support_message_client_uk on support_message (ticket_id, sender_id, client_msg_id) where client_msg_id is not null;
