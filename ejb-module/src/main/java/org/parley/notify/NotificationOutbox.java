package org.parley.notify;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The rows of the outbox that a dispatcher sends (email, SMS, WhatsApp), each step in its own short transaction: claim
 * due rows of a channel (a lease: their next attempt moves past the lease, so another node or the next round skips them
 * while they are being sent), then mark each sent, or retry later with exponential backoff, or failed after
 * {@value #MAX_ATTEMPTS} attempts (then admins see it in {@code GET /admin/notifications?status=FAILED}).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class NotificationOutbox {

    static final int MAX_ATTEMPTS = 6;
    private static final Duration LEASE = Duration.ofMinutes(2);

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Clock clock;

    /**
     * One message to send: {@code to} is the email address or the phone number; an email has a subject ({@code title})
     * and may carry {@code calendar}; SMS and WhatsApp carry the provider's {@code template}, its {@code language} and
     * the filled {@code variables} (a JSON array).
     */
    public record Pending(UUID id, Notifications.Channel channel, String to, String title, String body, int attempt, String calendar,
                          String template, String language, String variables, boolean marketing) {
    }

    @SuppressWarnings("unchecked")
    public List<Pending> claim(Notifications.Channel channel, int limit) {
        Instant now = clock.instant();
        List<Object[]> rows = em.createNativeQuery("""
                        update notification n set attempts = n.attempts + 1, next_attempt_at = ?2
                        from account a
                        where a.id = n.account_id and n.id in (select id from notification where channel = ?4 and status = 'PENDING'
                                                              and next_attempt_at <= ?1 order by next_attempt_at limit ?3 for update skip locked)
                        returning n.id, case when n.channel = 'EMAIL' then a.email else n.address end, n.title, n.body, n.attempts, n.calendar,
                                  n.template, n.language, cast(n.variables as text), n.marketing""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, Timestamp.from(now.plus(LEASE))).setParameter(3, limit)
                .setParameter(4, channel.name()).getResultList();
        return rows.stream().map(r -> new Pending((UUID) r[0], channel, (String) r[1], (String) r[2], (String) r[3], ((Number) r[4]).intValue(),
                (String) r[5], (String) r[6], (String) r[7], (String) r[8], (Boolean) r[9])).toList();
    }

    /** Sent: the provider's message id (null for email) is kept to match its delivery reports. */
    public void sent(UUID id, String providerMessageId) {
        em.createNativeQuery("""
                        update notification set status = 'SENT', sent_at = ?2, next_attempt_at = null, last_error = null, provider_message_id = cast(?3 as varchar),
                            delivery_status = case when cast(?3 as varchar) is null then null else 'SENT' end where id = ?1""")
                .setParameter(1, id).setParameter(2, Timestamp.from(clock.instant())).setParameter(3, providerMessageId).executeUpdate();
    }

    /** Attempt n failed: retry after 30 s · 2^(n-1) (a marketing SMS not before its window opens), or give up after the last attempt. */
    public void failed(Pending email, String error) {
        failed(email, error, false);
    }

    /** Like {@link #failed(Pending, String)}; a {@code permanent} failure (the provider refused the message itself) is not retried. */
    public void failed(Pending email, String error, boolean permanent) {
        boolean last = permanent || email.attempt() >= MAX_ATTEMPTS;
        Instant retry = clock.instant().plus(Duration.ofSeconds(30L << Math.min(email.attempt() - 1, 10)));
        if (email.marketing() && email.channel() == Notifications.Channel.SMS) {
            retry = QuietHours.marketingSms().nextAllowed(retry);
        }
        em.createNativeQuery("update notification set status = ?2, next_attempt_at = ?3, last_error = ?4 where id = ?1")
                .setParameter(1, email.id()).setParameter(2, last ? "FAILED" : "PENDING").setParameter(3, last ? null : Timestamp.from(retry))
                .setParameter(4, error == null ? "unknown" : error.length() > 1000 ? error.substring(0, 1000) : error).executeUpdate();
    }
}
