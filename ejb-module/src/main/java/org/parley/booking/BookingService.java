package org.parley.booking;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import org.parley.audit.AuditLog;
import org.parley.common.Access;
import org.parley.common.Channel;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.Sql;
import org.parley.common.db.Rows;
import org.parley.expert.ExpertProfile;
import org.parley.expert.ExpertStatus;
import org.parley.identity.Caller;
import org.parley.identity.Role;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;
import org.parley.live.EndReason;
import org.parley.live.LiveEvents;
import org.parley.live.SessionService;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bookings: requests against an expert's availability, their hold (WALLET → BOOKING_HOLD at once), the expert's
 * decision, rescheduling, cancellation under the policy, joining at the booked time (the live session is paid from the
 * hold) and what the timers decide (expiry, no-shows). Every change happens under the booking's row lock, moves its
 * money in the same transaction, is audited and told to both sides.
 *
 * <p>Two standing (PENDING or ACCEPTED) bookings of one expert, or of one user, can never overlap: PostgreSQL's
 * exclusion constraints decide that, so of concurrent requests for one slot exactly one stands. With a buffer around
 * bookings, requests for one expert also take that expert's row lock first, so the buffered check cannot race.
 *
 * <p>A booking's "minutes" (its length, the grid, notice, horizon, no-show and reminder times) are billing periods, as
 * every rule of the platform is: 60 s in production, shorter in tests.
 */
@Stateless
public class BookingService {

    /** The grid of bookable starts, in "minutes" from each window's start; also the unit of a booking's length. */
    static final int GRID_MINUTES = 15;
    static final int MIN_MINUTES = 15;
    static final int MAX_MINUTES = 120;
    private static final int MINUTES_PER_DAY = 1440;

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Ledger ledger;
    @Inject
    private PlatformSettings settings;
    @Inject
    private AuditLog audit;
    @Inject
    private SessionService sessions;
    @Inject
    private LiveEvents events;
    @Inject
    private BookingNotices notices;
    @Inject
    private Availabilities availabilities;
    @Inject
    private Clock clock;

    /** Requests a booking and holds its price; 201 view. See the class comment for the race-proof rules. */
    public BookingView create(Caller caller, UUID expertId, Instant startsAt, Integer minutes, Channel channel) {
        if (caller.role() != Role.USER) {
            throw Problems.forbidden("only USER accounts book experts");
        }
        requireRequest(startsAt, minutes, channel);
        ExpertProfile expert = bookableExpert(expertId);
        Long rate = expert.rates().get(channel);
        if (rate == null) {
            throw Problems.rule("channel-not-offered", "the expert does not offer " + channel);
        }
        Instant now = now();
        int unit = (int) settings.get(Setting.BILLING_PERIOD_SECONDS);
        Booking b = new Booking(caller.id(), expertId, channel, startsAt, minutes, unit, rate,
                (int) settings.get(Setting.BOOKING_NO_SHOW_MINUTES), now);
        placeAt(b, false, now, settings.get(Setting.BOOKING_BUFFER_MINUTES));
        if (ledger.tryTransfer(ledger.accountOf(caller.id(), AccountKind.WALLET), AccountKind.BOOKING_HOLD.systemId(), b.holdAmount(),
                TransferKind.BOOKING_HOLD, "booking:" + b.id()) == null) {
            throw Problems.rule("insufficient-balance", "the wallet does not cover the booking's " + b.holdAmount() + " paise");
        }
        scheduleReminders(b, now);
        audit.record(caller, "BOOKING_REQUESTED", "BOOKING", b.id(), Map.of("expertId", expertId, "startsAt", startsAt.toString(),
                "minutes", minutes, "channel", channel.name(), "holdAmount", b.holdAmount()));
        notices.requested(b, false);
        return BookingView.of(b);
    }

    /**
     * Puts {@code b} (new, or moving) at its {@code startsAt}: the start must be bookable (422), must keep clear of the
     * expert's other bookings by the buffer (409 slot-taken), and is written under the exclusion constraints (409).
     */
    private void placeAt(Booking b, boolean moving, Instant now, long buffer) {
        // The constraints decide first for a moving booking: its new time is flushed here, before any call into another
        // bean (whose first query would flush it there, and a refusal would surface as a rolled-back EJB call instead).
        try {
            if (moving) {
                em.flush();
            }
            if (buffer > 0) {
                Rows.lockedFresh(em, ExpertProfile.class, b.expertId());
            }
            check(b, now);
            if (!moving) {
                em.persist(b);
                em.flush();
            }
        } catch (PersistenceException e) {
            if (Sql.isExclusionViolation(e, "booking_expert_no_overlap")) {
                throw Problems.conflict("slot-taken", "the expert has another booking at that time");
            }
            if (Sql.isExclusionViolation(e, "booking_user_no_overlap")) {
                throw Problems.conflict("overlapping-booking", "you already have a booking at that time");
            }
            throw e;
        }
    }

    private void check(Booking b, Instant now) {
        Availabilities.Snapshot snapshot = availabilities.around(b.expertId(), b.startsAt(), b.endsAt(), b.id());
        Availability.Rules rules = availabilities.rules(b.units(b.minutes()), now);
        String refusal = Availability.refusal(snapshot.windows(), b.startsAt(), rules);
        if (refusal != null) {
            throw Problems.rule("outside-availability", "the start " + b.startsAt() + " " + refusal);
        }
        if (Availability.conflicts(snapshot.busy(), b.startsAt(), b.endsAt(), rules.buffer())) {
            throw Problems.conflict("slot-taken", "the expert has another booking at or near that time");
        }
    }

    /** The expert decides a PENDING booking (409 otherwise); the user of the booking may not (403), others see 404. */
    public BookingView decide(Caller caller, UUID id, boolean accept, String reason) {
        Booking b = locked(caller, id);
        if (!caller.id().equals(b.expertId())) {
            throw Problems.forbidden("only the booked expert decides a booking");
        }
        requireStatus(b, BookingStatus.PENDING, "decided");
        Instant now = now();
        if (!now.isBefore(b.startsAt())) {
            throw Problems.conflict("booking-started", "the booking's start has passed; it expires undecided");
        }
        if (accept) {
            b.decide(BookingStatus.ACCEPTED, trim(reason), now);
            audit.record(caller, "BOOKING_ACCEPTED", "BOOKING", b.id(), Map.of("startsAt", b.startsAt().toString()));
            notices.accepted(b);
        } else {
            b.decide(BookingStatus.REJECTED, trim(reason), now);
            release(b, b.holdAmount() - b.charged() - b.released());
            audit.record(caller, "BOOKING_REJECTED", "BOOKING", b.id(), withReason(Map.of("released", b.released()), b.reason()));
            notices.rejected(b);
        }
        return BookingView.of(b);
    }

    /** The user moves a PENDING or ACCEPTED booking, before it starts, to another bookable start; it is PENDING again. */
    public BookingView reschedule(Caller caller, UUID id, Instant startsAt) {
        if (startsAt == null) {
            throw Problems.badRequest("startsAt is required", List.of(new FieldError("startsAt", "required")));
        }
        Booking b = locked(caller, id);
        if (!caller.id().equals(b.userId())) {
            throw Problems.forbidden("only the user who booked reschedules a booking");
        }
        requireStanding(b, "rescheduled");
        Instant now = now();
        if (!now.isBefore(b.startsAt())) {
            throw Problems.conflict("booking-started", "the booking has started; it cannot be moved");
        }
        boolean wasAccepted = b.status() == BookingStatus.ACCEPTED;
        Instant from = b.startsAt();
        int noShow = (int) settings.get(Setting.BOOKING_NO_SHOW_MINUTES);
        long buffer = settings.get(Setting.BOOKING_BUFFER_MINUTES);
        b.moveTo(startsAt, noShow, now);
        placeAt(b, true, now, buffer);
        em.createNativeQuery("delete from booking_reminder where booking_id = ?1").setParameter(1, b.id()).executeUpdate();
        scheduleReminders(b, now);
        audit.record(caller, "BOOKING_RESCHEDULED", "BOOKING", b.id(), Map.of("from", from.toString(), "to", startsAt.toString(),
                "wasAccepted", wasAccepted));
        if (wasAccepted) {
            notices.withdrawn(b, from);
        }
        notices.requested(b, true);
        return BookingView.of(b);
    }

    /**
     * Either side (or an admin) cancels a PENDING or ACCEPTED booking before it starts. The user gets the whole hold
     * back for a PENDING booking or an ACCEPTED one at least {@code cancellationNoticeHours} ahead; later,
     * {@code cancellationFeePercent} of it is the expert's (with the platform's fee taken, as for sessions) and the
     * rest comes back. The expert's or an admin's cancellation gives it all back.
     */
    public BookingView cancel(Caller caller, UUID id, String reason) {
        Booking b = caller.isAdmin() ? lockedAny(id) : locked(caller, id);
        requireStanding(b, "cancelled");
        Instant now = now();
        if (!now.isBefore(b.startsAt())) {
            throw Problems.conflict("booking-started", "the booking has started; it can no longer be cancelled");
        }
        boolean byUser = caller.id().equals(b.userId());
        boolean wasAccepted = b.status() == BookingStatus.ACCEPTED;
        long fee = 0;
        if (byUser && wasAccepted) {
            Duration notice = b.units(settings.get(Setting.CANCELLATION_NOTICE_HOURS) * 60);
            if (Duration.between(now, b.startsAt()).compareTo(notice) < 0) {
                fee = (b.holdAmount() * settings.get(Setting.CANCELLATION_FEE_PERCENT) + 50) / 100;
            }
        }
        b.cancel(byUser ? "USER" : caller.isAdmin() && !caller.id().equals(b.expertId()) ? "ADMIN" : "EXPERT", trim(reason), now);
        if (fee > 0) {
            b.charged(fee, sessions.recordForfeit(booked(b), fee, EndReason.LATE_CANCELLATION));
        }
        release(b, b.holdAmount() - fee);
        audit.record(caller, "BOOKING_CANCELLED", "BOOKING", b.id(), withReason(Map.of("by", b.cancelledBy(), "released", b.released(),
                "fee", fee, "wasAccepted", wasAccepted), b.reason()));
        notices.cancelled(b, wasAccepted);
        return BookingView.of(b);
    }

    /**
     * One participant arrives (from {@value Booking#JOIN_EARLY_MINUTES} "minutes" before the start until the end) at an
     * ACCEPTED booking; when both have, its live session starts, paid from the hold. Joining again is harmless.
     */
    public BookingView join(Caller caller, UUID id) {
        Booking b = locked(caller, id);
        if (b.status() != BookingStatus.ACCEPTED) {
            throw Problems.conflict("booking-not-joinable", "the booking is " + b.status() + "; only an ACCEPTED booking can be joined");
        }
        Instant now = now();
        if (now.isBefore(b.startsAt().minus(b.units(Booking.JOIN_EARLY_MINUTES)))) {
            throw Problems.conflict("too-early", "the booking can be joined from " + b.startsAt().minus(b.units(Booking.JOIN_EARLY_MINUTES)));
        }
        if (!now.isBefore(b.endsAt())) {
            throw Problems.conflict("booking-over", "the booking's time is over");
        }
        if (b.sessionId() != null) {
            return BookingView.of(b);
        }
        if (b.join(caller.id(), now)) {
            audit.record(caller, "BOOKING_JOINED", "BOOKING", b.id(), Map.of("side", caller.id().equals(b.userId()) ? "USER" : "EXPERT"));
        }
        if (b.bothJoined()) {
            var session = sessions.startBooked(booked(b));
            b.charged(b.holdAmount(), session.id());
            audit.record(null, "BOOKING_STARTED", "BOOKING", b.id(), Map.of("sessionId", session.id()));
        } else {
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("type", "booking-joined");
            frame.put("bookingId", b.id());
            frame.put("accountId", caller.id());
            events.publish(caller.id().equals(b.userId()) ? b.expertId() : b.userId(), frame);
        }
        return BookingView.of(b);
    }

    /** The booked session has ended and settled: the booking is COMPLETED (same transaction as the settlement). */
    public void onBookedSessionSettled(@Observes SessionService.BookedSessionSettled settled) {
        int done = em.createNativeQuery("update booking set status = 'COMPLETED', updated_at = ?2 where id = ?1 and status = 'ACCEPTED'")
                .setParameter(1, settled.bookingId()).setParameter(2, Timestamp.from(now())).executeUpdate();
        if (done == 1) {
            audit.record(null, "BOOKING_COMPLETED", "BOOKING", settled.bookingId(), Map.of("sessionId", settled.sessionId(),
                    "endReason", String.valueOf(settled.reason())));
        }
    }

    public BookingView get(Caller caller, UUID id) {
        Booking b = em.find(Booking.class, id);
        return BookingView.of(caller.isAdmin() && b != null ? b : Access.requireOwner(b, caller.id(), "booking"));
    }

    /** The caller's bookings as user or expert (or either), by start, optionally in one status and a range of starts. */
    public Page<BookingView> list(Caller caller, String role, BookingStatus status, Instant from, Instant to, PageRequest page) {
        String who = "expert".equalsIgnoreCase(role) ? "b.expertId = :me" : "user".equalsIgnoreCase(role) ? "b.userId = :me"
                : "(b.userId = :me or b.expertId = :me)";
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("me", caller.id());
        return query(new StringBuilder(" where ").append(who), params, status, from, to, page);
    }

    /** Every booking, for admins: optionally one expert's or one user's, in one status and a range of starts. */
    public Page<BookingView> listAll(UUID expertId, UUID userId, BookingStatus status, Instant from, Instant to, PageRequest page) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (expertId != null) {
            where.append(" and b.expertId = :expert");
            params.put("expert", expertId);
        }
        if (userId != null) {
            where.append(" and b.userId = :user");
            params.put("user", userId);
        }
        return query(where, params, status, from, to, page);
    }

    private Page<BookingView> query(StringBuilder where, Map<String, Object> params, BookingStatus status, Instant from, Instant to,
                                    PageRequest page) {
        if (status != null) {
            where.append(" and b.status = :status");
            params.put("status", status);
        }
        if (from != null) {
            where.append(" and b.startsAt >= :from");
            params.put("from", from);
        }
        if (to != null) {
            where.append(" and b.startsAt < :to");
            params.put("to", to);
        }
        var q = em.createQuery("select b from Booking b" + where + " order by b.startsAt, b.id", Booking.class);
        var count = em.createQuery("select count(b) from Booking b" + where, Long.class);
        params.forEach((k, v) -> {
            q.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<BookingView> items = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultStream().map(BookingView::of).toList();
        return new Page<>(items, page.page(), page.size(), count.getSingleResult());
    }

    // ---- what the timers decide, one booking per transaction; SKIP LOCKED shares the work among nodes ----

    /** PENDING bookings whose start has come (undecided: they expire). */
    @SuppressWarnings("unchecked")
    public List<UUID> dueExpiries(Instant now, int limit) {
        return em.createNativeQuery("select id from booking where status = 'PENDING' and starts_at <= ?1 order by starts_at limit ?2")
                .setParameter(1, Timestamp.from(now)).setParameter(2, limit).getResultList();
    }

    /** ACCEPTED bookings past their no-show deadline with no session. */
    @SuppressWarnings("unchecked")
    public List<UUID> dueNoShows(Instant now, int limit) {
        return em.createNativeQuery("select id from booking where status = 'ACCEPTED' and session_id is null and no_show_at <= ?1"
                + " order by no_show_at limit ?2").setParameter(1, Timestamp.from(now)).setParameter(2, limit).getResultList();
    }

    /** Reminders due and not yet sent, as (booking, kind). */
    @SuppressWarnings("unchecked")
    public List<Object[]> dueReminders(Instant now, int limit) {
        return em.createNativeQuery("select booking_id, kind from booking_reminder where sent_at is null and due_at <= ?1 order by due_at limit ?2")
                .setParameter(1, Timestamp.from(now)).setParameter(2, limit).getResultList();
    }

    /** Expires one PENDING booking whose start has come, releasing its hold; nothing if another node has it or it moved on. */
    public void expire(UUID id) {
        Booking b = lockSkipping(id);
        Instant now = now();
        if (b == null || b.status() != BookingStatus.PENDING || now.isBefore(b.startsAt())) {
            return;
        }
        b.decide(BookingStatus.EXPIRED, "not accepted before its start", now);
        release(b, b.holdAmount() - b.charged() - b.released());
        audit.record(null, "BOOKING_EXPIRED", "BOOKING", b.id(), Map.of("released", b.released()));
        notices.expired(b);
    }

    /**
     * Decides one ACCEPTED booking nobody started by its no-show deadline: the expert absent (whoever else was there),
     * the user gets the whole hold back (NO_SHOW_EXPERT); only the expert there, the hold is the expert's
     * (NO_SHOW_USER), paid through a session record like a held session.
     */
    public void decideNoShow(UUID id) {
        Booking b = lockSkipping(id);
        Instant now = now();
        if (b == null || b.status() != BookingStatus.ACCEPTED || b.sessionId() != null || now.isBefore(b.noShowAt())) {
            return;
        }
        if (b.expertJoinedAt() == null) {
            b.decide(BookingStatus.NO_SHOW_EXPERT, "the expert did not join", now);
            release(b, b.holdAmount());
        } else {
            b.decide(BookingStatus.NO_SHOW_USER, "the user did not join", now);
            b.charged(b.holdAmount(), sessions.recordForfeit(booked(b), b.holdAmount(), EndReason.NO_SHOW_USER));
        }
        audit.record(null, "BOOKING_" + b.status(), "BOOKING", b.id(), Map.of("released", b.released(), "charged", b.charged()));
        notices.noShow(b);
    }

    /** Sends one due reminder of a standing booking once (its row marked sent with the notices queued); others are dropped. */
    public void remind(UUID bookingId, String kind) {
        List<?> due = em.createNativeQuery("select 1 from booking_reminder where booking_id = ?1 and kind = ?2 and sent_at is null"
                        + " for update skip locked").setParameter(1, bookingId).setParameter(2, kind).getResultList();
        if (due.isEmpty()) {
            return;
        }
        Booking b = em.find(Booking.class, bookingId);
        if (b.status().isStanding() && now().isBefore(b.startsAt())) {
            notices.remind(b, kind);
        }
        em.createNativeQuery("update booking_reminder set sent_at = ?3 where booking_id = ?1 and kind = ?2")
                .setParameter(1, bookingId).setParameter(2, kind).setParameter(3, Timestamp.from(now())).executeUpdate();
    }

    /** The 24-hour and 15-minute reminders of a booking, those still ahead (a booking made later than one skips it). */
    private void scheduleReminders(Booking b, Instant now) {
        for (var r : List.of(Map.entry("24h", (long) MINUTES_PER_DAY), Map.entry("15m", 15L))) {
            Instant due = b.startsAt().minus(b.units(r.getValue()));
            if (due.isAfter(now)) {
                em.createNativeQuery("insert into booking_reminder (booking_id, kind, due_at) values (?1, ?2, ?3)")
                        .setParameter(1, b.id()).setParameter(2, r.getKey()).setParameter(3, Timestamp.from(due)).executeUpdate();
            }
        }
    }

    private void release(Booking b, long amount) {
        if (amount > 0) {
            ledger.transfer(AccountKind.BOOKING_HOLD.systemId(), ledger.accountOf(b.userId(), AccountKind.WALLET), amount,
                    TransferKind.BOOKING_RELEASE, "booking:" + b.id() + ":" + b.status().name().toLowerCase(java.util.Locale.ROOT));
            b.released(amount);
        }
    }

    private static SessionService.Booked booked(Booking b) {
        return new SessionService.Booked(b.id(), b.userId(), b.expertId(), b.channel(), b.ratePerMinute(), b.unitSeconds(), b.minutes(),
                b.endsAt());
    }

    private ExpertProfile bookableExpert(UUID expertId) {
        ExpertProfile expert = expertId == null ? null : em.find(ExpertProfile.class, expertId);
        if (expert == null || expert.status() != ExpertStatus.APPROVED || !expert.account().isActive()) {
            throw Problems.notFound("expert");
        }
        return expert;
    }

    private static void requireRequest(Instant startsAt, Integer minutes, Channel channel) {
        List<FieldError> errors = new ArrayList<>();
        if (startsAt == null) {
            errors.add(new FieldError("startsAt", "required"));
        }
        requireMinutes(minutes, errors);
        if (channel == null) {
            errors.add(new FieldError("channel", "one of CHAT, VOICE, VIDEO"));
        }
        if (!errors.isEmpty()) {
            throw Problems.badRequest("the booking request is malformed", errors);
        }
    }

    static void requireMinutes(Integer minutes, List<FieldError> errors) {
        if (minutes == null || minutes < MIN_MINUTES || minutes > MAX_MINUTES || minutes % GRID_MINUTES != 0) {
            errors.add(new FieldError("minutes", MIN_MINUTES + " to " + MAX_MINUTES + " in steps of " + GRID_MINUTES));
        }
    }

    private static void requireStatus(Booking b, BookingStatus expected, String what) {
        if (b.status() != expected) {
            throw Problems.conflict("illegal-booking-state", "a " + b.status() + " booking cannot be " + what);
        }
    }

    private static void requireStanding(Booking b, String what) {
        if (!b.status().isStanding()) {
            throw Problems.conflict("illegal-booking-state", "a " + b.status() + " booking cannot be " + what);
        }
    }

    /** The booking under its row lock, if the caller is one of its two participants (else 404, as if missing). */
    private Booking locked(Caller caller, UUID id) {
        Booking b = Rows.lockedFresh(em, Booking.class, id);
        return Access.requireOwner(b, caller.id(), "booking");
    }

    private Booking lockedAny(UUID id) {
        Booking b = Rows.lockedFresh(em, Booking.class, id);
        if (b == null) {
            throw Problems.notFound("booking");
        }
        return b;
    }

    /** The booking locked, or null if another transaction holds it (it is being worked on there). */
    private Booking lockSkipping(UUID id) {
        List<?> mine = em.createNativeQuery("select id from booking where id = ?1 for update skip locked").setParameter(1, id).getResultList();
        if (mine.isEmpty()) {
            return null;
        }
        Booking b = em.find(Booking.class, id);
        em.refresh(b);
        return b;
    }

    private static Map<String, Object> withReason(Map<String, Object> metadata, String reason) {
        Map<String, Object> out = new LinkedHashMap<>(metadata);
        if (reason != null) {
            out.put("reason", reason);
        }
        return out;
    }

    private static String trim(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String r = reason.strip();
        if (r.length() > 500) {
            throw Problems.badRequest("reason is at most 500 characters", List.of(new FieldError("reason", "at most 500 characters")));
        }
        return r;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
