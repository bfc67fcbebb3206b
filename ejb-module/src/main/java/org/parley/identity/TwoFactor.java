package org.parley.identity;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.Problems;
import org.parley.common.Sha256;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Two-factor sign-in with TOTP: enrolment (a secret, confirmed by a first code, which hands out ten recovery codes),
 * and the second step of a sign-in. A code is accepted within one step either side of now (clock skew) and once:
 * only a step newer than the last accepted one passes, by a conditional update, so a replay (or a race of two) fails.
 */
@Stateless
public class TwoFactor {

    static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);
    static final int RECOVERY_CODES = 10;
    private static final char[] RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    /** What enrolment hands the app: the secret and the otpauth URI (for a QR code). */
    public record Enrolment(String secret, String otpauthUri) {
    }

    /** Starts (or restarts) enrolment with a new secret; 409 if two-factor is on already. */
    public Enrolment enrol(Caller caller) {
        Account account = em.find(Account.class, caller.id());
        String secret = Totp.newSecret();
        int changed = em.createNativeQuery("""
                        insert into account_totp (account_id, secret, created_at) values (?1, ?2, ?3)
                        on conflict (account_id) do update set secret = excluded.secret, created_at = excluded.created_at
                        where account_totp.confirmed_at is null""")
                .setParameter(1, caller.id()).setParameter(2, secret).setParameter(3, Timestamp.from(clock.instant())).executeUpdate();
        if (changed == 0) {
            throw Problems.conflict("totp-enabled", "two-factor sign-in is on already");
        }
        return new Enrolment(secret, Totp.uri("Parley", account.email(), secret));
    }

    /** Confirms enrolment with a first code: two-factor is on from now; returns the ten recovery codes, shown once. */
    public List<String> confirm(Caller caller, String code) {
        List<?> rows = em.createNativeQuery("select secret, confirmed_at from account_totp where account_id = ?1 for update")
                .setParameter(1, caller.id()).getResultList();
        if (rows.isEmpty() || ((Object[]) rows.get(0))[1] != null) {
            throw Problems.conflict("totp-not-pending", "start enrolment first (POST /me/totp)");
        }
        Optional<Long> step = matchingStep((String) ((Object[]) rows.get(0))[0], code);
        if (step.isEmpty()) {
            throw Problems.rule("totp-code-wrong", "the code does not match; check the device's clock and try the next code");
        }
        em.createNativeQuery("update account_totp set confirmed_at = ?1, last_step = ?2 where account_id = ?3")
                .setParameter(1, Timestamp.from(clock.instant())).setParameter(2, step.get()).setParameter(3, caller.id()).executeUpdate();
        em.createNativeQuery("delete from totp_recovery_code where account_id = ?1").setParameter(1, caller.id()).executeUpdate();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String recovery = recoveryCode();
            codes.add(recovery);
            em.createNativeQuery("insert into totp_recovery_code (account_id, code_hash) values (?1, ?2)")
                    .setParameter(1, caller.id()).setParameter(2, Sha256.hex(recovery)).executeUpdate();
        }
        audit.record(caller, "TOTP_ENABLED", "ACCOUNT", caller.id(), Map.of());
        return codes;
    }

    public boolean isEnabled(UUID accountId) {
        return !em.createNativeQuery("select 1 from account_totp where account_id = ?1 and confirmed_at is not null")
                .setParameter(1, accountId).getResultList().isEmpty();
    }

    /** The first step of a two-step sign-in passed: a token for the second (5 minutes, once). */
    public String challenge(UUID accountId, String userAgent, String address) {
        String token = BearerCodes.next();
        em.createNativeQuery("insert into mfa_challenge (token_hash, account_id, expires_at, user_agent, address) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, Sha256.hex(token)).setParameter(2, accountId)
                .setParameter(3, Timestamp.from(clock.instant().plus(CHALLENGE_LIFETIME)))
                .setParameter(4, userAgent == null || userAgent.length() <= 300 ? userAgent : userAgent.substring(0, 300))
                .setParameter(5, address).executeUpdate();
        return token;
    }

    /** An open challenge: whose it is, and the client that passed the first step. */
    public record Challenge(UUID accountId, String userAgent, String address) {
    }

    /** The open (unused, unexpired) challenge of {@code token}, locked for this transaction. */
    public Optional<Challenge> openChallenge(String token) {
        List<?> rows = em.createNativeQuery("""
                        select account_id, user_agent, address from mfa_challenge
                        where token_hash = ?1 and used_at is null and expires_at > ?2 for update""")
                .setParameter(1, Sha256.hex(token == null ? "" : token)).setParameter(2, Timestamp.from(clock.instant())).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Challenge((UUID) r[0], (String) r[1], (String) r[2]));
    }

    /** Uses the challenge up once its second factor passed. */
    public void closeChallenge(String token) {
        em.createNativeQuery("update mfa_challenge set used_at = ?1 where token_hash = ?2")
                .setParameter(1, Timestamp.from(clock.instant())).setParameter(2, Sha256.hex(token)).executeUpdate();
    }

    /** Whether {@code code} is the account's current TOTP code (not used before) or one of its unused recovery codes; uses it. */
    public boolean accept(UUID accountId, String code) {
        if (code == null) {
            return false;
        }
        String trimmed = code.replace(" ", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
        List<?> rows = em.createNativeQuery("select secret from account_totp where account_id = ?1 and confirmed_at is not null")
                .setParameter(1, accountId).getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        Optional<Long> step = matchingStep((String) rows.get(0), trimmed);
        if (step.isPresent()) {
            return em.createNativeQuery("update account_totp set last_step = ?1 where account_id = ?2 and last_step < ?1")
                    .setParameter(1, step.get()).setParameter(2, accountId).executeUpdate() == 1;
        }
        return em.createNativeQuery("update totp_recovery_code set used_at = ?1 where account_id = ?2 and code_hash = ?3 and used_at is null")
                .setParameter(1, Timestamp.from(clock.instant())).setParameter(2, accountId).setParameter(3, Sha256.hex(trimmed))
                .executeUpdate() == 1;
    }

    /** The step (now, one before or one after) whose code {@code code} is, if any. */
    private Optional<Long> matchingStep(String secret, String code) {
        if (code == null || !code.matches("\\d{" + Totp.DIGITS + "}")) {
            return Optional.empty();
        }
        byte[] key = Totp.decode(secret);
        long now = Totp.step(clock.instant());
        for (long step = now - 1; step <= now + 1; step++) {
            if (java.security.MessageDigest.isEqual(Totp.code(key, step, Totp.DIGITS).getBytes(), code.getBytes())) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }

    private static String recoveryCode() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            b.append(RECOVERY_ALPHABET[BearerCodes.RANDOM.nextInt(RECOVERY_ALPHABET.length)]);
        }
        return b.toString();
    }
}
