package org.parley.payout;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.BusinessCalendar;
import org.parley.identity.Caller;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;

import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

/**
 * An expert's earnings in four states that add up to everything ever earned: pending (not yet settled), available,
 * in a payout, withdrawn. Period figures count earnings credited since the start of today / this week (Monday) /
 * this month in the platform time zone ({@code PARLEY_TIME_ZONE}, default Asia/Kolkata).
 */
@Stateless
public class EarningsService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Ledger ledger;
    @Inject
    private BusinessCalendar calendar;

    public record Summary(long lifetimeEarnings, long pending, long available, long withdrawn, long inPayout,
                          long today, long thisWeek, long thisMonth) {
    }

    public Summary summary(Caller expert) {
        long pending = ledger.balanceOf(expert.id(), AccountKind.EARNINGS_PENDING);
        long available = ledger.balanceOf(expert.id(), AccountKind.EARNINGS_AVAILABLE);
        long inPayout = sumPayouts(expert, List.of(PayoutStatus.REQUESTED, PayoutStatus.APPROVED, PayoutStatus.PROCESSING));
        long withdrawn = sumPayouts(expert, List.of(PayoutStatus.PAID));
        LocalDate today = calendar.today();
        return new Summary(pending + available + inPayout + withdrawn, pending, available, withdrawn, inPayout,
                earnedSince(expert, calendar.startOf(today)),
                earnedSince(expert, calendar.startOf(today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))),
                earnedSince(expert, calendar.startOf(today.withDayOfMonth(1))));
    }

    private long sumPayouts(Caller expert, List<PayoutStatus> statuses) {
        return em.createQuery("select coalesce(sum(p.amount), 0) from Payout p where p.expertId = :e and p.status in :s", Long.class)
                .setParameter("e", expert.id()).setParameter("s", statuses).getSingleResult();
    }

    /** Session earnings and adjustments credited to (minus adjustments debited from) the earnings accounts. */
    private long earnedSince(Caller expert, Instant since) {
        Object r = em.createNativeQuery("""
                        select coalesce(sum(case when a.id = t.to_account then t.amount else -t.amount end), 0)
                        from ledger_transfer t
                        join ledger_account a on a.id in (t.to_account, t.from_account)
                        where a.owner_id = ?1 and a.kind in ('EARNINGS_PENDING', 'EARNINGS_AVAILABLE')
                          and t.kind in ('SESSION_EARNING', 'ORDER_EARNING', 'ADJUSTMENT') and t.created_at >= ?2
                        """).setParameter(1, expert.id()).setParameter(2, Timestamp.from(since)).getSingleResult();
        return ((Number) r).longValue();
    }
}
