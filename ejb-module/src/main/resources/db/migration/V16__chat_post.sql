-- A group of chat lines stored in one call (one round trip, one transaction), see ChatService.postAll.
--
-- 1. The group's sessions are locked in id order (`for no key update`: it waits for every other update of the
--    session — another group, an end, a charge — but not for rows that merely reference it).
-- 2. Under those locks, in a second statement (so with a snapshot taken after the locks were granted: every line
--    stored under them is visible, and nobody else can store one until this transaction ends), each line is matched:
--    a line from someone who is not one of its session's two participants is answered `stranger` and stored nowhere;
--    a line whose (session, sender, clientMsgId) is already stored is answered with the stored line; the others are
--    numbered from the session's last_seq in the group's order, inserted, and last_seq moved on by their count. So a
--    refused or resent line never takes a number: the numbers have no holes.
-- Lines whose session is not live (ended or unknown) get no row; the caller tells those apart.
-- The caller passes each (session, sender, clientMsgId) at most once per group.
--
-- Every statement here finds sessions and lines by key, and is pinned to that: one generic plan (plan_cache_mode),
-- no sequential scans (enable_seqscan), and sessions looked up by id alone, their status checked afterwards, so no
-- partial index over live sessions (`status <> 'ENDED'`) is a candidate. Left to itself PostgreSQL planned the lock
-- afresh on every call (custom plans looked cheaper than the generic one, and planning cost more than running), and
-- with statistics taken while there were few sessions it walked a partial index over every live session, or the
-- whole table, to find two of them: the cost grew with the number of sessions.
create function chat_post(p_session uuid[], p_sender uuid[], p_body varchar[], p_client_msg_id varchar[], p_at timestamptz)
    returns table (o_line int, o_outcome varchar, o_seq int, o_body varchar, o_sent_at timestamptz, o_user_id uuid, o_expert_id uuid)
    language plpgsql
    set plan_cache_mode = force_generic_plan
    set enable_seqscan = off
as $$
begin
    perform 1 from live_session l where l.id = any(p_session) order by l.id for no key update;

    return query
    with k as (
        select u.session_id, u.sender_id, u.body, u.client_msg_id, u.line::int as line
        from unnest(p_session, p_sender, p_body, p_client_msg_id) with ordinality as u(session_id, sender_id, body, client_msg_id, line)
    ),
    sessions as materialized (
        select l.id, l.user_id, l.expert_id, l.last_seq, l.status from live_session l where l.id = any(p_session)
    ),
    seated as (
        select k.session_id, k.sender_id, k.body, k.client_msg_id, k.line, live.user_id, live.expert_id, live.last_seq,
               (k.sender_id = live.user_id or k.sender_id = live.expert_id) as participant,
               m.seq as stored_seq, m.body as stored_body, m.sent_at as stored_at
        from k
        join sessions live on live.id = k.session_id and live.status <> 'ENDED'
        left join lateral (select c.seq, c.body, c.sent_at from chat_message c
                           where c.session_id = k.session_id and c.sender_id = k.sender_id and c.client_msg_id = k.client_msg_id
                           limit 1) m on true -- limit: a lookup per line by its key, never a join over all stored lines
    ),
    fresh as (
        select s.*, (s.last_seq + row_number() over (partition by s.session_id order by s.line))::int as seq
        from seated s where s.participant and s.stored_seq is null
    ),
    stored as (
        insert into chat_message (session_id, seq, sender_id, body, client_msg_id, sent_at)
        select f.session_id, f.seq, f.sender_id, f.body, f.client_msg_id, p_at from fresh f
    ),
    numbered as (
        update live_session l set last_seq = l.last_seq + n.lines
        from (select f.session_id, count(*)::int as lines from fresh f group by f.session_id) n
        where l.id = n.session_id
    )
    select f.line, 'new'::varchar, f.seq, f.body, p_at, f.user_id, f.expert_id from fresh f
    union all
    select s.line, 'resent'::varchar, s.stored_seq, s.stored_body, s.stored_at, s.user_id, s.expert_id
    from seated s where s.participant and s.stored_seq is not null
    union all
    select s.line, 'stranger'::varchar, null::int, null::varchar, null::timestamptz, null::uuid, null::uuid
    from seated s where not s.participant;
end
$$;
