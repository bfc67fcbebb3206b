package org.parley.identity;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.common.TooManyRequestsException;
import org.parley.common.db.Rows;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Limits failed logins per account (email) and per client address in a fixed window. Counts live in the
 * database (an atomic upsert per failure), so every node sees them. The address limit is set well above the
 * account limit: one attacker cannot lock out an office behind one address by failing against one account,
 * and successful logins never count. A few concurrent attempts may pass the check together; each still
 * counts, so the overshoot is bounded by concurrency.
 */
@Stateless
public class LoginThrottle {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;

    @Inject
    private Clock clock;

    @Inject
    @ConfigProperty(name = "parley.login.max-failures-per-account", defaultValue = "5")
    private int maxPerAccount;

    @Inject
    @ConfigProperty(name = "parley.login.max-failures-per-address", defaultValue = "30")
    private int maxPerAddress;

    @Inject
    @ConfigProperty(name = "parley.login.window-seconds", defaultValue = "900")
    private long windowSeconds;

    /** Refuses (429) when the account or the address has used up its failures in the current window. */
    public void check(String email, String address) {
        Instant now = clock.instant();
        Instant windowStart = now.minus(Duration.ofSeconds(windowSeconds));
        List<?> rows = em.createNativeQuery(
                        "select throttle_key, failures, window_started_at from login_throttle"
                                + " where throttle_key in (?1, ?2) and window_started_at > ?3")
                .setParameter(1, accountKey(email)).setParameter(2, addressKey(address))
                .setParameter(3, Timestamp.from(windowStart)).getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            String key = (String) r[0];
            int limit = key.startsWith("account:") ? maxPerAccount : maxPerAddress;
            if (((Number) r[1]).intValue() >= limit) {
                Instant started = Rows.instant(r[2]);
                long retryAfter = Duration.between(now, started.plusSeconds(windowSeconds)).toSeconds() + 1;
                throw new TooManyRequestsException("too many failed logins; try again later", retryAfter);
            }
        }
    }

    /** Counts one failure against both the account and the address. */
    public void recordFailure(String email, String address) {
        bump(accountKey(email));
        bump(addressKey(address));
    }

    /** {@link #recordFailure} in a transaction of its own: it counts even when the caller's refusal rolls its transaction back. */
    @jakarta.ejb.TransactionAttribute(jakarta.ejb.TransactionAttributeType.REQUIRES_NEW)
    public void recordFailureApart(String email, String address) {
        recordFailure(email, address);
    }

    /** A successful login clears the account's count (not the address's). */
    public void clearAccount(String email) {
        em.createNativeQuery("delete from login_throttle where throttle_key = ?1")
                .setParameter(1, accountKey(email)).executeUpdate();
    }

    private void bump(String key) {
        Instant now = clock.instant();
        em.createNativeQuery("""
                        insert into login_throttle (throttle_key, failures, window_started_at) values (?1, 1, ?2)
                        on conflict (throttle_key) do update set
                          failures = case when login_throttle.window_started_at <= ?3 then 1 else login_throttle.failures + 1 end,
                          window_started_at = case when login_throttle.window_started_at <= ?3
                                                   then excluded.window_started_at else login_throttle.window_started_at end
                        """)
                .setParameter(1, key).setParameter(2, Timestamp.from(now))
                .setParameter(3, Timestamp.from(now.minusSeconds(windowSeconds))).executeUpdate();
    }

    private static String accountKey(String email) {
        return "account:" + Account.normaliseEmail(email);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
