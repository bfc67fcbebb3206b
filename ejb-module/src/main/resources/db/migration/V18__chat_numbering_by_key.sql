-- Chat lines are numbered with their session's highest number + 1 instead of a counter on the session row, and the
-- primary key (session_id, seq) arbitrates: a call that loses a race for a number (lines of one session stored through
-- two nodes at the same instant) fails whole and is made again (ChatService.postAll). Moving the counter on wrote a
-- new version of the wide session row per group and held its lock; a lone line is now one plain statement (ChatService),
-- and only groups come here. On one node, lines are stored one group at a time (ChatGroupCommit), so they never race.
-- Both writers insert a line only for a session found live in the same statement, so a line's session always exists
-- (sessions are never deleted once committed; V17 dropped the foreign key that re-checked it per line), and hold it
-- FOR SHARE until they commit: a session's end (an update of its row) either waits for the line, or the line waits
-- for the end and, its session re-checked, is refused. No line is stored after its session ended.
drop function chat_post(uuid[], uuid[], varchar[], varchar[], timestamptz);
alter table live_session drop column last_seq;

-- A group of chat lines in one statement: a line from someone who is not one of its session's two participants is
-- answered `stranger` and stored nowhere; a line whose (session, sender, clientMsgId) is stored already is answered with
-- the stored line; the others are numbered after the session's highest number in the group's order and inserted. So a
-- refused or resent line never takes a number: the numbers have no holes. Lines whose session is not live (ended or
-- unknown) get no row; the caller tells those apart. The caller passes each (session, sender, clientMsgId) at most
-- once per group. Every lookup is by key and pinned to it (generic plan, no sequential scans; sessions found by id
-- alone, their status checked after, so no partial index over live sessions is a candidate).
create function chat_post(p_session uuid[], p_sender uuid[], p_body varchar[], p_client_msg_id varchar[], p_at timestamptz)
    returns table (o_line int, o_outcome varchar, o_seq int, o_body varchar, o_sent_at timestamptz, o_user_id uuid, o_expert_id uuid)
    language plpgsql
    set plan_cache_mode = force_generic_plan
    set enable_seqscan = off
as $$
begin
    return query
    with k as (
        select u.session_id, u.sender_id, u.body, u.client_msg_id, u.line::int as line
        from unnest(p_session, p_sender, p_body, p_client_msg_id) with ordinality as u(session_id, sender_id, body, client_msg_id, line)
    ),
    sessions as materialized (
        select l.id, l.user_id, l.expert_id, l.status,
               coalesce((select max(c.seq) from chat_message c where c.session_id = l.id), 0) as last_seq
        from live_session l where l.id = any(p_session)
        order by l.id for share -- an end waits for the group, or the group (re-checked) for the end
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
