package org.parley.live;

import jakarta.annotation.Resource;
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
import org.parley.common.Sql;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.live.LiveEvents.Delivery;

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
     * Stores many chat lines (the socket layer groups the lines that arrive while the previous group is stored) and
     * returns, per line and in order, the stored {@link Message} or the {@link DomainException} refusing it; a
     * refused line changes nothing. A group is one call of the database function {@code chat_post} (V18), a lone line
     * one plain statement ({@link #STORE_ONE}); either way one statement in its own transaction that answers strangers
     * and resends and numbers the rest after their session's highest number, so numbers never have holes. The primary
     * key (session, seq) makes a number given twice impossible: a call that loses a race for one (through another node)
     * fails whole and is made again. The new lines are relayed once it has returned (committed). Lines of sessions that
     * are not live are told apart afterwards ({@link #refuseTheRest}).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<Object> postAll(List<Line> lines) {
        Object[] repeats = new Object[lines.size()]; // a line's index where it repeats an earlier line of the group
        Map<String, Integer> firstOfKey = new HashMap<>();
        List<Integer> unique = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String key = key(lines.get(i));
            if (key != null && firstOfKey.putIfAbsent(key, i) != null) {
                repeats[i] = firstOfKey.get(key); // the same line twice in one group: answered with the first
            } else {
                unique.add(i);
            }
        }
        for (int attempt = 1; ; attempt++) {
            Object[] outcomes = repeats.clone();
            List<Delivery> relayed = new ArrayList<>();
            try (Connection c = dataSource.getConnection()) {
                if (!c.getAutoCommit()) {
                    throw new IllegalStateException("chat lines are stored in their own transaction (an auto-commit connection)");
                }
                if (unique.size() == 1) {
                    postOne(c, lines, unique.get(0), outcomes, relayed);
                } else {
                    post(c, lines, unique, outcomes, relayed);
                }
                refuseTheRest(c, lines, unique, outcomes);
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e, null) && attempt < MAX_ATTEMPTS) {
                    continue; // a number (or a resent line) was taken through another node meanwhile: numbered again
                }
                throw new PersistenceException("chat lines could not be stored", e);
            }
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] instanceof Integer first) {
                    outcomes[i] = outcomes[first];
                }
            }
            events.publishAll(relayed);
            return Arrays.asList(outcomes);
        }
    }

    /** Races for a number happen only between nodes, at the same instant, in one session: a few attempts are plenty. */
    private static final int MAX_ATTEMPTS = 10;

    /**
     * A lone line: inserted with its session's highest number + 1 if the session is live, the sender is one of its two
     * participants and its (session, sender, clientMsgId) is new; one plain statement, committed when it returns. The
     * session is found by id and the highest number by the primary key's last entry, whatever the statistics.
     */
    private static final String STORE_ONE = """
            with live as (
                select l.id, l.user_id, l.expert_id from live_session l
                where l.id = ? and l.status <> 'ENDED' and ? in (l.user_id, l.expert_id)
                for share -- an end waits for the line, or the line (re-checked) for the end: none is stored after it
            ), stored as (
                insert into chat_message (session_id, seq, sender_id, body, client_msg_id, sent_at)
                select live.id, coalesce((select max(c.seq) from chat_message c where c.session_id = live.id), 0) + 1, ?, ?, ?, ?
                from live
                on conflict (session_id, sender_id, client_msg_id) where client_msg_id is not null do nothing
                returning seq
            )
            select stored.seq, live.user_id, live.expert_id from stored, live""";

    /** Stores the lone line {@code i} (a group of one); a line not stored is left for {@link #refuseTheRest}. */
    private void postOne(Connection c, List<Line> lines, int i, Object[] outcomes, List<Delivery> relayed) throws SQLException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Line line = lines.get(i);
        try (PreparedStatement q = c.prepareStatement(STORE_ONE)) {
            q.setObject(1, line.sessionId());
            q.setObject(2, line.senderId());
            q.setObject(3, line.senderId());
            q.setString(4, line.body());
            q.setString(5, line.clientMsgId());
            q.setTimestamp(6, Timestamp.from(now));
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    outcomes[i] = stored(line, rs.getInt(1), now, rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), relayed);
                }
            }
        }
    }

    /** A line stored as number {@code seq}: its message, with its new-message frame added for both participants. */
    private static Message stored(Line line, int seq, Instant at, UUID userId, UUID expertId, List<Delivery> relayed) {
        Message m = new Message(line.sessionId(), seq, line.senderId(), line.body(), at, line.clientMsgId());
        Map<String, Object> frame = frame(m);
        relayed.add(new Delivery(userId, frame));
        relayed.add(new Delivery(expertId, frame));
        return m;
    }

    /** Calls chat_post for the lines {@code which}; fills their outcomes and the frames to relay for the new ones. */
    private void post(Connection c, List<Line> lines, List<Integer> which, Object[] outcomes, List<Delivery> relayed) throws SQLException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Line> group = which.stream().map(lines::get).toList();
        try (PreparedStatement q = c.prepareStatement("select * from chat_post(?, ?, ?, ?, ?)")) {
            q.setArray(1, c.createArrayOf("uuid", group.stream().map(Line::sessionId).toArray()));
            q.setArray(2, c.createArrayOf("uuid", group.stream().map(Line::senderId).toArray()));
            q.setArray(3, c.createArrayOf("varchar", group.stream().map(Line::body).toArray()));
            q.setArray(4, c.createArrayOf("varchar", group.stream().map(Line::clientMsgId).toArray()));
            q.setTimestamp(5, Timestamp.from(now));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    int i = which.get(rs.getInt(1) - 1);
                    Line line = lines.get(i);
                    switch (rs.getString(2)) {
                        case "new" -> outcomes[i] = stored(line, rs.getInt(3), now, rs.getObject(6, UUID.class), rs.getObject(7, UUID.class), relayed);
                        case "resent" -> outcomes[i] = new Message(line.sessionId(), rs.getInt(3), line.senderId(), rs.getString(4),
                                rs.getTimestamp(5).toInstant(), line.clientMsgId());
                        default -> outcomes[i] = Problems.notFound("session"); // a stranger: not told the session exists
                    }
                }
            }
        }
    }

    /** A session's two participants. */
    private record Seats(UUID userId, UUID expertId) {

        boolean isParticipant(UUID accountId) {
            return userId.equals(accountId) || expertId.equals(accountId);
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

    /** The stored lines under the keys (session/sender/clientMsgId) of {@code keyed}, lines that carry a clientMsgId. */
    private static Map<String, Message> storedLines(Connection c, List<Line> keyed) throws SQLException {
        Map<String, Message> stored = new HashMap<>();
        if (keyed.isEmpty()) {
            return stored;
        }
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
     * Lines chat_post did not answer (their session is not live, or unknown): a resend of a stored line gets that line (a client retrying after the
     * end learns its line was kept); otherwise 409 if the session ended and the sender took part in it, 404 if not.
     */
    private static void refuseTheRest(Connection c, List<Line> lines, List<Integer> candidates, Object[] outcomes) throws SQLException {
        List<Integer> rest = candidates.stream().filter(i -> outcomes[i] == null).toList();
        if (rest.isEmpty()) {
            return;
        }
        Map<String, Message> stored = storedLines(c, rest.stream().map(lines::get).filter(l -> l.clientMsgId() != null).toList());
        Map<UUID, Seats> ended = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("select id, user_id, expert_id from live_session where id = any(?) and status = 'ENDED'")) {
            q.setArray(1, c.createArrayOf("uuid", rest.stream().map(i -> lines.get(i).sessionId()).distinct().toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ended.put(rs.getObject(1, UUID.class), new Seats(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class)));
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

    /** The new-message frame of a stored line (to every socket of both participants). */
    private static Map<String, Object> frame(Message m) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "new-message");
        frame.put("sessionId", m.sessionId());
        frame.put("seq", m.seq());
        frame.put("senderId", m.senderId());
        frame.put("body", m.body());
        frame.put("sentAt", m.sentAt().toString());
        frame.put("clientMsgId", m.clientMsgId());
        return frame;
    }

    /** The most lines one page of history holds, and how many it holds unless asked otherwise. */
    public static final int MAX_PAGE = 500;
    /** What participants read instead of a line hidden by moderation. */
    public static final String HIDDEN_BODY = "[removed by moderation]";
    public static final int DEFAULT_PAGE = 100;

    /** A page of a session's history: its lines in order, and whether more follow the last of them. */
    public record History(List<Message> items, boolean hasMore) {
    }

    /**
     * Up to {@code limit} (1..{@value #MAX_PAGE}) lines of the session's chat after {@code afterSeq}, in order; a
     * client catches up by asking again after the last seq it got while {@code hasMore}. Participants (and admins) only.
     */
    public History messages(Caller caller, UUID sessionId, int afterSeq, int limit) {
        List<DomainException.FieldError> errors = new ArrayList<>();
        if (afterSeq < 0) {
            errors.add(new DomainException.FieldError("afterSeq", "must be 0 or more"));
        }
        if (limit < 1 || limit > MAX_PAGE) {
            errors.add(new DomainException.FieldError("limit", "must be between 1 and " + MAX_PAGE));
        }
        if (!errors.isEmpty()) {
            throw Problems.badRequest("invalid history parameters", errors);
        }
        LiveSession s = em.find(LiveSession.class, sessionId);
        if (!(caller.isAdmin() && s != null)) {
            Access.requireOwner(s, caller.id(), "session");
        }
        // A line hidden by moderation reads as a placeholder to its participants; admins still read the original.
        List<?> rows = em.createNativeQuery("select seq, sender_id, case when hidden_at is null or ?3 then body else ?4 end, sent_at,"
                        + " client_msg_id from chat_message where session_id = ?1 and seq > ?2 order by seq")
                .setParameter(1, sessionId).setParameter(2, afterSeq).setParameter(3, caller.isAdmin()).setParameter(4, HIDDEN_BODY)
                .setMaxResults(limit + 1).getResultList();
        List<Message> items = rows.stream().limit(limit).map(o -> {
            Object[] r = (Object[]) o;
            return new Message(sessionId, ((Number) r[0]).intValue(), (UUID) r[1], (String) r[2], Rows.instant(r[3]), (String) r[4]);
        }).toList();
        return new History(items, rows.size() > limit);
    }
}
