package org.parley.analytics;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.BusinessCalendar;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;
import org.parley.ledger.AccountKind;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operators' figures. Real-time ones are counts over partial indexes of the live tables. A day's figures are computed
 * from the journal and the tables' own times; once a business day is over (plus a minute for transactions still
 * committing) nothing can change them any more — transfers are append-only and dated when they are written — so they
 * are computed once and kept in {@code analytics_day} (a rollup written by the nightly settlement of the day, or by the
 * first read after the day, whichever comes first), and only today is computed on every call.
 *
 * <p>Money, all sums of ledger transfers created that day: {@code gross} is what services charged (SESSION_CHARGE into
 * the session escrow, whoever paid it, plus orders' prices: ORDER_PAYMENT and their PROMOTION discounts), {@code fee}
 * the platform's fees less the fees refunds took back, {@code refunds} what went back to wallets as REFUND,
 * {@code deposits} DEPOSIT credits, {@code payouts} PAYOUT_PAID.
 */
@Stateless
public class Analytics {

    static final Duration SETTLED_AFTER = Duration.ofMinutes(1);
    static final int MAX_DAYS = 400;

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private BusinessCalendar calendar;
    @Inject
    private Clock clock;

    public record Realtime(long onlineExperts, long liveSessions, long queuedUsers, long connectedSockets, long sessionsStartedLastHour,
                           Instant at) {
    }

    public record Day(LocalDate date, long sessionsStarted, long sessionsEnded, long minutesBilled, long gross, long fee, long refunds,
                      long deposits, long payouts, long orders, long newUsers, long newExperts, long peakConcurrentSessions) {
    }

    public record Bucket(LocalDate start, long gross, long fee, long refunds) {
    }

    public Realtime realtime() {
        Instant now = clock.instant();
        Object[] r = (Object[]) em.createNativeQuery("""
                        select (select count(*) from expert_profile where online),
                               (select count(*) from live_session where status <> 'ENDED'),
                               (select count(*) from session_queue),
                               (select coalesce(sum(s.sockets), 0) from node_socket s join live_node n on n.id = s.node_id
                                where n.heartbeat_at > ?2),
                               (select count(*) from live_session where started_at >= ?1)""")
                .setParameter(1, Timestamp.from(now.minus(Duration.ofHours(1))))
                .setParameter(2, Timestamp.from(now.minusSeconds(60))).getSingleResult();
        return new Realtime(n(r[0]), n(r[1]), n(r[2]), n(r[3]), n(r[4]), now);
    }

    /** The figures of each business date from {@code from} to {@code to} (both included), oldest first. */
    public List<Day> daily(LocalDate from, LocalDate to) {
        LocalDate today = calendar.today();
        LocalDate first = from == null ? today.minusDays(29) : from;
        LocalDate last = to == null ? today : to;
        if (last.isBefore(first) || ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw Problems.badRequest("from..to is 1 to " + MAX_DAYS + " days", List.of(new FieldError("to", "on or after from, within "
                    + MAX_DAYS + " days")));
        }
        Map<LocalDate, Day> kept = new LinkedHashMap<>();
        for (Object row : em.createNativeQuery("select " + COLUMNS + " from analytics_day where business_date between ?1 and ?2")
                .setParameter(1, Date.valueOf(first)).setParameter(2, Date.valueOf(last)).getResultList()) {
            Object[] r = (Object[]) row;
            LocalDate d = ((Date) r[0]).toLocalDate();
            kept.put(d, new Day(d, n(r[1]), n(r[2]), n(r[3]), n(r[4]), n(r[5]), n(r[6]), n(r[7]), n(r[8]), n(r[9]), n(r[10]), n(r[11]), n(r[12])));
        }
        Instant now = clock.instant();
        List<Day> out = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            Day day = kept.get(d);
            if (day == null) {
                day = compute(d);
                if (isOver(d, now)) {
                    keep(day);
                }
            }
            out.add(day);
        }
        return out;
    }

    /**
     * Keeps {@code day}'s figures in {@code analytics_day} when the day is over (and not yet kept): the nightly
     * settlement's last step, so a range read by the console finds its past days kept, not computed on its first read.
     * A day not yet over is left alone, not even computed (its figures still move): false then.
     */
    public boolean rollUp(LocalDate day) {
        if (!isOver(day, clock.instant())) {
            return false;
        }
        daily(day, day);
        return true;
    }

    /** Revenue in ascending buckets of a day, a week (from Monday) or a month, from the daily figures. */
    public List<Bucket> revenue(String granularity, LocalDate from, LocalDate to) {
        if (!List.of("day", "week", "month").contains(granularity)) {
            throw Problems.badRequest("granularity is day, week or month", List.of(new FieldError("granularity", "day, week or month")));
        }
        Map<LocalDate, long[]> buckets = new LinkedHashMap<>();
        for (Day d : daily(from, to)) {
            LocalDate start = switch (granularity) {
                case "week" -> d.date().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case "month" -> d.date().withDayOfMonth(1);
                default -> d.date();
            };
            long[] b = buckets.computeIfAbsent(start, k -> new long[3]);
            b[0] += d.gross();
            b[1] += d.fee();
            b[2] += d.refunds();
        }
        return buckets.entrySet().stream().map(e -> new Bucket(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2])).toList();
    }

    /** Whether nothing can change {@code day}'s figures any more at {@code now}. */
    private boolean isOver(LocalDate day, Instant now) {
        return !now.isBefore(calendar.startOf(day.plusDays(1)).plus(SETTLED_AFTER));
    }

    private Day compute(LocalDate day) {
        Timestamp start = Timestamp.from(calendar.startOf(day));
        Timestamp end = Timestamp.from(calendar.startOf(day.plusDays(1)));
        Object[] m = (Object[]) em.createNativeQuery("""
                        select
                          (select coalesce(sum(amount), 0) from ledger_transfer where to_account = ?3 and created_at >= ?1 and created_at < ?2
                             and kind = 'SESSION_CHARGE')
                          + (select coalesce(sum(amount), 0) from ledger_transfer where to_account = ?4 and created_at >= ?1 and created_at < ?2
                             and kind in ('ORDER_PAYMENT', 'PROMOTION')),
                          (select coalesce(sum(case when to_account = ?5 then amount else -amount end), 0) from ledger_transfer
                             where ?5 in (to_account, from_account) and created_at >= ?1 and created_at < ?2),
                          (select coalesce(sum(t.amount), 0) from ledger_transfer t join ledger_account a on a.id = t.to_account and a.kind = 'WALLET'
                             where t.kind = 'REFUND' and t.created_at >= ?1 and t.created_at < ?2),
                          (select coalesce(sum(amount), 0) from ledger_transfer where from_account = ?6 and kind = 'DEPOSIT'
                             and created_at >= ?1 and created_at < ?2),
                          (select coalesce(sum(amount), 0) from ledger_transfer where to_account = ?6 and kind = 'PAYOUT_PAID'
                             and created_at >= ?1 and created_at < ?2)""")
                .setParameter(1, start).setParameter(2, end).setParameter(3, AccountKind.SESSION_ESCROW.systemId())
                .setParameter(4, AccountKind.ORDER_ESCROW.systemId()).setParameter(5, AccountKind.PLATFORM_REVENUE.systemId())
                .setParameter(6, AccountKind.EXTERNAL.systemId()).getSingleResult();
        Object[] c = (Object[]) em.createNativeQuery("""
                        select
                          (select count(*) from live_session where started_at >= ?1 and started_at < ?2),
                          (select count(*) from live_session where status = 'ENDED' and ended_at >= ?1 and ended_at < ?2),
                          (select count(*) from session_charge where charged_at >= ?1 and charged_at < ?2),
                          (select count(*) from report_order where created_at >= ?1 and created_at < ?2),
                          (select count(*) from account where role = 'USER' and created_at >= ?1 and created_at < ?2),
                          (select count(*) from account where role = 'EXPERT' and created_at >= ?1 and created_at < ?2),
                          (select coalesce(max(running), 0) from (
                               select sum(delta) over (order by at, delta rows unbounded preceding)
                                      + (select count(*) from live_session where started_at < ?1 and (ended_at is null or ended_at >= ?1)) as running
                               from (select started_at as at, 1 as delta from live_session where started_at >= ?1 and started_at < ?2
                                     union all
                                     select ended_at, -1 from live_session where status = 'ENDED' and ended_at >= ?1 and ended_at < ?2) e
                               union all
                               select count(*) from live_session where started_at < ?1 and (ended_at is null or ended_at >= ?1)) p)""")
                .setParameter(1, start).setParameter(2, end).getSingleResult();
        return new Day(day, n(c[0]), n(c[1]), n(c[2]), n(m[0]), n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(c[3]), n(c[4]), n(c[5]), n(c[6]));
    }

    private static final String COLUMNS = "business_date, sessions_started, sessions_ended, minutes_billed, gross, fee, refunds, deposits,"
            + " payouts, orders, new_users, new_experts, peak_concurrent_sessions";

    private void keep(Day d) {
        em.createNativeQuery("insert into analytics_day (" + COLUMNS + ", computed_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
                        + " on conflict (business_date) do nothing")
                .setParameter(1, Date.valueOf(d.date())).setParameter(2, d.sessionsStarted()).setParameter(3, d.sessionsEnded())
                .setParameter(4, d.minutesBilled()).setParameter(5, d.gross()).setParameter(6, d.fee()).setParameter(7, d.refunds())
                .setParameter(8, d.deposits()).setParameter(9, d.payouts()).setParameter(10, d.orders()).setParameter(11, d.newUsers())
                .setParameter(12, d.newExperts()).setParameter(13, d.peakConcurrentSessions()).setParameter(14, Timestamp.from(clock.instant()))
                .executeUpdate();
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }
}
