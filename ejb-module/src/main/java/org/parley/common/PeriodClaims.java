package org.parley.common;

import jakarta.ejb.ScheduleExpression;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Work that must run once per period across every node (scheduled jobs, the payment janitor): the first node to insert
 * (work, period) into {@code job_schedule_claim} runs it. The primary key decides — a rival's insert waits on the key
 * until the winner commits, then inserts nothing — so two nodes whose timers fire at the same instant cannot both win,
 * and a node that restarts within a period does not run it again.
 */
@Stateless
public class PeriodClaims {

    /** This node's name in the claims (WildFly's {@code jboss.node.name}: the host name unless set per node). */
    public static String node() {
        return System.getProperty("jboss.node.name", "standalone");
    }

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Clock clock;

    /** Claims {@code period} of {@code work} for this node in the caller's transaction; false if another node has it. */
    public boolean claim(String work, String period) {
        return em.createNativeQuery("insert into job_schedule_claim (job_name, period_key, claimed_at, claimed_by) values (?1, ?2, ?3, ?4)"
                        + " on conflict do nothing")
                .setParameter(1, work).setParameter(2, period).setParameter(3, Timestamp.from(clock.instant()))
                .setParameter(4, node()).executeUpdate() == 1;
    }

    /** A calendar firing at the start of every slot of {@code seconds} (aligned, so every node fires at the same instants). */
    public static ScheduleExpression every(int seconds) {
        if (seconds > 0 && seconds < 60 && 60 % seconds == 0) {
            return new ScheduleExpression().hour("*").minute("*").second("*/" + seconds);
        }
        if (seconds >= 60 && seconds % 60 == 0 && 60 % (seconds / 60) == 0) {
            return new ScheduleExpression().hour("*").minute("*/" + seconds / 60).second(0);
        }
        throw new IllegalArgumentException("a slot of " + seconds + " s does not divide an hour evenly");
    }

    /** The start of the slot of {@code seconds} that {@code instant} falls in. */
    public static Instant slotOf(Instant instant, int seconds) {
        return Instant.ofEpochSecond(instant.getEpochSecond() - Math.floorMod(instant.getEpochSecond(), seconds));
    }

    /** Forgets the claims of {@code work} older than {@code age} (for work claimed every few seconds). */
    public int purge(String work, Duration age) {
        return em.createNativeQuery("delete from job_schedule_claim where job_name = ?1 and claimed_at < ?2")
                .setParameter(1, work).setParameter(2, Timestamp.from(clock.instant().minus(age))).executeUpdate();
    }
}
