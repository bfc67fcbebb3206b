package org.parley.live;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.Access;
import org.parley.common.Problems;
import org.parley.identity.Caller;
import org.parley.common.db.Rows;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Chat inside live sessions: lines stored with a per-session sequence number and relayed to both participants. */
@Stateless
public class ChatService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private LiveEvents events;
    @Inject
    private Clock clock;

    /** One chat line as stored and relayed. */
    public record Message(UUID sessionId, int seq, UUID senderId, String body, Instant sentAt, String clientMsgId) {
    }

    /**
     * Stores a chat line with the session's next sequence number (under its row lock) and relays it to both
     * participants. Only the participants of a live session may post; a repeated clientMsgId returns the stored line.
     */
    public Message post(Caller sender, UUID sessionId, String body, String clientMsgId) {
        if (clientMsgId != null) {
            Message stored = stored(sessionId, sender.id(), clientMsgId);
            if (stored != null) {
                return stored;
            }
        }
        // One statement takes the session's row lock, checks the sender and the state, and draws the next number.
        List<?> drawn = em.createNativeQuery("update live_session set last_seq = last_seq + 1 where id = ?1"
                        + " and (user_id = ?2 or expert_id = ?2) and status <> 'ENDED' returning last_seq, user_id, expert_id")
                .setParameter(1, sessionId).setParameter(2, sender.id()).getResultList();
        if (drawn.isEmpty()) {
            LiveSession s = em.find(LiveSession.class, sessionId);
            Access.requireOwner(s, sender.id(), "session");
            throw Problems.conflict("session-ended", "the session has ended");
        }
        Object[] row = (Object[]) drawn.get(0);
        Message m = new Message(sessionId, ((Number) row[0]).intValue(), sender.id(), body,
                clock.instant().truncatedTo(ChronoUnit.MICROS), clientMsgId);
        int inserted = em.createNativeQuery("insert into chat_message (session_id, seq, sender_id, body, client_msg_id, sent_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6) on conflict do nothing")
                .setParameter(1, sessionId).setParameter(2, m.seq()).setParameter(3, sender.id()).setParameter(4, body)
                .setParameter(5, clientMsgId).setParameter(6, java.sql.Timestamp.from(m.sentAt())).executeUpdate();
        if (inserted == 0) {
            // the same clientMsgId raced in from another socket: the line stored first is the line
            return stored(sessionId, sender.id(), clientMsgId);
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "new-message");
        frame.put("sessionId", sessionId);
        frame.put("seq", m.seq());
        frame.put("senderId", sender.id());
        frame.put("body", body);
        frame.put("sentAt", m.sentAt().toString());
        frame.put("clientMsgId", clientMsgId);
        events.publish((UUID) row[1], frame);
        events.publish((UUID) row[2], frame);
        return m;
    }

    private Message stored(UUID sessionId, UUID senderId, String clientMsgId) {
        List<?> existing = em.createNativeQuery("select seq, sent_at, body from chat_message where session_id = ?1 and sender_id = ?2"
                        + " and client_msg_id = ?3").setParameter(1, sessionId).setParameter(2, senderId)
                .setParameter(3, clientMsgId).getResultList();
        if (existing.isEmpty()) {
            return null;
        }
        Object[] r = (Object[]) existing.get(0);
        return new Message(sessionId, ((Number) r[0]).intValue(), senderId, (String) r[2], Rows.instant(r[1]), clientMsgId);
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
