-- Two-factor sign-in with TOTP (RFC 6238). The shared secret has to be readable by the server to compute codes, so it
-- is stored as it is (Base32); last_step is the newest time step accepted, so each code signs in once (a replayed or
-- older code is refused). Recovery codes are random and stored as SHA-256, each usable once.
create table account_totp (
    account_id   uuid primary key references account (id),
    secret       varchar(64) not null,
    created_at   timestamptz not null,
    confirmed_at timestamptz,
    last_step    bigint      not null default -1
);

create table totp_recovery_code (
    account_id uuid        not null references account (id),
    code_hash  varchar(64) not null,
    used_at    timestamptz,
    primary key (account_id, code_hash)
);

-- The first step of a two-step sign-in: the password was right, the second factor is still to come (5 minutes).
create table mfa_challenge (
    token_hash varchar(64) primary key,
    account_id uuid         not null references account (id),
    expires_at timestamptz  not null,
    used_at    timestamptz,
    user_agent varchar(300),
    address    varchar(100)
);
