package org.parley.care;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.identity.Role;

import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Remedies: assigned by an expert to a user they have had a session with (or by an admin), followed by the user's
 * daily check-ins (one per day of the remedy, not in the future of the remedy's time zone) and one feedback.
 */
@Stateless
public class RemedyService {

    public enum Kind { DONATION, MANTRA, GEMSTONE, VASTU, AFFIRMATION, PRACTICE }

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Clock clock;

    public record NewRemedy(UUID userId, UUID sessionId, Kind kind, String title, String instructions, int durationDays,
                            LocalDate startDate, boolean reminderEnabled, LocalTime reminderTime, String timeZone) {
    }

    public record View(UUID id, UUID userId, UUID assignedBy, UUID sessionId, String kind, String title, String instructions,
                       int durationDays, LocalDate startDate, Map<String, Object> reminder, String status, long checkinsDone,
                       Instant createdAt) {
    }

    public record KindReport(String kind, long remedies, long checkinsDone, long daysElapsed, double completionRate) {
    }

    public View assign(Caller by, NewRemedy r) {
        if (by.role() != Role.EXPERT && !by.isAdmin()) {
            throw Problems.forbidden("only experts and admins assign remedies");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(r.timeZone() == null ? "Asia/Kolkata" : r.timeZone());
        } catch (DateTimeException e) {
            throw Problems.badRequest("unknown time zone", List.of(new FieldError("reminder.timezone", "not a time zone id such as Asia/Kolkata")));
        }
        if (r.reminderEnabled() && r.reminderTime() == null) {
            throw Problems.badRequest("a reminder needs its local time", List.of(new FieldError("reminder.localTime", "required when enabled")));
        }
        long users = ((Number) em.createNativeQuery("select count(*) from account where id = ?1 and role = 'USER'")
                .setParameter(1, r.userId()).getSingleResult()).longValue();
        if (users == 0) {
            throw Problems.notFound("user");
        }
        if (!by.isAdmin() || r.sessionId() != null) {
            String between = by.isAdmin() ? "user_id = ?1" : "user_id = ?1 and expert_id = ?2";
            String which = r.sessionId() == null ? "" : " and id = ?3";
            var q = em.createNativeQuery("select count(*) from live_session where " + between + which).setParameter(1, r.userId());
            if (!by.isAdmin()) {
                q.setParameter(2, by.id());
            }
            if (r.sessionId() != null) {
                q.setParameter(3, r.sessionId());
            }
            if (((Number) q.getSingleResult()).longValue() == 0) {
                throw Problems.rule("no-session-with-user", r.sessionId() == null
                        ? "an expert assigns remedies to users they have had a session with" : "the session is not one of this user's with you");
            }
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into remedy (id, user_id, assigned_by, session_id, kind, title, instructions, duration_days, start_date,
                                            reminder_enabled, reminder_time, time_zone, status, created_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'ACTIVE', ?13)""")
                .setParameter(1, id).setParameter(2, r.userId()).setParameter(3, by.id()).setParameter(4, r.sessionId())
                .setParameter(5, r.kind().name()).setParameter(6, r.title()).setParameter(7, r.instructions())
                .setParameter(8, r.durationDays()).setParameter(9, Date.valueOf(r.startDate())).setParameter(10, r.reminderEnabled())
                .setParameter(11, r.reminderTime() == null ? null : Time.valueOf(r.reminderTime())).setParameter(12, zone.getId())
                .setParameter(13, Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS))).executeUpdate();
        return list("r.id = ?1", id).get(0);
    }

    /** A user's remedies, or those an expert assigned, newest first. */
    public List<View> mine(Caller caller) {
        return list(caller.role() == Role.USER ? "r.user_id = ?1" : "r.assigned_by = ?1", caller.id());
    }

    @SuppressWarnings("unchecked")
    private List<View> list(String where, UUID value) {
        List<Object[]> rows = em.createNativeQuery("""
                        select r.id, r.user_id, r.assigned_by, r.session_id, r.kind, r.title, r.instructions, r.duration_days, r.start_date,
                               r.reminder_enabled, r.reminder_time, r.time_zone, r.status, r.created_at,
                               (select count(*) from remedy_checkin c where c.remedy_id = r.id and c.done)
                        from remedy r""" + " where " + where + " order by r.created_at desc, r.id").setParameter(1, value).getResultList();
        return rows.stream().map(r -> {
            Map<String, Object> reminder = new java.util.LinkedHashMap<>();
            reminder.put("enabled", r[9]);
            reminder.put("localTime", r[10] == null ? null : ((Time) r[10]).toLocalTime().toString());
            reminder.put("timezone", r[11]);
            return new View((UUID) r[0], (UUID) r[1], (UUID) r[2], (UUID) r[3], (String) r[4], (String) r[5], (String) r[6],
                    ((Number) r[7]).intValue(), ((Date) r[8]).toLocalDate(), reminder, (String) r[12], ((Number) r[14]).longValue(),
                    Rows.instant(r[13]));
        }).toList();
    }

    /** The remedy's user checks a day in: a day of the remedy, not after today in its time zone, once. */
    public void checkIn(Caller user, UUID remedyId, LocalDate day, boolean done, String note) {
        Object[] r = owned(user, remedyId);
        LocalDate start = ((Date) r[0]).toLocalDate();
        int days = ((Number) r[1]).intValue();
        LocalDate today = LocalDate.now(clock.withZone(ZoneId.of((String) r[2])));
        if (day.isBefore(start) || !day.isBefore(start.plusDays(days)) || day.isAfter(today)) {
            throw Problems.rule("day-out-of-range", "check-ins are for the remedy's days up to today (" + start + " to "
                    + start.plusDays(days - 1L) + ")");
        }
        int inserted = em.createNativeQuery("insert into remedy_checkin (remedy_id, day, done, note, created_at) values (?1, ?2, ?3, ?4, ?5)"
                        + " on conflict do nothing")
                .setParameter(1, remedyId).setParameter(2, Date.valueOf(day)).setParameter(3, done).setParameter(4, note)
                .setParameter(5, Timestamp.from(clock.instant())).executeUpdate();
        if (inserted == 0) {
            throw Problems.conflict("already-checked-in", day + " has a check-in already");
        }
    }

    /** The remedy's user gives feedback once. */
    public void feedback(Caller user, UUID remedyId, int rating, String comment) {
        owned(user, remedyId);
        int inserted = em.createNativeQuery("insert into remedy_feedback (remedy_id, rating, comment, created_at) values (?1, ?2, ?3, ?4)"
                        + " on conflict do nothing")
                .setParameter(1, remedyId).setParameter(2, rating).setParameter(3, comment).setParameter(4, Timestamp.from(clock.instant()))
                .executeUpdate();
        if (inserted == 0) {
            throw Problems.conflict("already-given", "this remedy has feedback already");
        }
    }

    private Object[] owned(Caller user, UUID remedyId) {
        List<?> rows = em.createNativeQuery("select start_date, duration_days, time_zone from remedy where id = ?1 and user_id = ?2")
                .setParameter(1, remedyId).setParameter(2, user.id()).getResultList();
        if (rows.isEmpty()) {
            throw Problems.notFound("remedy");
        }
        return (Object[]) rows.get(0);
    }

    /**
     * Completion per kind: check-ins marked done over the remedy days elapsed so far (up to today in the remedy's own
     * time zone, where its user lives, at most the remedy's duration), across all remedies of the kind.
     */
    @SuppressWarnings("unchecked")
    public List<KindReport> completionByKind() {
        List<Object[]> rows = em.createNativeQuery("""
                        select r.kind, count(*),
                               coalesce(sum((select count(*) from remedy_checkin c where c.remedy_id = r.id and c.done)), 0),
                               coalesce(sum(greatest(0, least(r.duration_days, ((now() at time zone r.time_zone)::date - r.start_date) + 1))), 0)
                        from remedy r group by r.kind order by r.kind""").getResultList();
        return rows.stream().map(r -> {
            long done = ((Number) r[2]).longValue();
            long elapsed = ((Number) r[3]).longValue();
            return new KindReport((String) r[0], ((Number) r[1]).longValue(), done, elapsed,
                    elapsed == 0 ? 0 : Math.round(1000.0 * done / elapsed) / 1000.0);
        }).toList();
    }
}
