package org.parley.live;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.Channel;
import org.parley.common.Problems;
import org.parley.identity.Caller;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Each expert's FIFO queue of waiting users, kept in the database (a restart keeps it). Positions are 1-based and
 * every waiting user is told theirs whenever it changes; entries expire after {@code queueTimeoutSeconds}.
 */
@Stateless
public class SessionQueue {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private PlatformSettings settings;
    @Inject
    private LiveEvents events;
    @Inject
    private Clock clock;

    /** A waiting user, in order. */
    public record Waiting(long id, UUID userId, Channel channel) {
    }

    /** Puts the user at the end of the expert's queue (409 if already waiting somewhere); returns the position. */
    public int join(Caller user, UUID expertId, Channel channel) {
        Instant now = clock.instant();
        int inserted = em.createNativeQuery("insert into session_queue (expert_id, user_id, channel, joined_at, expires_at)"
                        + " values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                .setParameter(1, expertId).setParameter(2, user.id()).setParameter(3, channel.name())
                .setParameter(4, Timestamp.from(now))
                .setParameter(5, Timestamp.from(now.plusSeconds(settings.get(Setting.QUEUE_TIMEOUT_SECONDS)))).executeUpdate();
        if (inserted == 0) {
            throw Problems.conflict("already-queued", "you are already waiting for an expert");
        }
        int position = waiting(expertId).size();
        Map<String, Object> joined = frame("queue-joined", expertId, position);
        events.publish(user.id(), joined);
        return position;
    }

    /** Leaves the expert's queue; those behind move up and are told. */
    public void leave(Caller user, UUID expertId) {
        int removed = em.createNativeQuery("delete from session_queue where expert_id = ?1 and user_id = ?2")
                .setParameter(1, expertId).setParameter(2, user.id()).executeUpdate();
        if (removed == 0) {
            throw Problems.notFound("queue entry");
        }
        announce(expertId);
    }

    /** Entries in order (oldest first). */
    public List<Waiting> waiting(UUID expertId) {
        List<?> rows = em.createNativeQuery("select id, user_id, channel from session_queue where expert_id = ?1 order by id")
                .setParameter(1, expertId).getResultList();
        return rows.stream().map(o -> {
            Object[] r = (Object[]) o;
            return new Waiting(((Number) r[0]).longValue(), (UUID) r[1], Channel.valueOf((String) r[2]));
        }).toList();
    }

    public void remove(long entryId) {
        em.createNativeQuery("delete from session_queue where id = ?1").setParameter(1, entryId).executeUpdate();
    }

    /** Drops expired entries and tells the rest of each affected queue their new positions. */
    public void expire() {
        List<?> experts = em.createNativeQuery("delete from session_queue where expires_at <= ?1 returning expert_id")
                .setParameter(1, Timestamp.from(clock.instant())).getResultList();
        experts.stream().distinct().forEach(e -> announce((UUID) e));
    }

    /** Tells every user waiting for {@code expertId} their position. */
    public void announce(UUID expertId) {
        int position = 0;
        for (Waiting w : waiting(expertId)) {
            events.publish(w.userId(), frame("queue-status", expertId, ++position));
        }
    }

    private static Map<String, Object> frame(String type, UUID expertId, int position) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", type);
        f.put("expertId", expertId);
        f.put("position", position);
        return f;
    }
}
