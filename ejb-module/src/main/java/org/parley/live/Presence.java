package org.parley.live;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.Problems;
import org.parley.expert.ExpertService;
import org.parley.expert.ExpertViews;
import org.parley.identity.Caller;
import org.parley.identity.Role;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
            int changed = em.createNativeQuery("update expert_profile set online = true"
                            + " where account_id = ?1 and status = 'APPROVED' and not online and not away")
                    .setParameter(1, caller.id()).executeUpdate();
            if (changed == 1) {
                events.publishToAll(onlineFrame(caller.id()));
            }
        }
    }

    /**
     * An expert goes online or offline by REST; everyone listening hears it if it changed. Offline makes the expert
     * away: its open sockets do not bring it back online until it goes online again (or its sockets have all been gone
     * for the disconnect timeout). Only an APPROVED expert may go online (403); the check constraint backs it.
     */
    public ExpertViews.Own set(Caller caller, boolean online) {
        List<?> before = em.createNativeQuery("select online from expert_profile where account_id = ?1 for update")
                .setParameter(1, caller.id()).getResultList();
        if (before.isEmpty()) {
            throw Problems.notFound("expert profile");
        }
        int changed = em.createNativeQuery("update expert_profile set online = ?2, away = not ?2"
                        + " where account_id = ?1 and (not ?2 or status = 'APPROVED')")
                .setParameter(1, caller.id()).setParameter(2, online).executeUpdate();
        if (changed == 0) {
            throw Problems.forbidden("only approved experts can go online");
        }
        if ((Boolean) before.get(0) != online) {
            events.publishToAll(online ? onlineFrame(caller.id()) : offlineFrame(caller.id()));
        }
        em.clear();
        return experts.own(caller);
    }

    /** {@code expert-online} with the expert's public card. */
    private Map<String, Object> onlineFrame(UUID expertId) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "expert-online");
        frame.put("expert", experts.publicProfile(expertId));
        return frame;
    }

    /** {@code expert-offline}. */
    public static Map<String, Object> offlineFrame(Object expertId) {
        return Map.of("type", "expert-offline", "expertId", expertId);
    }

    /**
     * One socket of the caller on this node closed. Counted down only if this node still counts it: after this node was
     * reaped (its counts taken off), closing its sockets changes nothing.
     */
    public void disconnected(Caller caller) {
        em.createNativeQuery("""
                        with mine as (
                            update node_socket set sockets = sockets - 1 where node_id = ?1 and account_id = ?2 and sockets > 0 returning 1
                        )
                        update socket_presence set sockets = greatest(sockets - 1, 0), changed_at = ?3
                        where account_id = ?2 and exists (select 1 from mine)""")
                .setParameter(1, nodes.id()).setParameter(2, caller.id()).setParameter(3, Timestamp.from(clock.instant())).executeUpdate();
    }

    /**
     * Takes experts whose sockets have been gone past the timeout offline (and ends their being away: the app was
     * closed, the next connection starts afresh); returns those that were online.
     */
    public List<UUID> expireExperts(Instant now) {
        Instant before = now.minusSeconds(settings.get(Setting.DISCONNECT_TIMEOUT_SECONDS));
        List<?> rows = em.createNativeQuery("""
                        with gone as (
                            select p.account_id, p.online from expert_profile p join socket_presence sp on sp.account_id = p.account_id
                            where (p.online or p.away) and sp.sockets = 0 and sp.changed_at <= ?1
                            for update of p
                        )
                        update expert_profile p set online = false, away = false from gone
                        where p.account_id = gone.account_id
                        returning p.account_id, gone.online
                        """).setParameter(1, Timestamp.from(before)).getResultList();
        List<UUID> offline = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            if ((Boolean) r[1]) {
                offline.add((UUID) r[0]);
                events.publishToAll(offlineFrame(r[0]));
            }
        }
        return offline;
    }

    /** Live sessions whose two sides have both had no socket for longer than the timeout, as of {@code now}. */
    public List<UUID> abandonedSessions(Instant now) {
        Instant before = now.minusSeconds(settings.get(Setting.DISCONNECT_TIMEOUT_SECONDS));
        return em.createNativeQuery("""
                        select s.id from live_session s
                        join socket_presence u on u.account_id = s.user_id
                        join socket_presence e on e.account_id = s.expert_id
                        where s.status <> 'ENDED' and s.booking_id is null and u.sockets = 0 and e.sockets = 0
                          and u.changed_at <= ?1 and e.changed_at <= ?1
                        """).setParameter(1, Timestamp.from(before)).getResultList().stream().map(UUID.class::cast).toList();
    }

    /** Live sessions whose expert is no longer online (went offline by REST or by disconnecting). */
    public List<UUID> sessionsOfOfflineExperts() {
        return em.createNativeQuery("""
                        select s.id from live_session s join expert_profile p on p.account_id = s.expert_id
                        where s.status <> 'ENDED' and s.booking_id is null and not p.online
                        """).getResultList().stream().map(UUID.class::cast).toList();
    }
}
