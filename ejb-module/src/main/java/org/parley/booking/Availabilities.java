package org.parley.booking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Json;
import org.parley.common.Problems;
import org.parley.common.Sql;
import org.parley.common.db.Rows;
import org.parley.expert.ExpertProfile;
import org.parley.expert.ExpertStatus;
import org.parley.identity.Caller;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where experts can be booked: their weekly schedule and date overrides (stored as one row per expert), one-off slots
 * (never overlapping, an exclusion constraint), the windows they make together and the bookable starts in them.
 */
@Stateless
public class Availabilities {

    private static final Duration PAD = Duration.ofDays(1);
    private static final TypeReference<List<Schedule.Weekly>> WEEKLY = new TypeReference<>() {
    };
    private static final TypeReference<List<Schedule.DateOverride>> OVERRIDES = new TypeReference<>() {
    };

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private PlatformSettings settings;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    /** A schedule as stored and returned. */
    public record ScheduleView(String timezone, List<Schedule.Weekly> weekly, List<Schedule.DateOverride> overrides, Instant updatedAt) {
    }

    /** A one-off slot. */
    public record Slot(UUID id, Instant startsAt, Instant endsAt) {
    }

    /** A window of availability: from the weekly schedule, a date override, or a one-off slot (with its id). */
    public record Window(Instant startsAt, Instant endsAt, String source, UUID slotId) {
    }

    /** A bookable start and the end of a booking of the asked length. */
    public record Start(Instant startsAt, Instant endsAt) {
    }

    /** The windows and standing bookings around a time, as {@link Availability} needs them. */
    public record Snapshot(List<Availability.Span> windows, List<Availability.Span> busy) {
    }

    /** Replaces the expert's schedule as a whole (validated first; nothing changes if it is refused). */
    public ScheduleView putSchedule(Caller expert, String timezone, List<Schedule.Weekly> weekly, List<Schedule.DateOverride> overrides) {
        Schedule s = Schedule.parse(timezone, weekly, overrides);
        Instant now = now();
        em.createNativeQuery("""
                        insert into expert_schedule (expert_id, timezone, weekly, overrides, updated_at) values (?1, ?2, cast(?3 as jsonb), cast(?4 as jsonb), ?5)
                        on conflict (expert_id) do update set timezone = excluded.timezone, weekly = excluded.weekly,
                            overrides = excluded.overrides, updated_at = excluded.updated_at""")
                .setParameter(1, expert.id()).setParameter(2, s.zone().getId()).setParameter(3, json(s.weekly()))
                .setParameter(4, json(s.overrides())).setParameter(5, Timestamp.from(now)).executeUpdate();
        audit.record(expert, "SCHEDULE_UPDATED", "EXPERT", expert.id(), Map.of("timezone", s.zone().getId(),
                "weeklyWindows", s.weekly().size(), "overrides", s.overrides().size()));
        return new ScheduleView(s.zone().getId(), s.weekly(), s.overrides(), now);
    }

    /** The expert's schedule (an empty one in UTC before it has set one). */
    public ScheduleView schedule(UUID expertId) {
        List<?> rows = em.createNativeQuery("select timezone, cast(weekly as text), cast(overrides as text), updated_at from expert_schedule"
                + " where expert_id = ?1").setParameter(1, expertId).getResultList();
        if (rows.isEmpty()) {
            return new ScheduleView("UTC", List.of(), List.of(), null);
        }
        Object[] r = (Object[]) rows.get(0);
        return new ScheduleView((String) r[0], read((String) r[1], WEEKLY), read((String) r[2], OVERRIDES), Rows.instant(r[3]));
    }

    /** Adds a one-off slot: end after start, not in the past nor beyond the horizon (422), not overlapping another (409). */
    public Slot addSlot(Caller expert, Instant startsAt, Instant endsAt) {
        List<FieldError> missing = new ArrayList<>();
        if (startsAt == null) {
            missing.add(new FieldError("startsAt", "required"));
        }
        if (endsAt == null) {
            missing.add(new FieldError("endsAt", "required"));
        }
        if (!missing.isEmpty()) {
            throw Problems.badRequest("the slot is malformed", missing);
        }
        Instant now = now();
        if (!endsAt.isAfter(startsAt)) {
            throw Problems.rule("invalid-slot", "endsAt must be after startsAt", List.of(new FieldError("endsAt", "must be after startsAt")));
        }
        if (startsAt.isBefore(now)) {
            throw Problems.rule("invalid-slot", "the slot starts in the past", List.of(new FieldError("startsAt", "in the past")));
        }
        Instant horizon = horizon(now);
        if (endsAt.isAfter(horizon)) {
            throw Problems.rule("invalid-slot", "the slot ends beyond the booking horizon " + horizon,
                    List.of(new FieldError("endsAt", "beyond the booking horizon")));
        }
        UUID id = UUID.randomUUID();
        try {
            em.createNativeQuery("insert into availability_slot (id, expert_id, starts_at, ends_at, created_at) values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, id).setParameter(2, expert.id()).setParameter(3, Timestamp.from(startsAt))
                    .setParameter(4, Timestamp.from(endsAt)).setParameter(5, Timestamp.from(now)).executeUpdate();
        } catch (PersistenceException e) {
            if (Sql.isExclusionViolation(e, "availability_slot_no_overlap")) {
                throw Problems.conflict("slot-overlap", "the slot overlaps another slot of yours");
            }
            throw e;
        }
        audit.record(expert, "AVAILABILITY_ADDED", "AVAILABILITY_SLOT", id, Map.of("startsAt", startsAt.toString(), "endsAt", endsAt.toString()));
        return new Slot(id, startsAt, endsAt);
    }

    /** Removes one of the expert's slots (another's, or a missing one, is 404). Bookings made in it stand. */
    public void deleteSlot(Caller expert, UUID slotId) {
        int gone = em.createNativeQuery("delete from availability_slot where id = ?1 and expert_id = ?2")
                .setParameter(1, slotId).setParameter(2, expert.id()).executeUpdate();
        if (gone == 0) {
            throw Problems.notFound("slot");
        }
        audit.record(expert, "AVAILABILITY_REMOVED", "AVAILABILITY_SLOT", slotId, Map.of());
    }

    /** The windows of an approved expert in [from, to) (defaults: now to the horizon), each with where it comes from. */
    public List<Window> availability(UUID expertId, Instant from, Instant to) {
        requireBookable(expertId);
        Instant[] range = range(from, to);
        Schedule schedule = loadSchedule(expertId);
        List<Window> out = new ArrayList<>();
        for (Availability.Span s : Availability.scheduled(schedule, range[0], range[1])) {
            boolean overridden = !schedule.overrides().isEmpty()
                    && schedule.overrides().stream().anyMatch(o -> s.start().atZone(schedule.zone()).toLocalDate().equals(Schedule.date(o.date())));
            out.add(new Window(s.start(), s.end(), overridden ? "override" : "weekly", null));
        }
        for (Slot slot : slots(expertId, range[0], range[1])) {
            out.add(new Window(slot.startsAt(), slot.endsAt(), "slot", slot.id()));
        }
        out.sort(java.util.Comparator.comparing(Window::startsAt));
        return out;
    }

    /**
     * Every bookable start of an approved expert in [from, to) for a booking of {@code minutes}: on the 15-minute grid of
     * each window, inside it, clear of standing bookings by the buffer, after the minimum notice, within the horizon.
     */
    public List<Start> bookableStarts(UUID expertId, Instant from, Instant to, Integer minutes) {
        List<FieldError> errors = new ArrayList<>();
        BookingService.requireMinutes(minutes == null ? BookingService.MIN_MINUTES : minutes, errors);
        if (!errors.isEmpty()) {
            throw Problems.badRequest("minutes is malformed", errors);
        }
        requireBookable(expertId);
        Instant[] range = range(from, to);
        long unit = settings.get(Setting.BILLING_PERIOD_SECONDS);
        Duration length = Duration.ofSeconds((minutes == null ? BookingService.MIN_MINUTES : minutes) * unit);
        Snapshot snapshot = around(expertId, range[0], range[1], null);
        Availability.Rules rules = rules(length, now());
        return Availability.starts(snapshot.windows(), snapshot.busy(), rules, range[0], range[1]).stream()
                .map(s -> new Start(s.start(), s.end())).toList();
    }

    /** The rules of a start now: length, the 15-minute grid, minimum notice, horizon and buffer, in current periods. */
    public Availability.Rules rules(Duration length, Instant now) {
        long unit = settings.get(Setting.BILLING_PERIOD_SECONDS);
        return new Availability.Rules(length, Duration.ofSeconds(BookingService.GRID_MINUTES * unit),
                now.plusSeconds(settings.get(Setting.BOOKING_MIN_NOTICE_MINUTES) * unit), horizon(now),
                Duration.ofSeconds(settings.get(Setting.BOOKING_BUFFER_MINUTES) * unit));
    }

    /** The latest bookable instant: {@code bookingHorizonDays} days of 1,440 billing periods from now. */
    private Instant horizon(Instant now) {
        return now.plusSeconds(settings.get(Setting.BOOKING_HORIZON_DAYS) * 1440 * settings.get(Setting.BILLING_PERIOD_SECONDS));
    }

    /** The merged windows and the standing bookings (but {@code exclude}) of an expert around [from, to). */
    @SuppressWarnings("unchecked")
    public Snapshot around(UUID expertId, Instant from, Instant to, UUID exclude) {
        Instant lo = from.minus(PAD);
        Instant hi = to.plus(PAD);
        List<Availability.Span> oneOff = slots(expertId, lo, hi).stream().map(s -> new Availability.Span(s.startsAt(), s.endsAt())).toList();
        List<Availability.Span> windows = Availability.windows(loadSchedule(expertId), oneOff, lo, hi);
        List<Object[]> rows = em.createNativeQuery("""
                        select starts_at, ends_at from booking where expert_id = ?1 and status in ('PENDING', 'ACCEPTED')
                          and starts_at < ?3 and ends_at > ?2 and id <> ?4 order by starts_at""")
                .setParameter(1, expertId).setParameter(2, Timestamp.from(lo)).setParameter(3, Timestamp.from(hi))
                .setParameter(4, exclude == null ? new UUID(0, 0) : exclude).getResultList();
        List<Availability.Span> busy = rows.stream().map(r -> new Availability.Span(Rows.instant(r[0]), Rows.instant(r[1]))).toList();
        return new Snapshot(windows, busy);
    }

    @SuppressWarnings("unchecked")
    private List<Slot> slots(UUID expertId, Instant from, Instant to) {
        List<Object[]> rows = em.createNativeQuery("select id, starts_at, ends_at from availability_slot where expert_id = ?1"
                        + " and starts_at < ?3 and ends_at > ?2 order by starts_at")
                .setParameter(1, expertId).setParameter(2, Timestamp.from(from)).setParameter(3, Timestamp.from(to)).getResultList();
        return rows.stream().map(r -> new Slot((UUID) r[0], Rows.instant(r[1]), Rows.instant(r[2]))).toList();
    }

    private Schedule loadSchedule(UUID expertId) {
        ScheduleView v = schedule(expertId);
        return v.updatedAt() == null ? Schedule.NONE : new Schedule(ZoneId.of(v.timezone()), v.weekly(), v.overrides());
    }

    /** [from, to) with defaults now and the horizon; to not after from is 400. */
    private Instant[] range(Instant from, Instant to) {
        Instant now = now();
        Instant start = from == null ? now : from;
        Instant end = to == null ? horizon(now) : to;
        if (!end.isAfter(start)) {
            throw Problems.badRequest("to must be after from", List.of(new FieldError("to", "must be after from")));
        }
        if (Duration.between(start, end).compareTo(Duration.ofDays(400)) > 0) {
            throw Problems.badRequest("the range is at most 400 days", List.of(new FieldError("to", "at most 400 days after from")));
        }
        return new Instant[]{start, end};
    }

    private void requireBookable(UUID expertId) {
        ExpertProfile expert = em.find(ExpertProfile.class, expertId);
        if (expert == null || expert.status() != ExpertStatus.APPROVED || !expert.account().isActive()) {
            throw Problems.notFound("expert");
        }
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored schedule is unreadable", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
