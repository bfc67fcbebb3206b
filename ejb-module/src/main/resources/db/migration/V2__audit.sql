-- The audit trail: append-only, each entry chained to the previous one by SHA-256 so that an edited,
-- removed or inserted row breaks the chain (GET /admin/audit/verify).

create table audit_entry (
    seq         bigint primary key,
    at          timestamptz  not null,
    actor_id    uuid,
    actor_role  varchar(16),
    action      varchar(64)  not null,
    entity_type varchar(64)  not null,
    entity_id   varchar(64),
    metadata    text         not null,
    prev_hash   varchar(64)     not null,
    hash        varchar(64)     not null unique
);
create index audit_entry_actor_idx on audit_entry (actor_id, seq);
create index audit_entry_entity_idx on audit_entry (entity_type, entity_id, seq);
create index audit_entry_action_idx on audit_entry (action, seq);
create index audit_entry_at_idx on audit_entry (at);

-- The chain's head: one row, locked by each append so entries get consecutive seq and the right prev_hash.
create table audit_chain_head (
    id        smallint primary key check (id = 1),
    last_seq  bigint   not null,
    last_hash varchar(64) not null
);
insert into audit_chain_head (id, last_seq, last_hash) values (1, 0, repeat('0', 64));

-- Append-only, enforced by the database and not only by the code.
create function audit_entry_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_entry is append-only (% refused)', tg_op;
end;
$$;
create trigger audit_entry_no_update_delete
    before update or delete on audit_entry
    for each row execute function audit_entry_is_append_only();
