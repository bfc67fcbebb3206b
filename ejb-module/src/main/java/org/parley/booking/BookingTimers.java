package org.parley.booking;

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
 * Once a second on every node: expires undecided requests at their start, decides no-shows, sends due reminders.
 * What is due lives in the database (the bookings' times, booking_reminder rows), so a restarted node neither loses
 * nor repeats anything; each booking is worked on in its own transaction under {@code FOR UPDATE SKIP LOCKED}, so nodes
 * share the work and each decision and reminder happens once.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BookingTimers {

    private static final Logger LOG = Logger.getLogger(BookingTimers.class.getName());
    /** A sweep a second: while the database is down, one line every 10 s with the count. */
    private static final org.parley.common.RareLog SWEEP_FAILED = new org.parley.common.RareLog(LOG, 10);
    private static final int BATCH = 100;

    @Inject
    private BookingService bookings;
    @Inject
    private Clock clock;

    private final AtomicBoolean running = new AtomicBoolean();

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false, info = "booking-timers")
    void sweep() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            Instant now = clock.instant();
            each(bookings.dueExpiries(now, BATCH), bookings::expire, "expire");
            each(bookings.dueNoShows(now, BATCH), bookings::decideNoShow, "decide the no-show of");
            List<Object[]> reminders = bookings.dueReminders(now, BATCH);
            for (Object[] r : reminders) {
                quietly(() -> bookings.remind((UUID) r[0], (String) r[1]), "send the " + r[1] + " reminder of booking " + r[0]);
            }
        } catch (RuntimeException e) {
            SWEEP_FAILED.log(Level.WARNING, "the booking sweep failed; retried next second", e);
        } finally {
            running.set(false);
        }
    }

    private static void each(List<UUID> ids, Consumer<UUID> action, String what) {
        for (UUID id : ids) {
            quietly(() -> action.accept(id), what + " booking " + id);
        }
    }

    private static void quietly(Runnable r, String what) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not " + what + "; retried next sweep", e);
        }
    }
}
