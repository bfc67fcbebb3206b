package org.parley.batch;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ScheduleExpression;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.BusinessCalendar;
import org.parley.common.PeriodClaims;
import org.parley.common.PeriodSlots;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The job schedules: a non-persistent calendar timer per scheduled job on every node, in the platform's time zone.
 * When it fires, the node first claims (job, period) in the database — an insert under a primary key, so exactly
 * one node wins (a rival blocks on the key until the winner commits, then inserts nothing) — and only the winner
 * starts the job, recording its execution id on the claim.
 */
@Singleton
@Startup
public class BatchSchedules {

    private static final Logger LOG = Logger.getLogger(BatchSchedules.class.getName());

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Resource
    private TimerService timers;
    @Inject
    private BatchOperations operations;
    @Inject
    private PeriodClaims claims;
    @Inject
    private BusinessCalendar calendar;
    @Inject
    private Clock clock;
    /** The remedy reminders' slot: 300 s; a divisor of 60 below a minute, a whole number of minutes dividing 60 above. */
    @Inject
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "parley.remedy.reminder-slot-seconds", defaultValue = "300")
    private int reminderSlotSeconds;

    @PostConstruct
    void schedule() {
        String zone = calendar.zone().getId();
        timers.createCalendarTimer(new ScheduleExpression().hour(0).minute(30).second(0).timezone(zone),
                new TimerConfig(BatchJob.NIGHTLY_SETTLEMENT.jobName(), false));
        timers.createCalendarTimer(new ScheduleExpression().hour(9).minute(0).second(0).timezone(zone),
                new TimerConfig(BatchJob.PAYOUT_REMINDERS.jobName(), false));
        timers.createCalendarTimer(PeriodSlots.every(reminderSlotSeconds).timezone(zone), new TimerConfig(BatchJob.REMEDY_REMINDERS.jobName(), false));
    }

    /** The period is a business day (settlement settles yesterday, payout reminders are today's) or a 5-minute slot. */
    @Timeout
    void fire(Timer timer) {
        BatchJob job = BatchJob.byName((String) timer.getInfo()).orElseThrow();
        if (job == BatchJob.NIGHTLY_SETTLEMENT) {
            String day = calendar.yesterday().toString();
            claimAndStart(job, day, Map.of("businessDate", day));
        } else if (job == BatchJob.REMEDY_REMINDERS) {
            // the period is the slot (5 minutes by default); the job acts at the slot's instant
            Instant slot = PeriodSlots.slotOf(clock.instant(), reminderSlotSeconds);
            claimAndStart(job, slot.toString(), Map.of("at", slot.toString()));
        } else {
            claimAndStart(job, calendar.today().toString(), Map.of());
        }
    }

    /** Starts {@code job} for {@code period} unless some node already did; the started execution's id, if this node won. */
    public Optional<Long> claimAndStart(BatchJob job, String period, Map<String, String> parameters) {
        if (!claims.claim(job.jobName(), period)) {
            LOG.info(() -> job.jobName() + " for " + period + " was started by another node");
            return Optional.empty();
        }
        long execution = operations.startScheduled(job, parameters);
        em.createNativeQuery("update job_schedule_claim set execution_id = ?3 where job_name = ?1 and period_key = ?2")
                .setParameter(1, job.jobName()).setParameter(2, period).setParameter(3, execution).executeUpdate();
        LOG.info(() -> "scheduled " + job.jobName() + " for " + period + " started as execution " + execution);
        return Optional.of(execution);
    }

    /** When each scheduled job fires next on this node. */
    public Map<String, Instant> nextRuns() {
        Map<String, Instant> next = new java.util.TreeMap<>();
        for (Timer t : timers.getTimers()) {
            if (t.getInfo() instanceof String name) {
                next.put(name, t.getNextTimeout().toInstant());
            }
        }
        return next;
    }
}
