package org.parley.live;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides when billing runs: on every node, an EJB timer sweeps the due sessions every {@value #SLICE_MILLIS} ms (a
 * charge is late by about that much at most, plus the sweep's own time). A sweep
 * first charges paid-up sessions set-based in batches ({@link PeriodCharges}, one transaction per batch of
 * {@value #BATCH}), then hands whatever needs a decision (a wallet that cannot pay, a grace running out, the maximum
 * duration) to {@link SessionService#tick}, one small transaction each, several at a time. Nodes share the work
 * safely: both paths skip sessions another node holds ({@code FOR UPDATE SKIP LOCKED}), and a period can be charged
 * only once.
 * The same sweep drops expired queue entries, takes experts whose sockets are gone offline, and ends sessions
 * whose expert is offline or whose two sides have both been disconnected past the timeout (once a second).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BillingScheduler {

    private static final Logger LOG = Logger.getLogger(BillingScheduler.class.getName());
    /** Five sweeps a second: while the database is down, one line every 10 s with the count, not five stack traces a second. */
    private static final org.parley.common.RareLog SWEEP_FAILED = new org.parley.common.RareLog(LOG, 10);
    private static final int BATCH = 500;
    private static final int WORKERS = 8;
    private static final long SLICE_MILLIS = 200;

    @Inject
    private SessionService sessions;
    @Inject
    private PeriodCharges charges;
    @Inject
    private SessionQueue queue;
    @Inject
    private Presence presence;
    @Inject
    private LiveNodes nodes;
    @Inject
    private LiveEvents events;
    @Inject
    private Clock clock;
    @Resource
    private ManagedExecutorService executor;
    @Resource
    private TimerService timers;

    private volatile boolean stopping;
    private volatile long lastHousekeeping = System.nanoTime() - 1_000_000_000L;

    @PostConstruct
    void schedule() {
        next(SLICE_MILLIS);
    }

    /**
     * Charges what is due; once a second also the housekeeping. Then arms the next sweep {@value #SLICE_MILLIS} ms
     * after this one began (at once if it took longer): one chain of single-action timers per node, so sweeps never
     * overlap and a slow one delays the next instead of being skipped. Nothing escapes it, so the container never
     * retries a sweep next to the chain.
     */
    @Timeout
    void sweep() {
        long began = System.nanoTime();
        try {
            chargeDue();
            if (began - lastHousekeeping >= 1_000_000_000L) {
                lastHousekeeping = began;
                housekeeping();
            }
        } catch (RuntimeException e) {
            if (!stopping) {
                SWEEP_FAILED.log(Level.WARNING, "billing sweep failed; the next one retries", e);
            }
        } finally {
            next(Math.max(1, SLICE_MILLIS - (System.nanoTime() - began) / 1_000_000));
        }
    }

    private void next(long delayMillis) {
        if (stopping) {
            return;
        }
        try {
            timers.createSingleActionTimer(delayMillis, new TimerConfig("billing-sweep", false));
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.log(Level.SEVERE, "could not arm the next billing sweep", e);
            }
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
    }

    /** Once a second: expired queue entries, experts whose sockets are gone, sessions nobody is in any more. */
    private void housekeeping() {
        events.releaseHeldLines();
        nodes.heartbeatAndReap();
        queue.expire();
        // Both sides gone first: such a session ends as disconnected, not because its expert went offline. Both look
        // at the same instant, or an expert whose last socket closed between two clock reads would be taken offline
        // (ending its session as expert-offline) in the very pass that did not yet count the session as abandoned.
        Instant now = clock.instant();
        presence.abandonedSessions(now).forEach(id -> endQuietly(id, EndReason.DISCONNECTED));
        presence.expireExperts(now);
        presence.sessionsOfOfflineExperts().forEach(id -> endQuietly(id, EndReason.EXPERT_OFFLINE));
    }

    /** Charges every session due now: paid-up ones in batches, then the rest one by one. */
    private void chargeDue() {
        PeriodCharges.Batch batch;
        do {
            try {
                batch = charges.chargeDue(clock.instant(), BATCH);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a billing batch failed; its sessions are retried by the ticks and the next sweep", e);
                break;
            }
            batch.forTick().forEach(this::tickQuietly);
        } while (batch.claimed() == BATCH);
        List<UUID> due;
        do {
            due = sessions.due(clock.instant(), BATCH);
            tickInParallel(due);
        } while (due.size() == BATCH);
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
