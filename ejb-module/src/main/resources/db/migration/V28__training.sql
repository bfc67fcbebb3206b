-- Training modules, experts' progress (one row per file viewed, so a repeat view changes nothing), completions,
-- certificates (one per expert) and the documents experts attach to their application.
create table training_module (
    id          uuid primary key,
    title       varchar(200)  not null,
    description varchar(4000),
    required    boolean       not null,
    position    integer       not null,
    created_at  timestamptz   not null,
    updated_at  timestamptz   not null
);
create table training_module_file (
    module_id uuid    not null references training_module (id),
    file_id   uuid    not null references stored_file (id),
    position  integer not null,
    primary key (module_id, file_id)
);
create table training_view (
    expert_id uuid        not null references account (id),
    module_id uuid        not null references training_module (id),
    file_id   uuid        not null references stored_file (id),
    viewed_at timestamptz not null,
    primary key (expert_id, module_id, file_id)
);
create table training_completion (
    expert_id    uuid        not null references account (id),
    module_id    uuid        not null references training_module (id),
    completed_at timestamptz not null,
    primary key (expert_id, module_id)
);
create table certificate (
    id        uuid primary key,
    expert_id uuid        not null unique references account (id),
    code      varchar(32) not null unique,
    file_id   uuid        not null references stored_file (id),
    modules   jsonb       not null,
    issued_at timestamptz not null
);
create table expert_document (
    id         uuid primary key,
    expert_id  uuid        not null references account (id),
    file_id    uuid        not null unique references stored_file (id),
    kind       varchar(16) not null check (kind in ('ID_PROOF', 'CERTIFICATION', 'RESUME', 'OTHER')),
    created_at timestamptz not null
);
create index expert_document_expert_idx on expert_document (expert_id, created_at);
