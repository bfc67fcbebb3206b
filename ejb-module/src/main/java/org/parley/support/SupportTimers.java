package org.parley.support;

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
 * Every second on every node: flags tickets whose first-response or resolution time has passed unmet. Each flag is a
 * conditional update in its own transaction, so however many nodes sweep, a breach is flagged, notified and audited once.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SupportTimers {

    private static final Logger LOG = Logger.getLogger(SupportTimers.class.getName());
    /** A sweep a second: while the database is down, one line every 10 s with the count. */
    private static final org.parley.common.RareLog SWEEP_FAILED = new org.parley.common.RareLog(LOG, 10);

    @Inject
    private SupportDesk desk;
    @Inject
    private Clock clock;

    private final AtomicBoolean running = new AtomicBoolean();

    @Schedule(second = "*", minute = "*", hour = "*", persistent = false, info = "support-sla")
    void sweep() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            for (Object[] due : desk.dueBreaches(clock.instant(), 100)) {
                try {
                    desk.flagBreach((UUID) due[0], (String) due[1]);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "could not flag the breach of ticket " + due[0] + "; retried next sweep", e);
                }
            }
        } catch (RuntimeException e) {
            SWEEP_FAILED.log(Level.WARNING, "the service-level sweep failed; retried next second", e);
        } finally {
            running.set(false);
        }
    }
}
