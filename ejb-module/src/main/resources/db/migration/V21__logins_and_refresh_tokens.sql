-- A login is one sign-in and everything descended from it (OAuth 2.0 Security BCP's token family): the access tokens
-- it was issued (auth_token.login_id) and its chain of refresh tokens. Revoking a login revokes all of them at once, on
-- every node (authorisation reads auth_token on every request). A login lives while it is unrevoked and its latest
-- refresh token is unexpired (expires_at rolls forward with each refresh).
create table login (
    id           uuid primary key,
    account_id   uuid         not null references account (id),
    created_at   timestamptz  not null,
    last_used_at timestamptz  not null,
    expires_at   timestamptz  not null,
    user_agent   varchar(300),
    address      varchar(100),
    revoked_at   timestamptz
);
create index login_account_live_idx on login (account_id, created_at) where revoked_at is null;

-- Tokens issued before logins existed have none.
alter table auth_token add column login_id uuid references login (id);
create index auth_token_login_idx on auth_token (login_id) where revoked_at is null;

-- Refresh tokens are opaque (32 random bytes); only their SHA-256 is stored. Each works once: using it marks it used
-- (under its row lock) and issues the next; presenting a used one again is reuse, and revokes its whole login.
create table refresh_token (
    token_hash varchar(64) primary key,
    login_id   uuid        not null references login (id),
    issued_at  timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index refresh_token_login_idx on refresh_token (login_id);
