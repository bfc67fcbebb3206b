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
 * The EMAIL rows of the outbox, each step in its own short transaction: claim due rows (a lease: their next attempt
 * moves past the lease, so another node or the next round skips them while they are being sent), then mark each
 * sent, or retry later with exponential backoff, or failed after {@value #MAX_ATTEMPTS} attempts.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class EmailOutbox {

    static final int MAX_ATTEMPTS = 6;
    private static final Duration LEASE = Duration.ofMinutes(2);

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Clock clock;

    /** One email to send; {@code calendar} is an iCalendar part to add, or null. */
    public record Email(UUID id, String to, String subject, String body, int attempt, String calendar) {
    }

    @SuppressWarnings("unchecked")
    public List<Email> claim(int limit) {
        Instant now = clock.instant();
        List<Object[]> rows = em.createNativeQuery("""
                        update notification n set attempts = n.attempts + 1, next_attempt_at = ?2
                        from account a
                        where a.id = n.account_id and n.id in (select id from notification where channel = 'EMAIL' and status = 'PENDING'
                                                              and next_attempt_at <= ?1 order by next_attempt_at limit ?3 for update skip locked)
                        returning n.id, a.email, n.title, n.body, n.attempts, n.calendar""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, Timestamp.from(now.plus(LEASE))).setParameter(3, limit).getResultList();
        return rows.stream().map(r -> new Email((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], ((Number) r[4]).intValue(),
                (String) r[5])).toList();
    }

    public void sent(UUID id) {
        em.createNativeQuery("update notification set status = 'SENT', sent_at = ?2, next_attempt_at = null, last_error = null where id = ?1")
                .setParameter(1, id).setParameter(2, Timestamp.from(clock.instant())).executeUpdate();
    }

    /** Attempt n failed: retry after 30 s · 2^(n-1), or give up after the last attempt. */
    public void failed(Email email, String error) {
        boolean last = email.attempt() >= MAX_ATTEMPTS;
        Instant retry = clock.instant().plus(Duration.ofSeconds(30L << Math.min(email.attempt() - 1, 10)));
        em.createNativeQuery("update notification set status = ?2, next_attempt_at = ?3, last_error = ?4 where id = ?1")
                .setParameter(1, email.id()).setParameter(2, last ? "FAILED" : "PENDING").setParameter(3, last ? null : Timestamp.from(retry))
                .setParameter(4, error == null ? "unknown" : error.length() > 1000 ? error.substring(0, 1000) : error).executeUpdate();
    }
}
