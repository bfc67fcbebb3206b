-- The server nodes that hold sockets, and how many sockets each holds per account. A node that stops beating (killed,
-- cut off) is reaped by any other node, or by itself after a restart under a new id: its sockets are taken off the
-- accounts' counts in socket_presence, so its experts go offline and its sessions end as disconnected as usual.
create table live_node (
    id           uuid primary key,
    name         varchar(200) not null,
    started_at   timestamptz  not null,
    heartbeat_at timestamptz  not null
);

create table node_socket (
    node_id    uuid    not null references live_node (id) on delete cascade,
    account_id uuid    not null references account (id),
    sockets    integer not null check (sockets >= 0),
    primary key (node_id, account_id)
);
