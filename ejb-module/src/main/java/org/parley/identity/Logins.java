package org.parley.identity;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.Sha256;
import org.parley.common.db.Rows;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.UUID;

/**
 * Logins: one sign-in and the tokens descended from it (a token family). A login gets an access token (the JWT, 24 h)
 * and an opaque refresh token (30 days); each refresh token works once and is replaced by the next (rotation), and
 * presenting a used one again revokes the whole login (reuse detection, OAuth 2.0 Security BCP). Revoking a login
 * revokes its access tokens in the same transaction, and authorisation reads them on every request, so it applies at
 * once on every node.
 */
@Stateless
public class Logins {

    public static final Duration REFRESH_LIFETIME = Duration.ofDays(30);
    /** How stale a login's lastUsedAt may get before a request through it writes it again. */
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(Logins.class.getName());

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private TokenIssuer tokens;
    @Inject
    private Clock clock;

    /** What a sign-in or a refresh hands the client. */
    public record Issued(UUID accountId, String accessToken, long expiresInSeconds, String refreshToken, UUID loginId) {
    }

    /** One active login as its owner sees it. */
    public record LoginView(UUID id, Instant createdAt, Instant lastUsedAt, String userAgent, String address, boolean current) {
    }

    /** Opens a login for {@code account}: its first access token and refresh token. */
    public Issued open(Account account, String userAgent, String address) {
        Instant now = now();
        UUID login = UUID.randomUUID();
        em.createNativeQuery("insert into login (id, account_id, created_at, last_used_at, expires_at, user_agent, address)"
                        + " values (?1, ?2, ?3, ?3, ?4, ?5, ?6)")
                .setParameter(1, login).setParameter(2, account.id()).setParameter(3, Timestamp.from(now))
                .setParameter(4, Timestamp.from(now.plus(REFRESH_LIFETIME))).setParameter(5, clip(userAgent, 300))
                .setParameter(6, clip(address, 100)).executeUpdate();
        return issue(account, login, now);
    }

    /**
     * Exchanges a refresh token for a new access token and the next refresh token, once. The token's row and its
     * login's are locked, so two concurrent uses of one token cannot both succeed: the second finds it used, which is
     * reuse, and revokes the login (committed: the caller gets 401, not a rollback). Empty when refused: unknown,
     * used, expired, of a revoked login or of an account that may not sign in.
     */
    public Optional<Issued> refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 200) {
            return Optional.empty();
        }
        Instant now = now();
        List<?> rows = em.createNativeQuery("""
                        select r.login_id, r.expires_at, r.used_at, l.revoked_at, l.account_id from refresh_token r
                        join login l on l.id = r.login_id where r.token_hash = ?1 for update of r, l""")
                .setParameter(1, Sha256.hex(refreshToken)).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        UUID login = (UUID) r[0];
        if (r[2] != null && r[3] == null) {
            revokeLogins("id = :a", login, now); // reuse: whoever holds the family, nobody keeps it
            LOG.warning("refresh token reused: login " + login + " revoked");
            return Optional.empty();
        }
        Account account = em.find(Account.class, r[4]);
        if (r[3] != null || !Rows.instant(r[1]).isAfter(now) || account == null || !account.isActive()) {
            return Optional.empty();
        }
        em.createNativeQuery("update refresh_token set used_at = ?1 where token_hash = ?2")
                .setParameter(1, Timestamp.from(now)).setParameter(2, Sha256.hex(refreshToken)).executeUpdate();
        em.createNativeQuery("update login set last_used_at = ?1, expires_at = ?2 where id = ?3")
                .setParameter(1, Timestamp.from(now)).setParameter(2, Timestamp.from(now.plus(REFRESH_LIFETIME)))
                .setParameter(3, login).executeUpdate();
        return Optional.of(issue(account, login, now));
    }

    private Issued issue(Account account, UUID login, Instant now) {
        TokenIssuer.IssuedToken access = tokens.issue(account, now);
        em.createNativeQuery("insert into auth_token (jti, account_id, issued_at, expires_at, login_id) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, access.jti()).setParameter(2, account.id()).setParameter(3, Timestamp.from(access.issuedAt()))
                .setParameter(4, Timestamp.from(access.expiresAt())).setParameter(5, login).executeUpdate();
        String refresh = BearerCodes.next();
        em.createNativeQuery("insert into refresh_token (token_hash, login_id, issued_at, expires_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, Sha256.hex(refresh)).setParameter(2, login).setParameter(3, Timestamp.from(now))
                .setParameter(4, Timestamp.from(now.plus(REFRESH_LIFETIME))).executeUpdate();
        return new Issued(account.id(), access.token(), TokenIssuer.LIFETIME.toSeconds(), refresh, login);
    }

    /** The caller's active logins, newest first; {@code current} marks the one its token belongs to. */
    public Page<LoginView> list(Caller caller, PageRequest page) {
        UUID current = currentLogin(caller);
        String where = " from login where account_id = ?1 and revoked_at is null and expires_at > ?2";
        List<LoginView> items = em.createNativeQuery("select id, created_at, last_used_at, user_agent, address" + where
                        + " order by created_at desc, id")
                .setParameter(1, caller.id()).setParameter(2, Timestamp.from(now()))
                .setFirstResult(page.offset()).setMaxResults(page.size()).getResultStream().map(o -> {
                    Object[] r = (Object[]) o;
                    return new LoginView((UUID) r[0], Rows.instant(r[1]), Rows.instant(r[2]), (String) r[3], (String) r[4],
                            r[0].equals(current));
                }).toList();
        long total = ((Number) em.createNativeQuery("select count(*)" + where).setParameter(1, caller.id())
                .setParameter(2, Timestamp.from(now())).getSingleResult()).longValue();
        return new Page<>(items, page.page(), page.size(), total);
    }

    /** Revokes one of the caller's logins (someone else's, or an unknown one, is 404). */
    public void revoke(Caller caller, UUID loginId) {
        if (revokeLogins("id = :a and account_id = :b", loginId, caller.id(), now()) == 0) {
            throw Problems.notFound("login");
        }
    }

    /** Signs the caller out: its login (the whole family), or its one token if it predates logins. */
    public void logout(Caller caller) {
        UUID login = currentLogin(caller);
        Instant now = now();
        if (login != null) {
            revokeLogins("id = :a", login, now);
        }
        em.createNativeQuery("update auth_token set revoked_at = ?1 where jti = ?2 and revoked_at is null")
                .setParameter(1, Timestamp.from(now)).setParameter(2, caller.tokenId()).executeUpdate();
    }

    /** Revokes every login and token of {@code accountId} ("sign out everywhere", a password reset, deactivation). */
    public void revokeAll(UUID accountId) {
        Instant now = now();
        revokeLogins("account_id = :a", accountId, now);
        em.createNativeQuery("update auth_token set revoked_at = ?1 where account_id = ?2 and revoked_at is null")
                .setParameter(1, Timestamp.from(now)).setParameter(2, accountId).executeUpdate();
    }

    /** Revokes every login and token of the caller's account but the one it is using (a password change). */
    public void revokeAllBut(Caller caller) {
        Instant now = now();
        UUID current = currentLogin(caller);
        revokeLogins("account_id = :a and id <> :b", caller.id(), current == null ? new UUID(0, 0) : current, now);
        em.createNativeQuery("update auth_token set revoked_at = ?1 where account_id = ?2 and revoked_at is null"
                        + " and jti <> ?3 and login_id is distinct from ?4")
                .setParameter(1, Timestamp.from(now)).setParameter(2, caller.id()).setParameter(3, caller.tokenId())
                .setParameter(4, current == null ? new UUID(0, 0) : current).executeUpdate();
    }

    /** Marks the login of a token in use, at most once per {@link #LAST_USED_RESOLUTION}. */
    public void touch(UUID login, Instant lastUsed) {
        Instant now = now();
        if (login != null && lastUsed != null && lastUsed.isBefore(now.minus(LAST_USED_RESOLUTION))) {
            em.createNativeQuery("update login set last_used_at = ?1 where id = ?2 and last_used_at < ?1")
                    .setParameter(1, Timestamp.from(now)).setParameter(2, login).executeUpdate();
        }
    }

    private UUID currentLogin(Caller caller) {
        List<?> rows = em.createNativeQuery("select login_id from auth_token where jti = ?1")
                .setParameter(1, caller.tokenId()).getResultList();
        return rows.isEmpty() ? null : (UUID) rows.get(0);
    }

    /** Revokes the unrevoked logins matching {@code where} (parameters :a, :b) and their access tokens; how many. */
    private int revokeLogins(String where, Object first, Instant now) {
        return revokeLogins(where, first, null, now);
    }

    @SuppressWarnings("unchecked")
    private int revokeLogins(String where, Object first, Object second, Instant now) {
        var q = em.createNativeQuery("update login set revoked_at = :now where revoked_at is null and " + where + " returning id")
                .setParameter("a", first).setParameter("now", Timestamp.from(now));
        if (second != null) {
            q.setParameter("b", second);
        }
        List<UUID> revoked = (List<UUID>) q.getResultList();
        if (!revoked.isEmpty()) {
            em.createNativeQuery("update auth_token set revoked_at = ?1 where login_id = any(cast(?2 as uuid[])) and revoked_at is null")
                    .setParameter(1, Timestamp.from(now)).setParameter(2, revoked.toArray(UUID[]::new)).executeUpdate();
        }
        return revoked.size();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String clip(String value, int max) {
        return value == null ? null : value.length() <= max ? value : value.substring(0, max);
    }
}
