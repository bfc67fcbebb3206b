package org.parley.live;

import jakarta.annotation.Resource;
import jakarta.ejb.ApplicationException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import org.parley.common.Access;
import org.parley.common.DomainException;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Chat inside live sessions: lines stored with a per-session sequence number and relayed to both participants. */
@Stateless
public class ChatService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;
    @Inject
    private LiveEvents events;
    @Inject
    private Clock clock;
    @Resource
    private SessionContext context;

    /** One chat line as stored and relayed. */
    public record Message(UUID sessionId, int seq, UUID senderId, String body, Instant sentAt, String clientMsgId) {
    }

    /** A chat line to store: who sends it, in which session, and the client's id for it (may be null). */
    public record Line(UUID senderId, UUID sessionId, String body, String clientMsgId) {
    }

    /**
     * Stores a chat line with the session's next sequence number and relays it to both participants after commit.
     * Only the participants of a live session may post (404 for anyone else, 409 once it ended); a repeated
     * clientMsgId returns the stored line.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Message post(Caller sender, UUID sessionId, String body, String clientMsgId) {
        Object outcome = postAll(List.of(new Line(sender.id(), sessionId, body, clientMsgId))).get(0);
        if (outcome instanceof DomainException refused) {
            throw refused;
        }
        return (Message) outcome;
    }

    /**
     * Stores many chat lines (the socket layer groups the lines that arrive while the previous group commits) and
     * returns, per line and in order, the stored {@link Message} or the {@link DomainException} refusing it; a
     * refused line changes nothing. The common case is one transaction of two statements whatever the group's size
     * ({@link #attempt}); when a line turns out to be from a stranger or a resend, that attempt is rolled back and
     * the group retried knowing it, so numbers are never skipped.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<Object> postAll(List<Line> lines) {
        Known known = new Known();
        for (int attempt = 1; ; attempt++) {
            try {
                return self().attempt(lines, known);
            } catch (Retry retry) {
                if (attempt >= lines.size() + 1) {
                    throw new IllegalStateException("chat lines could not be stored after " + attempt + " attempts");
                }
                known.add(retry);
            }
        }
    }

    /** What failed attempts found out about a group: lines from strangers, and lines whose clientMsgId was already stored. */
    static final class Known {
        final Set<Integer> strangers = new HashSet<>();
        final Set<Integer> resent = new HashSet<>();

        void add(Retry retry) {
            strangers.addAll(retry.strangers);
            resent.addAll(retry.resent);
        }
    }

    /** Rolls an attempt back: some of its lines were numbered but must not be stored. */
    @ApplicationException(rollback = true)
    public static class Retry extends RuntimeException {
        final Set<Integer> strangers;
        final Set<Integer> resent;

        Retry(Set<Integer> strangers, Set<Integer> resent) {
            super("retry", null, false, false);
            this.strangers = strangers;
            this.resent = resent;
        }
    }

    /**
     * One transaction: (1) one update locks the group's live sessions in id order and reserves as many numbers in
     * each as it has lines, returning the participants; (2) one insert stores the lines, skipping any whose
     * (session, sender, clientMsgId) is already stored. If a reserved number went to a stranger's line or to a
     * resend, the attempt is rolled back ({@link Retry}) and the next one leaves those lines out. Neither statement
     * scans chat_message, so their cost does not depend on how much chat is stored.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<Object> attempt(List<Line> lines, Known known) {
        try (Connection c = dataSource.getConnection()) {
            Object[] outcomes = new Object[lines.size()];
            Map<String, Integer> firstOfKey = new HashMap<>();
            List<Integer> candidates = new ArrayList<>();
            Map<String, Message> resent = known.resent.isEmpty() ? Map.of() : storedLines(c, lines, known.resent);
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                String key = key(line);
                if (known.strangers.contains(i)) {
                    outcomes[i] = Problems.notFound("session");
                } else if (key != null && resent.containsKey(key)) {
                    outcomes[i] = resent.get(key);
                } else if (key != null && firstOfKey.putIfAbsent(key, i) != null) {
                    outcomes[i] = firstOfKey.get(key); // the same line twice in one group: answered with the first
                } else {
                    candidates.add(i);
                }
            }
            Map<UUID, Seats> sessions = reserve(c, candidates.stream().map(lines::get).toList());
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Set<Integer> strangers = new HashSet<>();
            List<Message> fresh = new ArrayList<>();
            for (int i : candidates) {
                Line line = lines.get(i);
                Seats s = sessions.get(line.sessionId());
                if (s == null) {
                    continue; // ended or unknown: nothing was reserved for it; told apart below
                }
                if (!s.isParticipant(line.senderId())) {
                    strangers.add(i);
                } else {
                    Message m = new Message(line.sessionId(), ++s.lastSeq, line.senderId(), line.body(), now, line.clientMsgId());
                    fresh.add(m);
                    outcomes[i] = m;
                }
            }
            if (!strangers.isEmpty()) {
                throw new Retry(strangers, Set.of());
            }
            Set<String> skipped = insert(c, fresh);
            if (!skipped.isEmpty()) {
                Set<Integer> resends = new HashSet<>();
                for (int i : candidates) {
                    if (skipped.contains(key(lines.get(i)))) {
                        resends.add(i);
                    }
                }
                throw new Retry(Set.of(), resends);
            }
            refuseTheRest(c, lines, candidates, outcomes);
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] instanceof Integer first) {
                    outcomes[i] = outcomes[first];
                }
            }
            for (Message m : fresh) {
                relay(m, sessions.get(m.sessionId()));
            }
            return Arrays.asList(outcomes);
        } catch (SQLException e) {
            throw new PersistenceException("chat lines could not be stored", e);
        }
    }

    private ChatService self() {
        return context.getBusinessObject(ChatService.class);
    }

    /** A session's participants, and the last number reserved so far for this group. */
    private static final class Seats {
        final UUID userId;
        final UUID expertId;
        int lastSeq;

        Seats(UUID userId, UUID expertId, int lastSeq) {
            this.userId = userId;
            this.expertId = expertId;
            this.lastSeq = lastSeq;
        }

        boolean isParticipant(UUID accountId) {
            return userId.equals(accountId) || expertId.equals(accountId);
        }

        UUID userId() {
            return userId;
        }

        UUID expertId() {
            return expertId;
        }
    }

    /** session/sender/clientMsgId: what the unique index on resends is over (null without a clientMsgId). */
    private static String key(UUID sessionId, UUID senderId, String clientMsgId) {
        return clientMsgId == null ? null : sessionId + "/" + senderId + "/" + clientMsgId;
    }

    private static String key(Line line) {
        return key(line.sessionId(), line.senderId(), line.clientMsgId());
    }

    private static String key(Message m) {
        return key(m.sessionId(), m.senderId(), m.clientMsgId());
    }

    /**
     * Locks the live (not ended) sessions among the lines' in id order ({@code for no key update}: it conflicts with
     * every other update of the session — another group, an end, a charge — but not with rows that merely reference
     * it) and moves each one's last_seq on by its number of lines; returns each with the first of its numbers minus
     * one. The update touches no indexed column, so it stays on its page (the table leaves room for it, V15).
     */
    private static Map<UUID, Seats> reserve(Connection c, List<Line> lines) throws SQLException {
        Map<UUID, Integer> counts = new HashMap<>();
        lines.forEach(l -> counts.merge(l.sessionId(), 1, Integer::sum));
        Map<UUID, Seats> sessions = new HashMap<>();
        if (counts.isEmpty()) {
            return sessions;
        }
        try (PreparedStatement q = c.prepareStatement("""
                update live_session s set last_seq = s.last_seq + n.lines
                from (select l.id, k.lines
                      from (select id from live_session where id = any(?) and status <> 'ENDED' order by id for no key update) l
                      join unnest(?::uuid[], ?::int[]) as k(id, lines) on k.id = l.id) n
                where s.id = n.id
                returning s.id, s.user_id, s.expert_id, s.last_seq - n.lines""")) {
            Object[] ids = counts.keySet().toArray();
            q.setArray(1, c.createArrayOf("uuid", ids));
            q.setArray(2, c.createArrayOf("uuid", ids));
            q.setArray(3, c.createArrayOf("int4", counts.values().toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    sessions.put(rs.getObject(1, UUID.class), new Seats(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getInt(4)));
                }
            }
        }
        return sessions;
    }

    /**
     * Inserts the lines in one statement; a line whose (session, sender, clientMsgId) is already stored is skipped by
     * the unique index. Returns the keys of the skipped lines (none, unless a client resent a line).
     */
    private static Set<String> insert(Connection c, List<Message> fresh) throws SQLException {
        if (fresh.isEmpty()) {
            return Set.of();
        }
        Set<String> skipped = new HashSet<>();
        fresh.forEach(m -> skipped.add(m.sessionId() + "/" + m.seq()));
        try (PreparedStatement insert = c.prepareStatement("""
                insert into chat_message (session_id, seq, sender_id, body, client_msg_id, sent_at)
                select * from unnest(?::uuid[], ?::int[], ?::uuid[], ?::varchar[], ?::varchar[], ?::timestamptz[])
                on conflict (session_id, sender_id, client_msg_id) where client_msg_id is not null do nothing
                returning session_id, seq""")) {
            insert.setArray(1, c.createArrayOf("uuid", fresh.stream().map(Message::sessionId).toArray()));
            insert.setArray(2, c.createArrayOf("int4", fresh.stream().map(Message::seq).toArray()));
            insert.setArray(3, c.createArrayOf("uuid", fresh.stream().map(Message::senderId).toArray()));
            insert.setArray(4, c.createArrayOf("varchar", fresh.stream().map(Message::body).toArray()));
            insert.setArray(5, c.createArrayOf("varchar", fresh.stream().map(Message::clientMsgId).toArray()));
            insert.setArray(6, c.createArrayOf("timestamptz", fresh.stream().map(m -> Timestamp.from(m.sentAt())).toArray()));
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    skipped.remove(rs.getObject(1, UUID.class) + "/" + rs.getInt(2));
                }
            }
        }
        Set<String> keys = new HashSet<>();
        for (Message m : fresh) {
            if (skipped.contains(m.sessionId() + "/" + m.seq())) {
                keys.add(key(m));
            }
        }
        return keys;
    }

    /** The lines {@code which} were found resent: the stored lines under their keys (session/sender/clientMsgId). */
    private static Map<String, Message> storedLines(Connection c, List<Line> lines, Set<Integer> which) throws SQLException {
        Map<String, Message> stored = new HashMap<>();
        if (which.isEmpty()) {
            return stored;
        }
        List<Line> keyed = which.stream().map(lines::get).toList();
        try (PreparedStatement q = c.prepareStatement("""
                select m.session_id, m.seq, m.sender_id, m.client_msg_id, m.body, m.sent_at
                from unnest(?::uuid[], ?::uuid[], ?::varchar[]) as k(session_id, sender_id, client_msg_id)
                cross join lateral (select * from chat_message m where m.session_id = k.session_id and m.sender_id = k.sender_id
                                    and m.client_msg_id = k.client_msg_id limit 1) m""")) {
            q.setArray(1, c.createArrayOf("uuid", keyed.stream().map(Line::sessionId).toArray()));
            q.setArray(2, c.createArrayOf("uuid", keyed.stream().map(Line::senderId).toArray()));
            q.setArray(3, c.createArrayOf("varchar", keyed.stream().map(Line::clientMsgId).toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Message m = new Message(rs.getObject(1, UUID.class), rs.getInt(2), rs.getObject(3, UUID.class), rs.getString(5),
                            rs.getTimestamp(6).toInstant(), rs.getString(4));
                    stored.put(key(m), m);
                }
            }
        }
        return stored;
    }

    /**
     * Lines whose session was not reserved: a resend of a stored line gets that line (a client retrying after the
     * end learns its line was kept); otherwise 409 if the session ended and the sender took part in it, 404 if not.
     */
    private static void refuseTheRest(Connection c, List<Line> lines, List<Integer> candidates, Object[] outcomes) throws SQLException {
        List<Integer> rest = candidates.stream().filter(i -> outcomes[i] == null).toList();
        if (rest.isEmpty()) {
            return;
        }
        Map<String, Message> stored = storedLines(c, lines, new HashSet<>(rest.stream().filter(i -> lines.get(i).clientMsgId() != null).toList()));
        Map<UUID, Seats> ended = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("select id, user_id, expert_id from live_session where id = any(?) and status = 'ENDED'")) {
            q.setArray(1, c.createArrayOf("uuid", rest.stream().map(i -> lines.get(i).sessionId()).distinct().toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ended.put(rs.getObject(1, UUID.class), new Seats(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), 0));
                }
            }
        }
        for (int i : rest) {
            Seats s = ended.get(lines.get(i).sessionId());
            Message resent = stored.get(key(lines.get(i)));
            outcomes[i] = resent != null ? resent : s != null && s.isParticipant(lines.get(i).senderId())
                    ? Problems.conflict("session-ended", "the session has ended")
                    : Problems.notFound("session");
        }
    }

    /** new-message to every socket of both participants, after commit. */
    private void relay(Message m, Seats s) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "new-message");
        frame.put("sessionId", m.sessionId());
        frame.put("seq", m.seq());
        frame.put("senderId", m.senderId());
        frame.put("body", m.body());
        frame.put("sentAt", m.sentAt().toString());
        frame.put("clientMsgId", m.clientMsgId());
        events.publish(s.userId(), frame);
        events.publish(s.expertId(), frame);
    }

    /** The session's chat after {@code afterSeq}, in order; participants (and admins) only. */
    public List<Message> messages(Caller caller, UUID sessionId, int afterSeq) {
        LiveSession s = em.find(LiveSession.class, sessionId);
        if (!(caller.isAdmin() && s != null)) {
            Access.requireOwner(s, caller.id(), "session");
        }
        List<?> rows = em.createNativeQuery("select seq, sender_id, body, sent_at, client_msg_id from chat_message"
                        + " where session_id = ?1 and seq > ?2 order by seq")
                .setParameter(1, sessionId).setParameter(2, afterSeq).setMaxResults(1000).getResultList();
        return rows.stream().map(o -> {
            Object[] r = (Object[]) o;
            return new Message(sessionId, ((Number) r[0]).intValue(), (UUID) r[1], (String) r[2], Rows.instant(r[3]), (String) r[4]);
        }).toList();
    }
}
