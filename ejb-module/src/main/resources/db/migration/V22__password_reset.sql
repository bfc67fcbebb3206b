-- One-time password-reset links. Only the token's SHA-256 is stored; a token works once, within its lifetime
-- (parley.password-reset.lifetime-seconds, 30 minutes), and using one uses up every other open one of the account.
create table password_reset (
    token_hash varchar(64) primary key,
    account_id uuid        not null references account (id),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index password_reset_open_idx on password_reset (account_id) where used_at is null;
