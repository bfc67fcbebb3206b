package org.parley.care;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.notify.Notifications;

import java.sql.Date;
import java.sql.Time;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What the remedy-reminders job does at an instant (the job passes its clock's instant, or the operator's {@code at}):
 * each active remedy with reminders on whose local reminder time has come today, in the remedy's own time zone, gets
 * today's reminder once (the dedupe key is the remedy and its local date); remedies past their last day are finished.
 * Local times are resolved by {@link #dueAt}: across a DST change the wall-clock time stays the same, a time that does
 * not exist that day (spring forward) moves forward by the gap, one that occurs twice (fall back) is the first.
 */
@Stateless
public class RemedyReminders {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Notifications notifications;

    public record Sent(int reminders, int finished) {
    }

    /** The instant of {@code time} on {@code day} in {@code zone}. */
    public static Instant dueAt(LocalDate day, LocalTime time, ZoneId zone) {
        return ZonedDateTime.of(day, time, zone).toInstant();
    }

    @SuppressWarnings("unchecked")
    public Sent remind(Instant now) {
        List<Object[]> active = em.createNativeQuery("""
                        select id, user_id, title, start_date, duration_days, reminder_enabled, reminder_time, time_zone
                        from remedy where status = 'ACTIVE'""").getResultList();
        int reminders = 0;
        int finished = 0;
        for (Object[] r : active) {
            ZoneId zone = ZoneId.of((String) r[7]);
            LocalDate today = LocalDate.ofInstant(now, zone);
            LocalDate start = ((Date) r[3]).toLocalDate();
            LocalDate end = start.plusDays(((Number) r[4]).intValue());
            if (!today.isBefore(end)) {
                em.createNativeQuery("update remedy set status = 'FINISHED' where id = ?1 and status = 'ACTIVE'").setParameter(1, r[0]).executeUpdate();
                finished++;
                continue;
            }
            if (!Boolean.TRUE.equals(r[5]) || today.isBefore(start)) {
                continue;
            }
            LocalTime at = ((Time) r[6]).toLocalTime();
            if (!now.isBefore(dueAt(today, at, zone)) && notifications.notifyEverywhere((UUID) r[1], "remedy-reminder",
                    "Reminder: " + r[2], "Today's practice (" + today + ") is due at " + at + ".", "remedy-reminder:" + r[0] + ":" + today,
                    null, java.util.Map.of("remedy", String.valueOf(r[2])))) {
                reminders++;
            }
        }
        return new Sent(reminders, finished);
    }
}
