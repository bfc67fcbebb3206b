package org.parley.identity;

import jakarta.persistence.EntityManager;
import org.parley.common.Sha256;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one-time codes Parley hands out by email or in an answer (invitations, password resets, refresh tokens, the
 * second step of a sign-in): 32 random bytes, URL-safe Base64. Whoever holds one is believed, so only its SHA-256 is
 * stored.
 */
final class BearerCodes {

    static final SecureRandom RANDOM = new SecureRandom();

    private BearerCodes() {
    }

    static String next() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /**
     * Uses up {@code code} in {@code table} (a table of codes by {@code token_hash} with {@code expires_at} and the
     * {@code usedColumn} it sets), once: one conditional update, so of two concurrent uses only one gets the account.
     * Empty if the code is unknown, used or expired.
     */
    static Optional<UUID> use(EntityManager em, String table, String usedColumn, String code, Instant now) {
        List<?> rows = em.createNativeQuery("update " + table + " set " + usedColumn + " = ?1 where token_hash = ?2 and "
                        + usedColumn + " is null and expires_at > ?1 returning account_id")
                .setParameter(1, Timestamp.from(now)).setParameter(2, Sha256.hex(code == null ? "" : code)).getResultList();
        return rows.stream().map(UUID.class::cast).findFirst();
    }
}
