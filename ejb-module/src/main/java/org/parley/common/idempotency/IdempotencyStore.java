package org.parley.common.idempotency;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.Problems;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Makes a money-moving request happen once per (account, Idempotency-Key).
 *
 * <p>{@link #execute} claims the key by inserting its row in the same transaction as the action and stores the
 * response there too: the effect and its record commit together or not at all. A concurrent request with the same
 * key blocks on that row's unique index until the first commits, then replays its response, so concurrent repeats
 * produce one effect. The same key with a different body is refused (422).
 */
@Stateless
public class IdempotencyStore {

    /** Keys are kept at least this long; older ones may be purged. */
    public static final Duration RETENTION = Duration.ofHours(48);

    @PersistenceContext(unitName = "parley")
    private EntityManager em;

    @Inject
    private Clock clock;

    /** Runs {@code action} unless this key already has a response, which is returned instead. */
    public StoredResponse execute(UUID accountId, String key, String fingerprint, Supplier<StoredResponse> action) {
        if (!claim(accountId, key, fingerprint)) {
            return replay(accountId, key, fingerprint);
        }
        StoredResponse response = action.get();
        em.createNativeQuery("update idempotency_record set status = ?1, content_type = ?2, body = ?3"
                        + " where account_id = ?4 and idem_key = ?5")
                .setParameter(1, response.status()).setParameter(2, response.contentType()).setParameter(3, response.body())
                .setParameter(4, accountId).setParameter(5, key).executeUpdate();
        return response;
    }

    /**
     * Records a refusal (a 4xx the action threw, whose transaction rolled back) as this key's response, unless the
     * key got a response meanwhile; returns whichever response the key has now.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public StoredResponse recordRefusal(UUID accountId, String key, String fingerprint, StoredResponse refusal) {
        em.createNativeQuery("""
                        insert into idempotency_record (account_id, idem_key, fingerprint, status, content_type, body, created_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict do nothing
                        """)
                .setParameter(1, accountId).setParameter(2, key).setParameter(3, fingerprint)
                .setParameter(4, refusal.status()).setParameter(5, refusal.contentType()).setParameter(6, refusal.body())
                .setParameter(7, Timestamp.from(clock.instant())).executeUpdate();
        return replay(accountId, key, fingerprint);
    }

    /** Deletes keys older than {@link #RETENTION}; returns how many. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int purgeExpired() {
        return em.createNativeQuery("delete from idempotency_record where created_at < ?1")
                .setParameter(1, Timestamp.from(clock.instant().minus(RETENTION))).executeUpdate();
    }

    private boolean claim(UUID accountId, String key, String fingerprint) {
        return em.createNativeQuery("""
                        insert into idempotency_record (account_id, idem_key, fingerprint, status, content_type, body, created_at)
                        values (?1, ?2, ?3, 0, '', '', ?4) on conflict do nothing
                        """)
                .setParameter(1, accountId).setParameter(2, key).setParameter(3, fingerprint)
                .setParameter(4, Timestamp.from(clock.instant())).executeUpdate() == 1;
    }

    private StoredResponse replay(UUID accountId, String key, String fingerprint) {
        List<?> rows = em.createNativeQuery("select fingerprint, status, content_type, body from idempotency_record"
                        + " where account_id = ?1 and idem_key = ?2")
                .setParameter(1, accountId).setParameter(2, key).getResultList();
        if (rows.isEmpty()) {
            throw Problems.conflict("idempotency-in-progress", "a request with this Idempotency-Key is still being processed; retry");
        }
        Object[] r = (Object[]) rows.get(0);
        if (!fingerprint.equals(r[0])) {
            throw Problems.rule("idempotency-key-reused", "this Idempotency-Key was used with a different request");
        }
        return new StoredResponse(((Number) r[1]).intValue(), (String) r[2], (String) r[3]);
    }
}
