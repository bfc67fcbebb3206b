package org.parley.identity;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.audit.AuditLog;
import org.parley.common.Problems;
import org.parley.common.Sha256;
import org.parley.notify.Notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * "Forgot password": a one-time link by email, valid {@code parley.password-reset.lifetime-seconds} (30 minutes).
 * Asking answers the same whether the email belongs to an account or not (the caller learns nothing), and does the
 * same work: one statement that writes the token for an active account with that email, if there is one. Only the
 * token's SHA-256 is stored. Using it sets the password, uses up the account's other open links and signs out every
 * login. At most one email per account per {@link #EMAIL_EVERY} (the outbox's dedupe key), so the form cannot be used
 * to flood someone's inbox; a link already sent stays valid.
 */
@Stateless
public class PasswordResets {

    static final Duration EMAIL_EVERY = Duration.ofMinutes(2);

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Notifications notifications;
    @Inject
    private PasswordHasher hasher;
    @Inject
    private Logins logins;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;
    @Inject
    @ConfigProperty(name = "parley.password-reset.lifetime-seconds", defaultValue = "1800")
    long lifetimeSeconds;
    @Inject
    @ConfigProperty(name = "parley.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;

    /** Sends a reset link to {@code email} if it names an active account; says nothing either way. */
    public void request(String email) {
        String token = BearerCodes.next();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plusSeconds(lifetimeSeconds);
        List<?> rows = em.createNativeQuery("""
                        insert into password_reset (token_hash, account_id, created_at, expires_at)
                        select ?1, a.id, ?2, ?3 from account a where lower(a.email) = lower(?4) and a.status = 'ACTIVE'
                        returning account_id""")
                .setParameter(1, Sha256.hex(token)).setParameter(2, Timestamp.from(now)).setParameter(3, Timestamp.from(expires))
                .setParameter(4, email).getResultList();
        if (rows.isEmpty()) {
            return;
        }
        UUID accountId = (UUID) rows.get(0);
        String link = publicUrl + "/reset-password#token=" + token;
        notifications.notify(accountId, Notifications.Channel.EMAIL, "password-reset", "Reset your Parley password",
                "Someone (we hope you) asked to reset the password of your Parley account.\n\nChoose a new one with this"
                        + " link, which works once, until " + expires + ":\n\n" + link + "\n\nor with this code:\n\n" + token
                        + "\n\nPOST /api/v1/auth/password-reset/confirm {\"token\": \"<code>\", \"newPassword\": \"...\"}\n\n"
                        + "If it was not you, ignore this email: your password stays as it is.\n",
                "password-reset:" + now.toEpochMilli() / EMAIL_EVERY.toMillis());
    }

    /**
     * Sets a new password with a reset token, once; an unknown, used or expired token is 422 {@code reset-token-invalid}
     * (one answer for all three). Every login of the account is signed out.
     */
    public void confirm(String token, String newPassword) {
        Instant now = clock.instant();
        UUID accountId = BearerCodes.use(em, "password_reset", "used_at", token, now).orElseThrow(
                () -> Problems.rule("reset-token-invalid", "this reset link is unknown, already used or expired"));
        Account account = em.find(Account.class, accountId, LockModeType.PESSIMISTIC_WRITE);
        if (!account.isActive()) {
            throw Problems.rule("reset-token-invalid", "this reset link is unknown, already used or expired");
        }
        account.changePassword(hasher.hash(newPassword), now);
        em.createNativeQuery("update password_reset set used_at = ?1 where account_id = ?2 and used_at is null")
                .setParameter(1, Timestamp.from(now)).setParameter(2, accountId).executeUpdate();
        logins.revokeAll(accountId);
        audit.record(new Caller(accountId, account.role(), null), "PASSWORD_RESET", "ACCOUNT", accountId, Map.of());
    }
}
