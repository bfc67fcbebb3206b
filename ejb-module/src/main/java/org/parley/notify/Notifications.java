package org.parley.notify;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.Problems;
import org.parley.identity.Caller;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The notifications outbox. {@link #notify} writes in the caller's transaction (the notification exists if and only if
 * its cause committed); the same (account, channel, dedupe key) is written once, so a job run twice notifies once.
 * In-app notifications are delivered by being there; other channels wait for their dispatcher.
 */
@Stateless
public class Notifications {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Clock clock;

    public enum Channel { IN_APP, EMAIL }

    /** One in-app notification as its owner reads it. */
    public record View(UUID id, String kind, String title, String body, Instant createdAt, Instant readAt) {
    }

    /** Queues a notification; false if this (account, channel, dedupe key) was notified already. */
    public boolean notify(UUID accountId, Channel channel, String kind, String title, String body, String dedupeKey) {
        return notify(accountId, channel, kind, title, body, dedupeKey, null);
    }

    /** Like {@link #notify}; an email also carries {@code calendar} (an iCalendar text, its METHOD inside) when not null. */
    public boolean notify(UUID accountId, Channel channel, String kind, String title, String body, String dedupeKey, String calendar) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        boolean inApp = channel == Channel.IN_APP;
        return em.createNativeQuery("""
                        insert into notification (id, account_id, channel, kind, title, body, dedupe_key, status, next_attempt_at, created_at, sent_at,
                                                  calendar)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) on conflict (account_id, channel, dedupe_key) do nothing""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, accountId).setParameter(3, channel.name()).setParameter(4, kind)
                .setParameter(5, title).setParameter(6, body).setParameter(7, dedupeKey).setParameter(8, inApp ? "SENT" : "PENDING")
                .setParameter(9, inApp ? null : Timestamp.from(now)).setParameter(10, Timestamp.from(now))
                .setParameter(11, inApp ? Timestamp.from(now) : null).setParameter(12, inApp ? null : calendar).executeUpdate() == 1;
    }

    /** In-app and by email; true if the in-app one is new (the email follows it, deduplicated the same way). */
    public boolean notifyEverywhere(UUID accountId, String kind, String title, String body, String dedupeKey) {
        return notifyEverywhere(accountId, kind, title, body, dedupeKey, null);
    }

    /** In-app and by email, the email carrying {@code calendar} (may be null). */
    public boolean notifyEverywhere(UUID accountId, String kind, String title, String body, String dedupeKey, String calendar) {
        boolean fresh = notify(accountId, Channel.IN_APP, kind, title, body, dedupeKey);
        notify(accountId, Channel.EMAIL, kind, title, body, dedupeKey, calendar);
        return fresh;
    }

    /** The caller's in-app notifications, newest first (only unread ones if asked). */
    @SuppressWarnings("unchecked")
    public List<View> inbox(Caller caller, boolean unreadOnly, int limit) {
        List<Object[]> rows = em.createNativeQuery("select id, kind, title, body, created_at, read_at from notification"
                        + " where account_id = ?1 and channel = 'IN_APP'" + (unreadOnly ? " and read_at is null" : "")
                        + " order by created_at desc, id limit ?2")
                .setParameter(1, caller.id()).setParameter(2, limit).getResultList();
        return rows.stream().map(r -> new View((UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                org.parley.common.db.Rows.instant(r[4]), r[5] == null ? null : org.parley.common.db.Rows.instant(r[5]))).toList();
    }

    /** Marks every unread in-app notification of the caller's read; how many were. */
    public int markAllRead(Caller caller) {
        return em.createNativeQuery("update notification set read_at = ?2 where account_id = ?1 and channel = 'IN_APP' and read_at is null")
                .setParameter(1, caller.id()).setParameter(2, Timestamp.from(clock.instant())).executeUpdate();
    }

    /** Marks one of the caller's notifications read (someone else's is 404, as if missing); reading twice is harmless. */
    public void markRead(Caller caller, UUID id) {
        int found = em.createNativeQuery("update notification set read_at = coalesce(read_at, ?3) where id = ?1 and account_id = ?2 and channel = 'IN_APP'")
                .setParameter(1, id).setParameter(2, caller.id()).setParameter(3, Timestamp.from(clock.instant())).executeUpdate();
        if (found == 0) {
            throw Problems.notFound("notification");
        }
    }
}
