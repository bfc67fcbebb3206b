package org.parley.identity;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.Problems;
import org.parley.common.Sha256;
import org.parley.notify.Notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * Invitations to choose a password, for accounts created by someone else (imported expert applicants). The token goes
 * to the account's email through the notifications outbox; only its SHA-256 is stored, it works once, for 14 days.
 */
@Stateless
public class Invitations {

    public static final Duration LIFETIME = Duration.ofDays(14);

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Notifications notifications;
    @Inject
    private PasswordHasher hasher;
    @Inject
    private AuditLog audit;
    @Inject
    private AccountService accounts;
    @Inject
    private Clock clock;

    /** Invites {@code accountId} (once: a second call for the same account does nothing) in the caller's transaction. */
    public void invite(UUID accountId, String name, Instant now) {
        String token = BearerCodes.next();
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        Instant expires = at.plus(LIFETIME);
        int created = em.createNativeQuery("""
                        insert into account_invitation (account_id, token_hash, created_at, expires_at)
                        values (?1, ?2, ?3, ?4) on conflict (account_id) do nothing""")
                .setParameter(1, accountId).setParameter(2, Sha256.hex(token)).setParameter(3, Timestamp.from(at))
                .setParameter(4, Timestamp.from(expires)).executeUpdate();
        if (created == 1) {
            notifications.notify(accountId, Notifications.Channel.EMAIL, "invitation", "Your Parley expert application",
                    "Hello " + name + ",\n\nyou have been added to Parley as an expert applicant. Choose your password with"
                            + " this invitation code (valid until " + expires + "):\n\n" + token
                            + "\n\nPOST /api/v1/auth/invitations/accept {\"token\": \"<code>\", \"password\": \"...\"}\n",
                    "invitation:" + accountId);
        }
    }

    /**
     * Sets the password of the invitation's account and uses the invitation up; an unknown, used or expired token is
     * 422 (the same answer for all three, so tokens cannot be probed).
     */
    public AccountView accept(String token, String password) {
        Instant now = clock.instant();
        UUID accountId = BearerCodes.use(em, "account_invitation", "accepted_at", token, now).orElseThrow(
                () -> Problems.rule("invitation-invalid", "this invitation is unknown, already used or expired"));
        Account account = em.find(Account.class, accountId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (!account.isActive()) {
            throw Problems.forbidden("the account is " + account.status());
        }
        account.changePassword(hasher.hash(password), now);
        audit.record(new Caller(accountId, account.role(), null), "INVITATION_ACCEPTED", "ACCOUNT", accountId, Map.of());
        return accounts.find(accountId);
    }

}
