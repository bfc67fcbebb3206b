package org.parley.live;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.expert.ExpertService;
import org.parley.identity.Caller;
import org.parley.identity.Role;
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
 * Who is connected. Socket counts per account live in the database so every node sees them, and per node too
 * ({@link LiveNodes}), so the sockets of a node that dies are taken off the counts when it is reaped. An approved expert who
 * connects goes online; one whose sockets have all been gone for {@code disconnectTimeoutSeconds} goes offline.
 * Everyone connected hears {@code expert-online} / {@code expert-offline}.
 */
@Stateless
public class Presence {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private ExpertService experts;
    @Inject
    private PlatformSettings settings;
    @Inject
    private LiveEvents events;
    @Inject
    private Clock clock;
    @Inject
    private LiveNodes nodes;

    public void connected(Caller caller) {
        em.createNativeQuery("insert into socket_presence (account_id, sockets, changed_at) values (?1, 1, ?2)"
                        + " on conflict (account_id) do update set sockets = socket_presence.sockets + 1, changed_at = excluded.changed_at")
                .setParameter(1, caller.id()).setParameter(2, Timestamp.from(clock.instant())).executeUpdate();
        em.createNativeQuery("insert into node_socket (node_id, account_id, sockets) values (?1, ?2, 1)"
                        + " on conflict (node_id, account_id) do update set sockets = node_socket.sockets + 1")
                .setParameter(1, nodes.id()).setParameter(2, caller.id()).executeUpdate();
        if (caller.role() == Role.EXPERT) {
            int changed = em.createNativeQuery("update expert_profile set online = true where account_id = ?1 and status = 'APPROVED' and not online")
                    .setParameter(1, caller.id()).executeUpdate();
            if (changed == 1) {
                Map<String, Object> frame = new LinkedHashMap<>();
                frame.put("type", "expert-online");
                frame.put("expert", experts.publicProfile(caller.id()));
                events.publishToAll(frame);
            }
        }
    }

    public void disconnected(Caller caller) {
        em.createNativeQuery("update socket_presence set sockets = greatest(sockets - 1, 0), changed_at = ?2 where account_id = ?1")
                .setParameter(1, caller.id()).setParameter(2, Timestamp.from(clock.instant())).executeUpdate();
        em.createNativeQuery("update node_socket set sockets = greatest(sockets - 1, 0) where node_id = ?1 and account_id = ?2")
                .setParameter(1, nodes.id()).setParameter(2, caller.id()).executeUpdate();
    }

    /** Takes experts whose sockets have been gone past the timeout offline; returns them. */
    public List<UUID> expireExperts() {
        Instant before = clock.instant().minusSeconds(settings.get(Setting.DISCONNECT_TIMEOUT_SECONDS));
        List<?> gone = em.createNativeQuery("""
                        update expert_profile p set online = false from socket_presence sp
                        where sp.account_id = p.account_id and p.online and sp.sockets = 0 and sp.changed_at <= ?1
                        returning p.account_id
                        """).setParameter(1, Timestamp.from(before)).getResultList();
        for (Object id : gone) {
            events.publishToAll(Map.of("type", "expert-offline", "expertId", id));
        }
        return gone.stream().map(UUID.class::cast).toList();
    }

    /** Live sessions whose two sides have both had no socket for longer than the timeout. */
    public List<UUID> abandonedSessions() {
        Instant before = clock.instant().minusSeconds(settings.get(Setting.DISCONNECT_TIMEOUT_SECONDS));
        return em.createNativeQuery("""
                        select s.id from live_session s
                        join socket_presence u on u.account_id = s.user_id
                        join socket_presence e on e.account_id = s.expert_id
                        where s.status <> 'ENDED' and u.sockets = 0 and e.sockets = 0
                          and u.changed_at <= ?1 and e.changed_at <= ?1
                        """).setParameter(1, Timestamp.from(before)).getResultList().stream().map(UUID.class::cast).toList();
    }

    /** Live sessions whose expert is no longer online (went offline by REST or by disconnecting). */
    public List<UUID> sessionsOfOfflineExperts() {
        return em.createNativeQuery("""
                        select s.id from live_session s join expert_profile p on p.account_id = s.expert_id
                        where s.status <> 'ENDED' and not p.online
                        """).getResultList().stream().map(UUID.class::cast).toList();
    }
}
