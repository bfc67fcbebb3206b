-- How many live sockets each account holds (across nodes), and since when that count last changed: experts whose
-- sockets are all gone past disconnectTimeoutSeconds go offline; sessions whose both sides are gone that long end.
create table socket_presence (
    account_id uuid primary key references account (id),
    sockets    integer     not null default 0 check (sockets >= 0),
    changed_at timestamptz not null
);
create index socket_presence_gone_idx on socket_presence (changed_at) where sockets = 0;
