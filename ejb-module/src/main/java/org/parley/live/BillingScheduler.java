package org.parley.live;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides when billing runs: every second, on every node, it sweeps the sessions whose charge (or grace end) is due
 * and hands each to {@link SessionService#tick} in its own small transaction. Nodes share the work safely: a tick
 * skips a session another node holds ({@code FOR UPDATE SKIP LOCKED}), and a period can be charged only once.
 * The same sweep drops expired queue entries, takes experts whose sockets are gone offline, and ends sessions
 * whose expert is offline or whose two sides have both been disconnected past the timeout. A sweep still running when the next second comes is not
 * started twice.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BillingScheduler {

    private static final Logger LOG = Logger.getLogger(BillingScheduler.class.getName());
    private static final int BATCH = 500;

    @Inject
    private SessionService sessions;
    @Inject
    private SessionQueue queue;
    @Inject
    private Presence presence;
    @Inject
    private Clock clock;

    private final AtomicBoolean running = new AtomicBoolean();

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false, info = "billing-sweep")
    void sweep() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            for (UUID id : sessions.due(clock.instant(), BATCH)) {
                tickQuietly(id);
            }
            queue.expire();
            // Both sides gone first: such a session ends as disconnected, not because its expert went offline.
            presence.abandonedSessions().forEach(id -> endQuietly(id, EndReason.DISCONNECTED));
            presence.expireExperts();
            presence.sessionsOfOfflineExperts().forEach(id -> endQuietly(id, EndReason.EXPERT_OFFLINE));
        } finally {
            running.set(false);
        }
    }

    private void endQuietly(UUID id, EndReason reason) {
        try {
            sessions.endBySystem(id, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not end session " + id + "; retried next sweep", e);
        }
    }

    private void tickQuietly(UUID id) {
        try {
            sessions.tick(id);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "billing tick failed for session " + id + "; retried next sweep", e);
        }
    }
}
