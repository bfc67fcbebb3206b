package org.parley.payout;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.Access;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;
import org.parley.notify.Notifications;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Payout requests and every state change they go through, each in its own short transaction with its ledger
 * effect: requesting moves EARNINGS_AVAILABLE → PAYOUT_CLEARING; PAID moves PAYOUT_CLEARING → EXTERNAL; FAILED,
 * REVERSED and REJECTED move the money back to EARNINGS_AVAILABLE. Every decision is audited.
 */
@Stateless
public class PayoutService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Ledger ledger;
    @Inject
    private PlatformSettings settings;
    @Inject
    private AuditLog audit;
    @Inject
    private Notifications notifications;
    @Inject
    private Clock clock;

    /**
     * Requests a payout of {@code amount} paise: 422 outside the limits or above the available earnings; 409 while
     * another request is active (the database's partial unique index decides, whatever the concurrency).
     */
    public PayoutView request(Caller expert, long amount) {
        settings.requireWithin(Setting.PAYOUT_MIN, Setting.PAYOUT_MAX, amount, "a payout");
        Payout payout = new Payout(expert.id(), amount, clock.instant());
        Rows.insertUnique(em, payout, "payout_one_active_uk",
                () -> Problems.conflict("payout-active", "another payout request is still active"));
        ledger.transfer(ledger.accountOf(expert.id(), AccountKind.EARNINGS_AVAILABLE), AccountKind.PAYOUT_CLEARING.systemId(),
                amount, TransferKind.PAYOUT_REQUESTED, payout.id().toString());
        audit.record(expert, "PAYOUT_REQUESTED", "PAYOUT", payout.id(), Map.of("amount", amount));
        return PayoutView.of(payout);
    }

    public Page<PayoutView> mine(Caller expert, PageRequest page) {
        return list("p.expertId = :v", expert.id(), page);
    }

    public Page<PayoutView> all(PayoutStatus status, PageRequest page) {
        return status == null ? list("1 = 1", null, page) : list("p.status = :v", status, page);
    }

    public PayoutView get(Caller caller, UUID id) {
        Payout p = em.find(Payout.class, id);
        return PayoutView.of(caller.isAdmin() ? found(p) : Access.requireOwner(p, caller.id(), "payout"));
    }

    /** Admin approval, first half: REQUESTED → PROCESSING (409 from any other state), committed before the gateway call. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Payout startProcessing(UUID id, Caller admin) {
        Payout p = locked(id);
        if (p.status() != PayoutStatus.REQUESTED && p.status() != PayoutStatus.APPROVED) {
            throw Problems.conflict("illegal-transition", "a payout in " + p.status() + " cannot be approved");
        }
        p.moveTo(PayoutStatus.PROCESSING, null, clock.instant());
        audit.record(admin, "PAYOUT_APPROVED", "PAYOUT", id, Map.of("amount", p.amount()));
        return p;
    }

    /** Admin rejection with a reason: REQUESTED → REJECTED and the money back to available. */
    public PayoutView reject(UUID id, String reason, Caller admin) {
        Payout p = locked(id);
        if (p.status() != PayoutStatus.REQUESTED && p.status() != PayoutStatus.APPROVED) {
            throw Problems.conflict("illegal-transition", "a payout in " + p.status() + " cannot be rejected");
        }
        p.moveTo(PayoutStatus.REJECTED, reason, clock.instant());
        returnToAvailable(p, TransferKind.PAYOUT_RETURNED, AccountKind.PAYOUT_CLEARING.systemId());
        audit.record(admin, "PAYOUT_REJECTED", "PAYOUT", id, Map.of("reason", reason));
        return PayoutView.of(p);
    }

    /**
     * What the gateway says about a payout (its answer to the send, a webhook, or the janitor's question). Applies
     * processed → PAID, failed → FAILED, reversed → REVERSED, each at most once; anything else leaves it as it is.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public PayoutView applyGatewayStatus(UUID id, String gatewayPayoutId, String gatewayStatus) {
        Payout p = locked(id);
        if (gatewayPayoutId != null) {
            p.sentAs(gatewayPayoutId);
        }
        PayoutStatus before = p.status();
        String status = gatewayStatus == null ? "" : gatewayStatus.toLowerCase();
        if (before == PayoutStatus.PROCESSING && status.equals("processed")) {
            p.moveTo(PayoutStatus.PAID, null, clock.instant());
            ledger.transfer(AccountKind.PAYOUT_CLEARING.systemId(), AccountKind.EXTERNAL.systemId(), p.amount(),
                    TransferKind.PAYOUT_PAID, p.id().toString());
        } else if (before == PayoutStatus.PROCESSING && (status.equals("failed") || status.equals("rejected")
                || status.equals("cancelled") || status.equals("reversed"))) {
            p.moveTo(status.equals("reversed") ? PayoutStatus.REVERSED : PayoutStatus.FAILED, "gateway: " + status, clock.instant());
            returnToAvailable(p, TransferKind.PAYOUT_RETURNED, AccountKind.PAYOUT_CLEARING.systemId());
        } else if (before == PayoutStatus.PAID && status.equals("reversed")) {
            p.moveTo(PayoutStatus.REVERSED, "gateway: reversed after payment", clock.instant());
            returnToAvailable(p, TransferKind.PAYOUT_RETURNED, AccountKind.EXTERNAL.systemId());
        }
        if (p.status() != before) {
            audit.record(null, "PAYOUT_" + p.status().name(), "PAYOUT", id, Map.of("from", before.name(), "gatewayStatus", status));
            String amount = Notifications.rupees(p.amount());
            if (p.status() == PayoutStatus.PAID) {
                notifications.notifyEverywhere(p.expertId(), "PAYOUT_PAID", "Payout paid", "Your payout of " + amount + " has been paid.",
                        "payout:" + p.id() + ":PAID", null, Map.of("amount", amount));
            } else {
                notifications.notifyEverywhere(p.expertId(), "PAYOUT_FAILED", "Payout " + p.status().name().toLowerCase(),
                        "Your payout of " + amount + " did not go through; the amount is back in your available earnings.",
                        "payout:" + p.id() + ":" + p.status().name(), null, Map.of("amount", amount));
            }
        }
        return PayoutView.of(p);
    }

    /** The payout a gateway id belongs to, if any. */
    public UUID byGatewayId(String gatewayPayoutId) {
        return em.createQuery("select p.id from Payout p where p.gatewayPayoutId = :g", UUID.class)
                .setParameter("g", gatewayPayoutId).getResultStream().findFirst().orElse(null);
    }

    /** PROCESSING payouts untouched for {@code age}: the janitor asks the gateway about them. */
    public List<Payout> processingOlderThan(Duration age, int limit) {
        return em.createQuery("select p from Payout p where p.status = :s and p.updatedAt < :before order by p.updatedAt", Payout.class)
                .setParameter("s", PayoutStatus.PROCESSING).setParameter("before", clock.instant().minus(age))
                .setMaxResults(limit).getResultList();
    }

    /** For the payout-reminder job: requests waiting for an admin longer than {@code age}, oldest first. */
    public List<PayoutView> awaitingDecisionLongerThan(Duration age) {
        return em.createQuery("select p from Payout p where p.status in :s and p.createdAt < :before order by p.createdAt", Payout.class)
                .setParameter("s", List.of(PayoutStatus.REQUESTED, PayoutStatus.APPROVED))
                .setParameter("before", clock.instant().minus(age)).getResultStream().map(PayoutView::of).toList();
    }

    private void returnToAvailable(Payout p, TransferKind kind, UUID from) {
        ledger.transfer(from, ledger.accountOf(p.expertId(), AccountKind.EARNINGS_AVAILABLE), p.amount(), kind, p.id().toString());
    }

    private Page<PayoutView> list(String condition, Object value, PageRequest page) {
        var q = em.createQuery("select p from Payout p where " + condition + " order by p.createdAt desc, p.id", Payout.class);
        var count = em.createQuery("select count(p) from Payout p where " + condition, Long.class);
        if (value != null) {
            q.setParameter("v", value);
            count.setParameter("v", value);
        }
        List<PayoutView> items = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultStream().map(PayoutView::of).toList();
        return new Page<>(items, page.page(), page.size(), count.getSingleResult());
    }

    private Payout locked(UUID id) {
        return found(Rows.lockedFresh(em, Payout.class, id));
    }

    private static Payout found(Payout p) {
        if (p == null) {
            throw Problems.notFound("payout");
        }
        return p;
    }
}
