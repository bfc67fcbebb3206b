-- Accounts, their login tokens and the failed-login throttle.
-- No schema name anywhere: migrations run in the connection's default schema (tenancy comes as schema-per-tenant).

create table account (
    id            uuid primary key,
    email         varchar(254) not null,
    password_hash varchar(100) not null,
    name          varchar(100) not null,
    role          varchar(16)  not null check (role in ('USER', 'EXPERT', 'ADMIN')),
    status        varchar(16)  not null check (status in ('ACTIVE', 'SUSPENDED', 'DEACTIVATED')),
    phone         varchar(20),
    language      varchar(35),
    age           integer check (age between 13 and 120),
    bio           varchar(2000),
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null,
    version       bigint       not null default 0
);
-- One account per email, whatever its case: the race between two registrations is settled here.
create unique index account_email_uk on account (lower(email));
create index account_role_status_idx on account (role, status);

-- Every issued JWT by its id; a token is honoured only while its row is unrevoked and its account active.
create table auth_token (
    jti        uuid primary key,
    account_id uuid        not null references account (id),
    issued_at  timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz
);
create index auth_token_live_idx on auth_token (account_id) where revoked_at is null;

-- Failed logins counted per key ('account:<email>' or 'address:<ip>') in a fixed window.
create table login_throttle (
    throttle_key      varchar(300) primary key,
    failures          integer      not null,
    window_started_at timestamptz  not null
);
