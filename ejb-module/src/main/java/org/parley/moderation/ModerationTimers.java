package org.parley.moderation;

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
 * Once a second on every node: lifts the timed suspensions whose end has come. Their end is in the database, so a
 * suspension ending while every node is down is lifted by the first one up; rows are locked SKIP LOCKED, one
 * transaction each, so nodes share them and each is lifted once.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ModerationTimers {

    private static final Logger LOG = Logger.getLogger(ModerationTimers.class.getName());
    /** A sweep a second: while the database is down, one line every 10 s with the count. */
    private static final org.parley.common.RareLog SWEEP_FAILED = new org.parley.common.RareLog(LOG, 10);

    @Inject
    private Moderation moderation;
    @Inject
    private Clock clock;

    private final AtomicBoolean running = new AtomicBoolean();

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false, info = "moderation-lifts")
    void sweep() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            for (UUID id : moderation.dueLifts(clock.instant(), 100)) {
                try {
                    moderation.lift(id);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "could not lift suspension " + id + "; retried next sweep", e);
                }
            }
        } catch (RuntimeException e) {
            SWEEP_FAILED.log(Level.WARNING, "the moderation sweep failed; retried next second", e);
        } finally {
            running.set(false);
        }
    }
}
