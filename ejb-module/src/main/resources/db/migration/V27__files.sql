-- Files: the metadata of objects in the store. A row is written only once its object is stored (and the object is
-- deleted again if the row cannot be written), so no row points at nothing.
create table stored_file (
    id           uuid primary key,
    owner_id     uuid         not null references account (id),
    purpose      varchar(24)  not null check (purpose in ('TRAINING', 'CERTIFICATE', 'EXPERT_DOCUMENT', 'REPORT', 'TICKET_ATTACHMENT')),
    name         varchar(255) not null,
    content_type varchar(100) not null,
    size         bigint       not null check (size >= 0),
    sha256       char(64)     not null,
    object_key   varchar(200) not null unique,
    created_at   timestamptz  not null
);
create index stored_file_owner_idx on stored_file (owner_id, created_at);
