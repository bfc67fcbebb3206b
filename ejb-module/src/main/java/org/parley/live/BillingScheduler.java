package org.parley.live;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides when billing runs: every second, on every node, it sweeps the sessions whose charge (or grace end) is due
 * and hands each to {@link SessionService#tick} in its own small transaction, several at a time. Nodes share the work safely: a tick
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
    private static final int BATCH = 2_000;
    private static final int WORKERS = 8;

    @Inject
    private SessionService sessions;
    @Inject
    private SessionQueue queue;
    @Inject
    private Presence presence;
    @Inject
    private Clock clock;
    @Resource
    private ManagedExecutorService executor;

    private final AtomicBoolean running = new AtomicBoolean();

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false, info = "billing-sweep")
    void sweep() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            List<UUID> due;
            do {
                due = sessions.due(clock.instant(), BATCH);
                tickInParallel(due);
            } while (due.size() == BATCH);
            queue.expire();
            // Both sides gone first: such a session ends as disconnected, not because its expert went offline.
            presence.abandonedSessions().forEach(id -> endQuietly(id, EndReason.DISCONNECTED));
            presence.expireExperts();
            presence.sessionsOfOfflineExperts().forEach(id -> endQuietly(id, EndReason.EXPERT_OFFLINE));
        } finally {
            running.set(false);
        }
    }

    /** Ticks run on the managed executor in {@value #WORKERS} lanes; each tick is its own transaction. */
    private void tickInParallel(List<UUID> due) {
        if (due.size() < 2 * WORKERS) {
            due.forEach(this::tickQuietly);
            return;
        }
        List<Callable<Void>> lanes = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int lane = w;
            lanes.add(() -> {
                for (int i = lane; i < due.size(); i += WORKERS) {
                    tickQuietly(due.get(i));
                }
                return null;
            });
        }
        try {
            for (Future<Void> f : executor.invokeAll(lanes)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "a billing lane failed; its sessions are retried next sweep", e.getCause());
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
