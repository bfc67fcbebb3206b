package org.parley.promotion;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;
import org.parley.notify.Notifications;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The promotions that hang on a "first": a user's first paid deposit rewards the referral that brought them, a user's
 * first session has free minutes. Each first is one conditional update of the account row ({@code ... is null}), so it
 * happens once under any concurrency, and each bonus is a PROMOTION transfer whose (kind, reference) is unique.
 */
@Stateless
public class Promotions {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Ledger ledger;
    @Inject
    private PlatformSettings settings;
    @Inject
    private Notifications notifications;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    /**
     * In the transaction that marks a deposit of {@code account} PAID: a DEPOSITS coupon's bonus, then, if this is the
     * account's first paid deposit and it was referred, {@code referralBonus} to both wallets.
     */
    public void depositPaid(UUID depositId, UUID account, long couponBonus) {
        if (couponBonus > 0) {
            ledger.transfer(AccountKind.PROMOTIONS.systemId(), ledger.accountOf(account, AccountKind.WALLET), couponBonus,
                    TransferKind.PROMOTION, "coupon:deposit:" + depositId);
        }
        List<?> first = em.createNativeQuery("update account set first_paid_deposit_at = ?2 where id = ?1 and first_paid_deposit_at is null"
                        + " returning referred_by")
                .setParameter(1, account).setParameter(2, Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS))).getResultList();
        if (first.isEmpty() || first.get(0) == null) {
            return;
        }
        UUID referrer = (UUID) first.get(0);
        long bonus = settings.get(Setting.REFERRAL_BONUS);
        if (bonus <= 0) {
            return;
        }
        ledger.transfer(AccountKind.PROMOTIONS.systemId(), ledger.accountOf(account, AccountKind.WALLET), bonus,
                TransferKind.PROMOTION, "referral:" + account + ":referred");
        ledger.transfer(AccountKind.PROMOTIONS.systemId(), ledger.accountOf(referrer, AccountKind.WALLET), bonus,
                TransferKind.PROMOTION, "referral:" + account + ":referrer");
        String rupees = Notifications.rupees(bonus);
        notifications.notify(account, Notifications.Channel.IN_APP, "REFERRAL_BONUS", "A welcome bonus",
                rupees + " was added to your wallet for joining through a friend's referral.", "referral:" + account + ":referred");
        notifications.notify(referrer, Notifications.Channel.IN_APP, "REFERRAL_BONUS", "A referral bonus",
                rupees + " was added to your wallet: someone you referred made their first deposit.", "referral:" + account + ":referrer");
        audit.record(null, "REFERRAL_REWARDED", "ACCOUNT", account, Map.of("referrer", referrer.toString(), "bonus", bonus));
    }

    /**
     * In the transaction that opens a live session of {@code user}: how many of its periods PROMOTIONS pays —
     * {@code freeFirstMinutes} (at most {@code maxPeriods}) if this is the user's first session ever, else 0. The first
     * session is the first to set {@code first_session_at}; null if it is not the first. A first session that then
     * fails to open must {@link #unclaimFirstSession}.
     */
    public Integer claimFirstSession(UUID user, int maxPeriods) {
        int first = em.createNativeQuery("update account set first_session_at = ?2 where id = ?1 and first_session_at is null")
                .setParameter(1, user).setParameter(2, Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS))).executeUpdate();
        return first == 0 ? null : (int) Math.min(settings.get(Setting.FREE_FIRST_MINUTES), maxPeriods);
    }

    /** Undoes {@link #claimFirstSession} in the same transaction (the session was not opened after all). */
    public void unclaimFirstSession(UUID user) {
        em.createNativeQuery("update account set first_session_at = null where id = ?1").setParameter(1, user).executeUpdate();
    }
}
