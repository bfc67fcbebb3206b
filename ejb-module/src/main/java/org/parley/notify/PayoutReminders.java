package org.parley.notify;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.payout.PayoutService;
import org.parley.payout.PayoutView;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What the payout-reminders job does, once per business day: every active admin hears of each payout request
 * waiting for a decision longer than the given age, and every approved expert whose available earnings reach the
 * payout minimum with no request open hears that they can request one. Dedupe keys carry the day, so a second run
 * that day notifies nobody twice.
 */
@Stateless
public class PayoutReminders {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private PayoutService payouts;
    @Inject
    private PlatformSettings settings;
    @Inject
    private Notifications notifications;

    public record Sent(int adminReminders, int expertReminders) {
    }

    @SuppressWarnings("unchecked")
    public Sent remind(LocalDate day, Duration waitingLongerThan) {
        List<UUID> admins = em.createNativeQuery("select id from account where role = 'ADMIN' and status = 'ACTIVE'").getResultList();
        int toAdmins = 0;
        for (PayoutView p : payouts.awaitingDecisionLongerThan(waitingLongerThan)) {
            for (UUID admin : admins) {
                if (notifications.notifyEverywhere(admin, "payout-waiting", "A payout request is waiting",
                        "Payout " + p.id() + " of " + p.amount() + " paise by expert " + p.expertId() + " has waited since " + p.createdAt() + ".",
                        "payout-waiting:" + p.id() + ":" + day)) {
                    toAdmins++;
                }
            }
        }
        List<Object[]> idle = em.createNativeQuery("""
                        select a.owner_id, a.balance from ledger_account a join expert_profile e on e.account_id = a.owner_id
                        join account acc on acc.id = a.owner_id
                        where a.kind = 'EARNINGS_AVAILABLE' and a.balance >= ?1 and e.status = 'APPROVED' and acc.status = 'ACTIVE'
                          and not exists (select 1 from payout p where p.expert_id = a.owner_id and p.status in ('REQUESTED', 'APPROVED', 'PROCESSING'))""")
                .setParameter(1, settings.get(Setting.PAYOUT_MIN)).getResultList();
        int toExperts = 0;
        for (Object[] row : idle) {
            if (notifications.notifyEverywhere((UUID) row[0], "payout-available", "Your earnings are ready for payout",
                    "You have " + row[1] + " paise available; request a payout whenever you like.", "payout-available:" + day)) {
                toExperts++;
            }
        }
        return new Sent(toAdmins, toExperts);
    }
}
