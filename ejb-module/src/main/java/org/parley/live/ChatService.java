package org.parley.live;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
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
    public Message post(Caller sender, UUID sessionId, String body, String clientMsgId) {
        Object outcome = postAll(List.of(new Line(sender.id(), sessionId, body, clientMsgId))).get(0);
        if (outcome instanceof DomainException refused) {
            throw refused;
        }
        return (Message) outcome;
    }

    /**
     * Stores many chat lines in this one transaction (the socket layer groups the lines that arrive while the
     * previous group commits): the sessions' rows are locked in id order, each line gets its session's next number
     * in the order given, and all are inserted with one statement. Returns, per line and in order, the stored
     * {@link Message} or the {@link DomainException} refusing it; a refused line changes nothing.
     */
    public List<Object> postAll(List<Line> lines) {
        try (Connection c = dataSource.getConnection()) {
            Map<UUID, Seats> sessions = lockSessions(c, lines);
            Map<String, Message> stored = storedLines(c, lines);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<Object> outcomes = new ArrayList<>();
            List<Message> fresh = new ArrayList<>();
            for (Line line : lines) {
                Seats s = sessions.get(line.sessionId());
                String key = line.clientMsgId() == null ? null : line.sessionId() + "/" + line.senderId() + "/" + line.clientMsgId();
                if (s == null || !(s.userId().equals(line.senderId()) || s.expertId().equals(line.senderId()))) {
                    outcomes.add(Problems.notFound("session"));
                } else if (key != null && stored.containsKey(key)) {
                    outcomes.add(stored.get(key));
                } else if (s.ended()) {
                    outcomes.add(Problems.conflict("session-ended", "the session has ended"));
                } else {
                    Message m = new Message(line.sessionId(), ++s.lastSeq, line.senderId(), line.body(), now, line.clientMsgId());
                    fresh.add(m);
                    outcomes.add(m);
                    if (key != null) {
                        stored.put(key, m);
                    }
                }
            }
            insert(c, fresh, sessions);
            for (Message m : fresh) {
                relay(m, sessions.get(m.sessionId()));
            }
            return outcomes;
        } catch (SQLException e) {
            throw new PersistenceException("chat lines could not be stored", e);
        }
    }

    /** A session's participants, state and last number, read under its row lock. */
    private static final class Seats {
        final UUID userId;
        final UUID expertId;
        final boolean ended;
        final int firstSeq;
        int lastSeq;

        Seats(UUID userId, UUID expertId, boolean ended, int lastSeq) {
            this.userId = userId;
            this.expertId = expertId;
            this.ended = ended;
            this.firstSeq = lastSeq;
            this.lastSeq = lastSeq;
        }

        UUID userId() {
            return userId;
        }

        UUID expertId() {
            return expertId;
        }

        boolean ended() {
            return ended;
        }
    }

    private static Map<UUID, Seats> lockSessions(Connection c, List<Line> lines) throws SQLException {
        Map<UUID, Seats> sessions = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement(
                "select id, user_id, expert_id, status, last_seq from live_session where id = any(?) order by id for update")) {
            q.setArray(1, c.createArrayOf("uuid", lines.stream().map(Line::sessionId).distinct().toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    sessions.put(rs.getObject(1, UUID.class), new Seats(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                            "ENDED".equals(rs.getString(4)), rs.getInt(5)));
                }
            }
        }
        return sessions;
    }

    /** Lines already stored under the clientMsgIds of {@code lines}, keyed session/sender/clientMsgId. */
    private static Map<String, Message> storedLines(Connection c, List<Line> lines) throws SQLException {
        Map<String, Message> stored = new HashMap<>();
        List<Line> keyed = lines.stream().filter(l -> l.clientMsgId() != null).toList();
        if (keyed.isEmpty()) {
            return stored;
        }
        try (PreparedStatement q = c.prepareStatement("""
                select m.session_id, m.sender_id, m.client_msg_id, m.seq, m.body, m.sent_at
                from chat_message m join unnest(?::uuid[], ?::uuid[], ?::varchar[]) as k(session_id, sender_id, client_msg_id)
                  on m.session_id = k.session_id and m.sender_id = k.sender_id and m.client_msg_id = k.client_msg_id""")) {
            q.setArray(1, c.createArrayOf("uuid", keyed.stream().map(Line::sessionId).toArray()));
            q.setArray(2, c.createArrayOf("uuid", keyed.stream().map(Line::senderId).toArray()));
            q.setArray(3, c.createArrayOf("varchar", keyed.stream().map(Line::clientMsgId).toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Message m = new Message(rs.getObject(1, UUID.class), rs.getInt(4), rs.getObject(2, UUID.class), rs.getString(5),
                            rs.getTimestamp(6).toInstant(), rs.getString(3));
                    stored.put(m.sessionId() + "/" + m.senderId() + "/" + m.clientMsgId(), m);
                }
            }
        }
        return stored;
    }

    private static void insert(Connection c, List<Message> fresh, Map<UUID, Seats> sessions) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("""
                insert into chat_message (session_id, seq, sender_id, body, client_msg_id, sent_at)
                select * from unnest(?::uuid[], ?::int[], ?::uuid[], ?::varchar[], ?::varchar[], ?::timestamptz[])""")) {
            insert.setArray(1, c.createArrayOf("uuid", fresh.stream().map(Message::sessionId).toArray()));
            insert.setArray(2, c.createArrayOf("int4", fresh.stream().map(Message::seq).toArray()));
            insert.setArray(3, c.createArrayOf("uuid", fresh.stream().map(Message::senderId).toArray()));
            insert.setArray(4, c.createArrayOf("varchar", fresh.stream().map(Message::body).toArray()));
            insert.setArray(5, c.createArrayOf("varchar", fresh.stream().map(Message::clientMsgId).toArray()));
            insert.setArray(6, c.createArrayOf("timestamptz", fresh.stream().map(m -> Timestamp.from(m.sentAt())).toArray()));
            insert.executeUpdate();
        }
        List<Map.Entry<UUID, Seats>> moved = sessions.entrySet().stream().filter(e -> e.getValue().lastSeq != e.getValue().firstSeq).toList();
        try (PreparedStatement update = c.prepareStatement(
                "update live_session s set last_seq = d.last_seq from unnest(?::uuid[], ?::int[]) as d(id, last_seq) where s.id = d.id")) {
            update.setArray(1, c.createArrayOf("uuid", moved.stream().map(Map.Entry::getKey).toArray()));
            update.setArray(2, c.createArrayOf("int4", moved.stream().map(e -> e.getValue().lastSeq).toArray()));
            update.executeUpdate();
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
