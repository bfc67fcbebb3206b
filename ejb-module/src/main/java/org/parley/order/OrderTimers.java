package org.parley.order;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Once a second on every node: completes delivered orders whose time to accept ran out, and alerts orders due within a
 * day. What is due is read from the orders' own times, each order is worked on in its own transaction, a completion
 * under {@code FOR UPDATE SKIP LOCKED} and an alert by a conditional update: a restarted node loses nothing, and two
 * nodes neither complete nor alert an order twice.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OrderTimers {

    private static final Logger LOG = Logger.getLogger(OrderTimers.class.getName());
    /** A sweep a second: while the database is down, one line every 10 s with the count. */
    private static final org.parley.common.RareLog SWEEP_FAILED = new org.parley.common.RareLog(LOG, 10);
    private static final int BATCH = 100;

    @Inject
    private OrderService orders;
    @Inject
    private Clock clock;

    private final AtomicBoolean running = new AtomicBoolean();

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false, info = "order-timers")
    void sweep() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            Instant now = clock.instant();
            each(orders.dueCompletions(now, BATCH), orders::autoComplete, "complete");
            each(orders.dueDeadlineAlerts(now, BATCH), orders::alertDeadline, "alert the deadline of");
        } catch (RuntimeException e) {
            SWEEP_FAILED.log(Level.WARNING, "the order sweep failed; retried next second", e);
        } finally {
            running.set(false);
        }
    }

    private static void each(List<UUID> ids, Consumer<UUID> action, String what) {
        for (UUID id : ids) {
            try {
                action.accept(id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not " + what + " order " + id + "; retried next sweep", e);
            }
        }
    }
}
