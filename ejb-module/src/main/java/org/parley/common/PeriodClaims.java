package org.parley.common;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

/**
 * Work that must run once per period across every node (scheduled jobs, the payment janitor): the first node to insert
 * (work, period) into {@code job_schedule_claim} runs it. The primary key decides — a rival's insert waits on the key
 * until the winner commits, then inserts nothing — so two nodes whose timers fire at the same instant cannot both win,
 * and a node that restarts within a period does not run it again. The periods themselves: {@link PeriodSlots}.
 */
@Stateless
public class PeriodClaims {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Clock clock;

    /** Claims {@code period} of {@code work} for this node in the caller's transaction; false if another node has it. */
    public boolean claim(String work, String period) {
        return em.createNativeQuery("insert into job_schedule_claim (job_name, period_key, claimed_at, claimed_by) values (?1, ?2, ?3, ?4)"
                        + " on conflict do nothing")
                .setParameter(1, work).setParameter(2, period).setParameter(3, Timestamp.from(clock.instant()))
                .setParameter(4, PeriodSlots.node()).executeUpdate() == 1;
    }

    /** Forgets the claims of {@code work} older than {@code age} (for work claimed every few seconds). */
    public int purge(String work, Duration age) {
        return em.createNativeQuery("delete from job_schedule_claim where job_name = ?1 and claimed_at < ?2")
                .setParameter(1, work).setParameter(2, Timestamp.from(clock.instant().minus(age))).executeUpdate();
    }
}
