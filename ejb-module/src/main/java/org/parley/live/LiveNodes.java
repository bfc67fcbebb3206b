package org.parley.live;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * This node's identity among the nodes holding sockets: a fresh id per boot, a row in {@code live_node} beating with
 * the housekeeping, and the reaping of nodes that stopped beating for {@code parley.live.node-timeout-seconds}
 * (default 30): their sockets are taken off the accounts' counts, as if each had disconnected at the reaping.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class LiveNodes {

    private static final Logger LOG = Logger.getLogger(LiveNodes.class.getName());

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Clock clock;
    @Inject
    private LiveEvents events;
    @Inject
    @ConfigProperty(name = "parley.live.node-timeout-seconds", defaultValue = "30")
    private int timeoutSeconds;

    private final UUID id = UUID.randomUUID();

    @PostConstruct
    void register() {
        insert(clock.instant());
        LOG.info("live node " + id + " registered");
    }

    /** This node's row, named after its JVM (pid@host), beating from {@code now}; nothing if it is there. */
    private void insert(Instant now) {
        em.createNativeQuery("insert into live_node (id, name, started_at, heartbeat_at) values (?1, ?2, ?3, ?3) on conflict (id) do nothing")
                .setParameter(1, id).setParameter(2, ManagementFactory.getRuntimeMXBean().getName()).setParameter(3, Timestamp.from(now))
                .executeUpdate();
    }

    public UUID id() {
        return id;
    }

    /**
     * Beats for this node and reaps the nodes that stopped; returns how many were reaped. A node that finds itself
     * reaped (it was silent past the timeout while alive: a slow boot on a busy machine, a long pause) registers again
     * and closes its sockets (1012, service restart): the reaping took them off the counts, so their clients reconnect
     * and are counted afresh.
     */
    public int heartbeatAndReap() {
        Instant now = clock.instant();
        int beat = em.createNativeQuery("update live_node set heartbeat_at = ?2 where id = ?1")
                .setParameter(1, id).setParameter(2, Timestamp.from(now)).executeUpdate();
        if (beat == 0) {
            insert(now);
            LOG.warning("live node " + id + " had been reaped by another node (silent for more than " + timeoutSeconds
                    + " s); registered again, its sockets are closed for their clients to reconnect");
            events.closeSocketsHere("node-rejoined", "the server is reconnecting you");
        }
        int reaped = reap("heartbeat_at < ?1 and id <> ?2", now.minusSeconds(timeoutSeconds), now);
        if (reaped > 0) {
            LOG.warning("reaped " + reaped + " live node(s) silent for more than " + timeoutSeconds + " s; their sockets are gone");
        }
        return reaped;
    }

    /** A node shutting down in order takes its own sockets off the counts (their sockets close with it). */
    @PreDestroy
    void leave() {
        // every statement binds ?1; typed here, or PostgreSQL cannot tell what an untyped timestamp parameter is
        reap("id = ?2 and cast(?1 as timestamptz) is not null", clock.instant(), clock.instant());
    }

    private int reap(String which, Instant silentSince, Instant now) {
        return ((Number) em.createNativeQuery("""
                        with dead as (
                            delete from live_node where %s returning id
                        ), gone as (
                            delete from node_socket s using dead where s.node_id = dead.id returning s.account_id, s.sockets
                        ), counts as (
                            update socket_presence p set sockets = greatest(p.sockets - g.total, 0), changed_at = ?3
                            from (select account_id, sum(sockets) as total from gone group by account_id) g
                            where p.account_id = g.account_id and g.total > 0
                        )
                        select count(*) from dead""".formatted(which))
                .setParameter(1, Timestamp.from(silentSince)).setParameter(2, id).setParameter(3, Timestamp.from(now))
                .getSingleResult()).intValue();
    }
}
