package org.parley.identity;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.expert.ExpertService;
import org.parley.expert.ExpertStatus;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Registration, sign-in and sign-out, the owner's profile and deactivation. */
@Stateless
public class AccountService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private PasswordHasher hasher;
    @Inject
    private Logins logins;
    @Inject
    private TwoFactor twoFactor;
    @Inject
    private LoginThrottle throttle;
    @Inject
    private AuditLog audit;
    @Inject
    private ExpertService experts;
    @Inject
    private Ledger ledger;
    @Inject
    private Clock clock;

    /** The fields a person gives to register. */
    public record Registration(String email, String password, String name, Role role, String phone, String referralCode) {
        public Registration(String email, String password, String name, Role role, String phone) {
            this(email, password, name, role, phone, null);
        }
    }

    /**
     * Creates an ACTIVE account; an EXPERT also gets an application in APPLIED. Only USER and EXPERT may
     * register themselves (422 otherwise); an email already taken, in any case, is 409.
     */
    public AccountView register(Registration r) {
        if (r.role() != Role.USER && r.role() != Role.EXPERT) {
            throw Problems.rule("role-not-allowed", "only USER or EXPERT accounts can be registered");
        }
        if (findByEmail(r.email()).isPresent()) {
            throw duplicateEmail();
        }
        Instant now = clock.instant();
        Account account = new Account(r.email(), hasher.hash(r.password()), r.name(), r.role(), r.phone(), now);
        if (r.referralCode() != null && !r.referralCode().isBlank()) {
            if (r.role() != Role.USER) {
                throw Problems.rule("referral-for-users", "only USER accounts are referred",
                        List.of(new DomainException.FieldError("referralCode", "only a USER registers with a referral code")));
            }
            account.referredBy(referrerOf(r.referralCode()));
        }
        Rows.insertUnique(em, account, "account_email_uk", AccountService::duplicateEmail);
        ledger.accountOf(account.id(), AccountKind.WALLET);
        ExpertStatus expertStatus = r.role() == Role.EXPERT ? experts.openApplication(account.id(), now) : null;
        audit.record(new Caller(account.id(), account.role(), null), "ACCOUNT_REGISTERED", "ACCOUNT", account.id(),
                Map.of("role", account.role().name()));
        return AccountView.of(account, expertStatus);
    }

    /** Checks the credentials and, if they are right and the account active, opens a login (a 24 h token, a refresh token). */
    public LoginResult login(String email, String password, String address, String userAgent) {
        throttle.check(email, address);
        Optional<Account> found = findByEmail(email);
        if (found.isEmpty()) {
            hasher.burnTime(password);
            return failed(email, address, null);
        }
        Account account = found.get();
        if (!hasher.matches(password, account.passwordHash())) {
            return failed(email, address, account.id());
        }
        if (!account.isActive()) {
            return new LoginResult.NotAllowed(account.status());
        }
        if (hasher.needsRehash(account.passwordHash())) {
            account.changePassword(hasher.hash(password), clock.instant()); // the cost was raised since: catch up now
        }
        if (twoFactor.isEnabled(account.id())) {
            // the account's failure count is cleared only once the second factor passes, or guessing codes would be free
            return new LoginResult.MfaRequired(twoFactor.challenge(account.id(), userAgent, address));
        }
        throttle.clearAccount(email);
        return signedIn(account, userAgent, address);
    }

    private LoginResult signedIn(Account account, String userAgent, String address) {
        Logins.Issued issued = logins.open(account, userAgent, address);
        audit.record(new Caller(account.id(), account.role(), null), "LOGIN", "ACCOUNT", account.id(),
                Map.of("address", String.valueOf(address), "login", issued.loginId().toString()));
        return new LoginResult.Success(issued, view(account));
    }

    /**
     * The second step of a two-step sign-in: the first step's token and a TOTP code (or an unused recovery code). A
     * wrong code counts toward the login throttle like a wrong password; the token works until it succeeds or expires.
     */
    public LoginResult completeTwoStep(String mfaToken, String code, String address) {
        Optional<TwoFactor.Challenge> challenge = twoFactor.openChallenge(mfaToken);
        if (challenge.isEmpty()) {
            return new LoginResult.BadCredentials();
        }
        Account account = load(challenge.get().accountId());
        throttle.check(account.email(), address);
        if (!account.isActive()) {
            return new LoginResult.NotAllowed(account.status());
        }
        if (!twoFactor.accept(account.id(), code)) {
            return failed(account.email(), address, account.id());
        }
        twoFactor.closeChallenge(mfaToken);
        throttle.clearAccount(account.email());
        return signedIn(account, challenge.get().userAgent(), challenge.get().address());
    }

    private LoginResult failed(String email, String address, UUID accountId) {
        throttle.recordFailure(email, address);
        audit.record(null, "LOGIN_FAILED", "ACCOUNT", accountId,
                Map.of("email", String.valueOf(Account.normaliseEmail(email)), "address", address));
        return new LoginResult.BadCredentials();
    }

    /**
     * The caller a verified token speaks for, if its id is recorded, unrevoked and unexpired and its account is
     * ACTIVE. The role is the account's current one, so a role change or suspension applies at once.
     */
    public Optional<Caller> resolve(UUID jti) {
        List<?> rows = em.createNativeQuery("""
                        select a.id, a.role, t.login_id, l.last_used_at from auth_token t join account a on a.id = t.account_id
                        left join login l on l.id = t.login_id
                        where t.jti = ?1 and t.revoked_at is null and t.expires_at > ?2 and a.status = 'ACTIVE'
                        """)
                .setParameter(1, jti).setParameter(2, Timestamp.from(clock.instant())).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        logins.touch((UUID) r[2], r[3] == null ? null : Rows.instant(r[3]));
        return Optional.of(new Caller((UUID) r[0], Role.valueOf((String) r[1]), jti));
    }

    /** A new access token and the next refresh token for a refresh token, once (see {@link Logins#refresh}). */
    public LoginResult refresh(String refreshToken) {
        return logins.refresh(refreshToken)
                .<LoginResult>map(issued -> new LoginResult.Success(issued, view(load(issued.accountId()))))
                .orElseGet(LoginResult.BadCredentials::new);
    }

    /** Signs the caller's login out: its tokens, access and refresh, are refused from now on. */
    public void logout(Caller caller) {
        logins.logout(caller);
    }

    /**
     * Changes the caller's password, given the current one (a wrong one is 422 and counts toward the login throttle, so
     * a stolen token cannot be used to guess it); every other login of the account is revoked, this one stays.
     */
    public void changePassword(Caller caller, String currentPassword, String newPassword, String address) {
        Account account = load(caller.id());
        throttle.check(account.email(), address);
        if (!hasher.matches(currentPassword, account.passwordHash())) {
            throttle.recordFailureApart(account.email(), address);
            throw Problems.rule("wrong-password", "the current password is not right");
        }
        account.changePassword(hasher.hash(newPassword), clock.instant());
        logins.revokeAllBut(caller);
        audit.record(caller, "PASSWORD_CHANGED", "ACCOUNT", account.id(), Map.of());
    }

    /** The USER account whose referral code {@code code} is (any case); 422 {@code unknown-referral-code} if none. */
    private UUID referrerOf(String code) {
        List<?> found = em.createNativeQuery("select id from account where upper(referral_code) = upper(?1) and role = 'USER'")
                .setParameter(1, code.strip()).getResultList();
        if (found.isEmpty()) {
            throw Problems.rule("unknown-referral-code", "no user has the referral code " + code.strip(),
                    List.of(new DomainException.FieldError("referralCode", "no user has this code")));
        }
        return (UUID) found.get(0);
    }

    /**
     * Links the calling USER to the referrer whose code it gives, after registering without one: once (409
     * {@code already-referred}), before its first paid deposit (422 {@code referral-too-late}), never to itself or to
     * an account it referred (422 {@code self-referral}). One conditional update decides it, so a deposit paid at the
     * same moment either comes first (too late) or finds the link (and rewards it).
     */
    public void applyReferral(Caller caller, String code) {
        if (caller.role() != Role.USER) {
            throw Problems.forbidden("only USER accounts are referred");
        }
        UUID referrer = referrerOf(code);
        if (referrer.equals(caller.id())) {
            throw Problems.rule("self-referral", "that is your own referral code");
        }
        int linked = em.createNativeQuery("""
                        update account set referred_by = ?2 where id = ?1 and referred_by is null and first_paid_deposit_at is null
                          and not exists (select 1 from account r where r.id = ?2 and r.referred_by = ?1)""")
                .setParameter(1, caller.id()).setParameter(2, referrer).executeUpdate();
        if (linked == 0) {
            Object[] state = (Object[]) em.createNativeQuery("select referred_by, first_paid_deposit_at from account where id = ?1")
                    .setParameter(1, caller.id()).getSingleResult();
            if (state[0] != null) {
                throw Problems.conflict("already-referred", "this account is linked to a referrer already");
            }
            if (state[1] != null) {
                throw Problems.rule("referral-too-late", "a referral code is taken only before the first deposit is paid");
            }
            throw Problems.rule("self-referral", "that account was referred by you");
        }
        audit.record(caller, "REFERRAL_LINKED", "ACCOUNT", caller.id(), Map.of("referrer", referrer.toString()));
    }

    public AccountView me(Caller caller) {
        return view(load(caller.id()));
    }

    public ProfileView profile(Caller caller) {
        return ProfileView.of(load(caller.id()));
    }

    /** The owner's own profile fields only: role, status and anything else are not reachable from here. */
    public ProfileView updateProfile(Caller caller, String name, String phone, String language, Integer age, String bio) {
        Account account = load(caller.id());
        account.updateProfile(name, phone, language, age, bio, clock.instant());
        return ProfileView.of(account);
    }

    /** Soft-deletes the caller's account: status DEACTIVATED, every token revoked, offline if an expert. */
    public void deactivate(Caller caller) {
        Account account = load(caller.id());
        account.changeStatus(AccountStatus.DEACTIVATED, clock.instant());
        revokeAllTokens(account.id());
        experts.forceOffline(account.id());
        audit.record(caller, "ACCOUNT_DEACTIVATED", "ACCOUNT", account.id(), Map.of());
    }

    /**
     * The platform lifts a suspension whose time is up (moderation's timer): SUSPENDED → ACTIVE, audited as the
     * system's; false (nothing changed) if the account is not suspended any more.
     */
    public boolean reinstateBySystem(UUID id, String why) {
        Account account = em.find(Account.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (account == null || account.status() != AccountStatus.SUSPENDED) {
            return false;
        }
        account.changeStatus(AccountStatus.ACTIVE, clock.instant());
        audit.record(null, "ACCOUNT_UPDATED", "ACCOUNT", id, Map.of("before", Map.of("status", "SUSPENDED"),
                "after", Map.of("status", "ACTIVE"), "why", why));
        return true;
    }

    void revokeAllTokens(UUID accountId) {
        logins.revokeAll(accountId);
    }

    /** Admins: accounts matching the filters, newest first. */
    public Page<AccountView> search(String q, Role role, AccountStatus status, PageRequest page) {
        String where = " where (:q is null or lower(a.email) like :q or lower(a.name) like :q)"
                + " and (:role is null or a.role = :role) and (:status is null or a.status = :status)";
        String like = q == null || q.isBlank() ? null : org.parley.common.Sql.containsPattern(q);
        List<Account> items = em.createQuery("select a from Account a" + where + " order by a.createdAt desc, a.id", Account.class)
                .setParameter("q", like).setParameter("role", role).setParameter("status", status)
                .setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        long total = em.createQuery("select count(a) from Account a" + where, Long.class)
                .setParameter("q", like).setParameter("role", role).setParameter("status", status).getSingleResult();
        Map<UUID, ExpertStatus> statuses = experts.statuses(items.stream().map(Account::id).toList());
        return new Page<>(items.stream().map(a -> AccountView.of(a, statuses.get(a.id()))).toList(),
                page.page(), page.size(), total);
    }

    /** Admins: one account by id. */
    public AccountView find(UUID id) {
        return view(load(id));
    }

    /**
     * Admins change another account's role or status. An admin cannot change their own (no lock-out by
     * accident); suspending or deactivating revokes every token; becoming an EXPERT opens an application.
     */
    public AccountView adminUpdate(UUID id, Role role, AccountStatus status, Caller admin) {
        if (admin.id().equals(id)) {
            throw Problems.rule("own-account", "admins cannot change their own role or status");
        }
        Account account = em.find(Account.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (account == null) {
            throw Problems.notFound("account");
        }
        Role beforeRole = account.role();
        AccountStatus beforeStatus = account.status();
        Instant now = clock.instant();
        if (role != null && role != beforeRole) {
            account.changeRole(role, now);
            if (role == Role.EXPERT) {
                experts.ensureApplication(id, now);
            } else {
                experts.forceOffline(id);
            }
        }
        if (status != null && status != beforeStatus) {
            account.changeStatus(status, now);
            if (status != AccountStatus.ACTIVE) {
                revokeAllTokens(id);
                experts.forceOffline(id);
            }
        }
        audit.record(admin, "ACCOUNT_UPDATED", "ACCOUNT", id, Map.of(
                "before", Map.of("role", beforeRole.name(), "status", beforeStatus.name()),
                "after", Map.of("role", account.role().name(), "status", account.status().name())));
        return view(account);
    }

    private AccountView view(Account account) {
        ExpertStatus es = account.role() == Role.EXPERT ? experts.statuses(List.of(account.id())).get(account.id()) : null;
        return AccountView.of(account, es);
    }

    private Account load(UUID id) {
        Account account = em.find(Account.class, id);
        if (account == null) {
            throw Problems.notFound("account");
        }
        return account;
    }

    Optional<Account> findByEmail(String email) {
        return em.createQuery("select a from Account a where lower(a.email) = :email", Account.class)
                .setParameter("email", Account.normaliseEmail(email)).getResultStream().findFirst();
    }

    private static DomainException duplicateEmail() {
        return Problems.conflict("email-taken", "an account with this email already exists");
    }
}
