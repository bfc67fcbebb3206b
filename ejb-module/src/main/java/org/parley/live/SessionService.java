package org.parley.live;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.Access;
import org.parley.common.Channel;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.expert.ExpertProfile;
import org.parley.expert.ExpertStatus;
import org.parley.identity.Caller;
import org.parley.identity.Role;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;
import org.parley.notify.Notifications;
import org.parley.promotion.Promotions;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starting, billing, ending, settling and reading live sessions (chat: {@link ChatService}; reviews and refunds:
 * {@link SessionAftercare}). Every change happens under the session's row lock; money
 * moves through the ledger in the same transaction: WALLET → SESSION_ESCROW per period, SESSION_ESCROW → expert's
 * EARNINGS_PENDING (net) and PLATFORM_REVENUE (fee) at the end.
 */
@Stateless
public class SessionService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Ledger ledger;
    @Inject
    private PlatformSettings settings;
    @Inject
    private LiveEvents events;
    @Inject
    private AuditLog audit;
    @Inject
    private SessionQueue queue;
    @Inject
    private Clock clock;
    @Inject
    private Event<BookedSessionSettled> bookedSettled;
    @Inject
    private Promotions promotions;
    @Inject
    private Notifications notifications;
    @Inject
    private org.parley.analytics.ParleyMetrics metrics;

    /** A session a booking paid for has ended and settled (observed in the same transaction by the booking). */
    public record BookedSessionSettled(UUID sessionId, UUID bookingId, String reason) {
    }

    /** What the booking service hands over when both sides of a booking have joined. */
    public record Booked(UUID bookingId, UUID userId, UUID expertId, Channel channel, long ratePerMinute, int unitSeconds, int minutes,
                         Instant endsAt) {
        long amount() {
            return ratePerMinute * minutes;
        }
    }

    /**
     * Starts a session of {@code user} with an approved, online expert who has capacity, charging the first period
     * now (422 if the wallet cannot pay it). Capacity is counted under the expert's row lock, so concurrent requests
     * cannot exceed it; a busy expert is 409 and a user already in a live session is 409 (a partial unique index).
     */
    public SessionView start(Caller user, UUID expertId, Channel channel) {
        return request(user, expertId, channel, false);
    }

    /**
     * Like {@link #start}, but a busy expert puts the user in the expert's queue (if the wallet covers one period)
     * and returns null; the user is told the position.
     */
    public SessionView request(Caller user, UUID expertId, Channel channel, boolean queueIfBusy) {
        if (user.role() != Role.USER) {
            throw Problems.forbidden("only USER accounts request sessions");
        }
        ExpertProfile expert = Rows.lockedFresh(em, ExpertProfile.class, expertId);
        if (expert == null || expert.status() != ExpertStatus.APPROVED || !expert.account().isActive()) {
            throw Problems.notFound("expert");
        }
        if (!expert.online()) {
            throw Problems.rule("expert-offline", "the expert is offline");
        }
        Long rate = expert.rates().get(channel);
        if (rate == null) {
            throw Problems.rule("channel-not-offered", "the expert does not offer " + channel);
        }
        if (!hasCapacity(expertId)) {
            if (!queueIfBusy) {
                throw Problems.conflict("expert-busy", "the expert is in another session");
            }
            if (ledger.balanceOf(user.id(), AccountKind.WALLET) < rate) {
                throw Problems.rule("insufficient-balance", "the wallet does not cover one minute at " + rate + " paise");
            }
            queue.join(user, expertId, channel);
            return null;
        }
        LiveSession session = open(user.id(), expertId, channel, rate);
        if (session == null) {
            throw Problems.rule("insufficient-balance", "the wallet does not cover one minute at " + rate + " paise");
        }
        return SessionView.of(session);
    }

    /** Persists a session and charges its first period; null (nothing kept) if the wallet cannot pay it. */
    private LiveSession open(UUID userId, UUID expertId, Channel channel, long rate) {
        int period = (int) settings.get(Setting.BILLING_PERIOD_SECONDS);
        int maxPeriods = (int) Math.max(1, settings.get(Setting.MAX_SESSION_MINUTES) * 60 / period);
        LiveSession session = new LiveSession(userId, expertId, channel, rate, period, maxPeriods, now());
        Integer free = promotions.claimFirstSession(userId, maxPeriods);
        if (free != null) {
            session.freeFirst(free);
        }
        Rows.insertUnique(em, session, "live_session_one_per_user_uk",
                () -> Problems.conflict("already-in-session", "you are already in a live session"));
        if (!chargeDuePeriod(session)) {
            if (free != null) {
                promotions.unclaimFirstSession(userId);
            }
            em.remove(session);
            em.flush();
            return null;
        }
        Map<String, Object> started = frame("session-started", session);
        started.put("expertId", expertId);
        started.put("userId", userId);
        started.put("channel", channel.name());
        started.put("ratePerMinute", rate);
        started.put("startedAt", session.startedAt().toString());
        if (session.freePeriods() > 0) {
            started.put("freeMinutes", session.freePeriods());
        }
        events.publish(userId, started);
        events.publish(expertId, started);
        return session;
    }

    /**
     * Starts the live session a booking paid for: its whole price moves BOOKING_HOLD → SESSION_ESCROW now (a
     * SESSION_CHARGE, so settlement and its reconciliation read it like any session's charges), no minute is charged
     * to the wallet, and it ends at the booking's end. Capacity and presence do not apply: the time was agreed. A user
     * already in another live session is 409.
     */
    public SessionView startBooked(Booked b) {
        LiveSession session = LiveSession.booked(b.bookingId(), b.userId(), b.expertId(), b.channel(), b.ratePerMinute(),
                b.unitSeconds(), b.minutes(), now(), b.endsAt());
        Rows.insertUnique(em, session, "live_session_one_per_user_uk",
                () -> Problems.conflict("already-in-session", "you are already in a live session"));
        ledger.transfer(AccountKind.BOOKING_HOLD.systemId(), AccountKind.SESSION_ESCROW.systemId(), b.amount(),
                TransferKind.SESSION_CHARGE, session.id() + ":booking");
        Map<String, Object> started = frame("session-started", session);
        started.put("expertId", b.expertId());
        started.put("userId", b.userId());
        started.put("channel", b.channel().name());
        started.put("ratePerMinute", b.ratePerMinute());
        started.put("startedAt", session.startedAt().toString());
        started.put("bookingId", b.bookingId());
        started.put("endsAt", b.endsAt().toString());
        events.publish(b.userId(), started);
        events.publish(b.expertId(), started);
        return SessionView.of(session);
    }

    /**
     * Records {@code amount} of a booking's hold as forfeited to its expert without a session being held: an ended
     * session charged that amount (BOOKING_HOLD → SESSION_ESCROW), settled at once like any other (the expert's net and
     * the platform fee), so nightly settlement pays it out. Returns the session's id.
     */
    public UUID recordForfeit(Booked b, long amount, EndReason reason) {
        LiveSession session = LiveSession.forfeited(b.bookingId(), b.userId(), b.expertId(), b.channel(), b.ratePerMinute(),
                b.unitSeconds(), b.minutes(), amount, reason, now());
        em.persist(session);
        em.flush();
        ledger.transfer(AccountKind.BOOKING_HOLD.systemId(), AccountKind.SESSION_ESCROW.systemId(), amount,
                TransferKind.SESSION_CHARGE, session.id() + ":booking");
        settle(session);
        return session.id();
    }

    private boolean hasCapacity(UUID expertId) {
        long live = em.createQuery("select count(s) from LiveSession s where s.expertId = :e and s.status <> :ended", Long.class)
                .setParameter("e", expertId).setParameter("ended", SessionStatus.ENDED).getSingleResult();
        return live < settings.get(Setting.EXPERT_CAPACITY);
    }

    /**
     * After a session of {@code expertId} ends: starts the first waiting users whose wallets still cover a period,
     * while the expert has capacity; the others keep their place. Everyone still waiting hears their position.
     */
    private void handOver(UUID expertId) {
        ExpertProfile expert = Rows.lockedFresh(em, ExpertProfile.class, expertId);
        for (SessionQueue.Waiting w : queue.waiting(expertId)) {
            if (!expert.online() || !hasCapacity(expertId)) {
                break;
            }
            Long rate = expert.rates().get(w.channel());
            boolean inSession = em.createQuery("select count(s) from LiveSession s where s.userId = :u and s.status <> :ended", Long.class)
                    .setParameter("u", w.userId()).setParameter("ended", SessionStatus.ENDED).getSingleResult() > 0;
            if (rate == null || inSession || ledger.balanceOf(w.userId(), AccountKind.WALLET) < rate) {
                continue;
            }
            if (open(w.userId(), expertId, w.channel(), rate) != null) {
                queue.remove(w.id());
            }
        }
        queue.announce(expertId);
    }

    /**
     * One billing step for a session, called by the sweep in its own transaction. Skips a session another node is
     * working on ({@code SKIP LOCKED}); charges every period that has come due (each at most once: a (session,
     * period) key), opens the grace when one cannot be paid, ends the session when the grace runs out or the
     * maximum duration is reached.
     */
    public void tick(UUID sessionId) {
        List<?> mine = em.createNativeQuery("select id from live_session where id = ?1 and status <> 'ENDED' for update skip locked")
                .setParameter(1, sessionId).getResultList();
        if (mine.isEmpty()) {
            return;
        }
        LiveSession s = em.find(LiveSession.class, sessionId);
        Instant now = now();
        while (s.isLive()) {
            if (s.status() == SessionStatus.ACTIVE && s.nextChargeAt().isAfter(now)) {
                return;
            }
            if (s.periodsBilled() >= s.maxPeriods()) {
                finish(s, EndReason.MAX_DURATION, now);
                return;
            }
            if (chargeDuePeriod(s)) {
                continue;
            }
            if (s.status() == SessionStatus.ACTIVE) {
                s.enterGrace(now.plusSeconds(settings.get(Setting.GRACE_SECONDS)));
                Map<String, Object> warning = frame("session-warning", s);
                warning.put("kind", "zero-balance");
                warning.put("graceSeconds", settings.get(Setting.GRACE_SECONDS));
                events.publish(s.userId(), warning);
                return;
            }
            if (!s.graceUntil().isAfter(now)) {
                finish(s, EndReason.INSUFFICIENT_BALANCE, now);
            }
            return;
        }
    }

    /**
     * Ids of sessions with a charge due by {@code now}, oldest first. A session in its grace still has its unpaid
     * period due, so it is among them; the partial index on next_charge_at of live sessions answers this.
     */
    public List<UUID> due(Instant now, int limit) {
        return em.createNativeQuery("select id from live_session where status <> 'ENDED' and next_charge_at <= ?1"
                        + " order by next_charge_at limit ?2")
                .setParameter(1, java.sql.Timestamp.from(now)).setParameter(2, limit).getResultList()
                .stream().map(UUID.class::cast).toList();
    }

    /** Either participant ends the session (an admin too); ending an ended session returns its summary. */
    public SessionSummary end(Caller caller, UUID sessionId) {
        LiveSession s = Rows.lockedFresh(em, LiveSession.class, sessionId);
        if (s == null || !(s.isParticipant(caller.id()) || caller.isAdmin())) {
            throw Problems.notFound("session");
        }
        if (s.isLive()) {
            Instant now = now();
            catchUp(s, now);
            EndReason reason = caller.id().equals(s.userId()) ? EndReason.USER_ENDED
                    : caller.id().equals(s.expertId()) ? EndReason.EXPERT_ENDED : EndReason.ADMIN_ENDED;
            finish(s, reason, now);
        }
        return SessionSummary.of(s);
    }

    /**
     * Charges periods that came due by {@code now} but the sweep has not reached yet: every period begun before the end
     * is paid. The end is recorded at the same {@code now}: catching up many periods (after a restart) takes time, and an
     * end read from the clock after it could fall past a boundary whose period was never charged.
     */
    private void catchUp(LiveSession s, Instant now) {
        while (s.status() == SessionStatus.ACTIVE && !s.nextChargeAt().isAfter(now) && s.periodsBilled() < s.maxPeriods()
                && chargeDuePeriod(s)) {
            // one more period paid
        }
    }

    /** Ends a live session for a reason of the platform's own (disconnection, expert offline), in its own transaction. */
    public void endBySystem(UUID sessionId, EndReason reason) {
        LiveSession s = Rows.lockedFresh(em, LiveSession.class, sessionId);
        if (s != null && s.isLive()) {
            Instant now = now();
            catchUp(s, now);
            finish(s, reason, now);
        }
    }

    public SessionView get(Caller caller, UUID id) {
        return SessionView.of(visible(caller, id));
    }

    /** The caller's sessions as user or expert, newest first, optionally in one status. */
    public Page<SessionView> list(Caller caller, String role, SessionStatus status, PageRequest page) {
        String side = "expert".equalsIgnoreCase(role) ? "s.expertId" : "user".equalsIgnoreCase(role) ? "s.userId" : null;
        String who = side == null ? "(s.userId = :me or s.expertId = :me)" : side + " = :me";
        String where = " where " + who + (status == null ? "" : " and s.status = :status");
        var q = em.createQuery("select s from LiveSession s" + where + " order by s.startedAt desc, s.id", LiveSession.class)
                .setParameter("me", caller.id());
        var count = em.createQuery("select count(s) from LiveSession s" + where, Long.class).setParameter("me", caller.id());
        if (status != null) {
            q.setParameter("status", status);
            count.setParameter("status", status);
        }
        List<SessionView> items = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultStream().map(SessionView::of).toList();
        return new Page<>(items, page.page(), page.size(), count.getSingleResult());
    }

    /** Every session for admins, newest first: only live ones ({@code live} true), only ended ones (false), or all (null). */
    public Page<SessionView> adminList(Boolean live, PageRequest page) {
        String where = live == null ? "" : live ? " where s.status <> :ended" : " where s.status = :ended";
        var q = em.createQuery("select s from LiveSession s" + where + " order by s.startedAt desc, s.id", LiveSession.class);
        var count = em.createQuery("select count(s) from LiveSession s" + where, Long.class);
        if (live != null) {
            q.setParameter("ended", SessionStatus.ENDED);
            count.setParameter("ended", SessionStatus.ENDED);
        }
        return new Page<>(q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultStream().map(SessionView::of).toList(),
                page.page(), page.size(), count.getSingleResult());
    }

    LiveSession visible(Caller caller, UUID id) {
        LiveSession s = em.find(LiveSession.class, id);
        return caller.isAdmin() && s != null ? s : Access.requireOwner(s, caller.id(), "session");
    }

    /** Pays the period due at {@code nextChargeAt} from the wallet into escrow; false (nothing changed) if it cannot. */
    private boolean chargeDuePeriod(LiveSession s) {
        int period = s.periodsBilled() + 1;
        boolean free = s.nextPeriodFree();
        Ledger.Posted posted = free
                ? ledger.transfer(AccountKind.PROMOTIONS.systemId(), AccountKind.SESSION_ESCROW.systemId(), s.ratePerMinute(),
                        TransferKind.SESSION_CHARGE, s.id() + ":" + period)
                : ledger.tryTransfer(ledger.accountOf(s.userId(), AccountKind.WALLET), AccountKind.SESSION_ESCROW.systemId(),
                s.ratePerMinute(), TransferKind.SESSION_CHARGE, s.id() + ":" + period);
        if (posted == null) {
            return false;
        }
        Instant dueAt = s.nextChargeAt();
        em.createNativeQuery("insert into session_charge (session_id, period, amount, transfer_id, due_at, charged_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, s.id()).setParameter(2, period).setParameter(3, s.ratePerMinute()).setParameter(4, posted.transferId())
                .setParameter(5, java.sql.Timestamp.from(dueAt)).setParameter(6, java.sql.Timestamp.from(now())).executeUpdate();
        s.periodPaid();
        metrics.charged(java.time.Duration.between(dueAt, now()));
        PeriodCharges.announce(events, settings.get(Setting.LOW_BALANCE_MINUTES), s.userId(), s.id(), s.periodsBilled(),
                s.amountCharged(), s.ratePerMinute(), free ? ledger.balanceOf(s.userId(), AccountKind.WALLET) : posted.fromBalanceAfter(),
                s.nextChargeAt());
        return true;
    }

    /** Ends a live session, settles its escrow to the expert (net) and the platform (fee), tells both sides. */
    private void finish(LiveSession s, EndReason reason, Instant endedAt) {
        s.end(reason, endedAt);
        settle(s);
        em.createNativeQuery("update expert_profile set sessions_completed = sessions_completed + 1 where account_id = ?1")
                .setParameter(1, s.expertId()).executeUpdate();
        SessionSummary summary = SessionSummary.of(s);
        Map<String, Object> ended = frame("session-ended", s);
        ended.put("reason", summary.reason());
        ended.put("durationSeconds", summary.durationSeconds());
        ended.put("minutesBilled", summary.minutesBilled());
        ended.put("amountCharged", summary.amountCharged());
        if (s.bookingId() != null) {
            ended.put("bookingId", s.bookingId());
        }
        events.publish(s.userId(), ended);
        events.publish(s.expertId(), ended);
        String charged = Notifications.rupees(summary.amountCharged());
        notifications.notifyEverywhere(s.userId(), "SESSION_ENDED", "Session ended", "Your " + s.channel().name().toLowerCase()
                        + " session has ended: " + summary.minutesBilled() + " minute(s), " + charged + ".", "session:" + s.id() + ":ended", null,
                Map.of("minutes", String.valueOf(summary.minutesBilled()), "amount", charged));
        if (s.bookingId() != null) {
            bookedSettled.fire(new BookedSessionSettled(s.id(), s.bookingId(), s.endReason()));
        }
        handOver(s.expertId());
    }

    /** Pays out an ended session's escrow: the expert's net to its pending earnings, the platform's fee to revenue. */
    private void settle(LiveSession s) {
        long total = s.amountCharged();
        long fee = settings.feeOf(total);
        if (total - fee > 0) {
            ledger.transfer(AccountKind.SESSION_ESCROW.systemId(), ledger.accountOf(s.expertId(), AccountKind.EARNINGS_PENDING),
                    total - fee, TransferKind.SESSION_EARNING, s.id().toString());
        }
        if (fee > 0) {
            ledger.transfer(AccountKind.SESSION_ESCROW.systemId(), AccountKind.PLATFORM_REVENUE.systemId(), fee,
                    TransferKind.PLATFORM_FEE, s.id().toString());
        }
        s.settledNow(total - fee);
    }

    private static Map<String, Object> frame(String type, LiveSession s) {
        return PeriodCharges.frame(type, s.id());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
