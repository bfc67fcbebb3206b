-- Bulk import of expert applicants from CSV (the expert-import job) and the invitations imported applicants use to
-- choose their password.

-- One uploaded file. The content is kept so every execution (and a restart) reads exactly the same rows.
create table expert_import (
    id          uuid primary key,
    file_name   varchar(255),
    content     text         not null,
    sha256      varchar(64)  not null,
    total_rows  integer      not null check (total_rows >= 0),
    uploaded_by uuid         not null references account (id),
    uploaded_at timestamptz  not null,
    -- The latest execution started for the file (operators restart or rerun it through /admin/batch).
    last_execution_id bigint
);

-- What became of each data row of a file: one result per (file, line), whatever runs twice.
create table expert_import_row (
    import_id    uuid          not null references expert_import (id),
    line         integer       not null check (line > 0),
    email        varchar(254),
    outcome      varchar(16)   not null check (outcome in ('IMPORTED', 'SKIPPED', 'REJECTED')),
    reason       varchar(2000),
    account_id   uuid references account (id),
    processed_at timestamptz   not null,
    primary key (import_id, line),
    constraint expert_import_row_imported_has_account check (outcome <> 'IMPORTED' or account_id is not null),
    constraint expert_import_row_refusal_has_reason check (outcome = 'IMPORTED' or reason is not null)
);
create index expert_import_row_outcome_idx on expert_import_row (import_id, outcome, line);

-- An invitation to set a password (imported accounts have none anyone knows). Only the token's SHA-256 is stored.
create table account_invitation (
    account_id  uuid primary key references account (id),
    token_hash  varchar(64) not null unique,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    accepted_at timestamptz
);
