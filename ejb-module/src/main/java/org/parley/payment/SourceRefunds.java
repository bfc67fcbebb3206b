package org.parley.payment;

import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;
import org.parley.notify.Notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Refunds of a deposit to its payment source, asked by an admin. Asking debits the wallet at once into REFUND_CLEARING
 * (422 if the wallet no longer holds the amount) and records the refund PENDING, committed before the gateway is asked;
 * then the deposit's gateway is asked, named by the refund's id (its idempotency reference). The gateway's answer, its
 * webhook or the janitor completes it once, under the refund's row lock: PROCESSED moves REFUND_CLEARING → EXTERNAL,
 * FAILED moves the money back to the wallet. Every transfer's (kind, reference) is unique, so nothing moves twice.
 */
@Stateless
public class SourceRefunds {

    private static final Logger LOG = Logger.getLogger(SourceRefunds.class.getName());

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Ledger ledger;
    @Inject
    private Gateways gateways;
    @Inject
    private AuditLog audit;
    @Inject
    private Notifications notifications;
    @Inject
    private Clock clock;
    @Resource
    private SessionContext context;

    public record View(UUID id, UUID depositId, String gateway, long amount, String status, String reason, String gatewayRefundId,
                       Instant createdAt, Instant updatedAt) {
    }

    /**
     * Records a refund of {@code amount} (null: all that is left) of a PAID deposit and debits the wallet, in a
     * transaction of its own; {@link #send} asks the gateway after it committed.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public View request(Caller admin, UUID depositId, Long amount, String reason) {
        List<?> found = em.createNativeQuery("select account_id, amount, status, gateway from deposit where id = ?1 for update")
                .setParameter(1, depositId).getResultList();
        if (found.isEmpty()) {
            throw Problems.notFound("deposit");
        }
        Object[] d = (Object[]) found.get(0);
        if (!"PAID".equals(d[2])) {
            throw Problems.conflict("deposit-not-paid", "only a paid deposit can be refunded to its source");
        }
        long taken = ((Number) em.createNativeQuery("select coalesce(sum(amount), 0) from deposit_refund where deposit_id = ?1 and status <> 'FAILED'")
                .setParameter(1, depositId).getSingleResult()).longValue();
        long refundable = ((Number) d[1]).longValue() - taken;
        long value = amount == null ? refundable : amount;
        if (value <= 0 || value > refundable) {
            throw Problems.rule("refund-out-of-range", refundable <= 0 ? "this deposit has been refunded in full"
                    : "a refund of this deposit is 1 to " + refundable + " paise");
        }
        UUID id = UUID.randomUUID();
        Instant now = now();
        em.createNativeQuery("""
                        insert into deposit_refund (id, deposit_id, gateway, amount, status, reason, requested_by, created_at, updated_at)
                        values (?1, ?2, ?3, ?4, 'PENDING', ?5, ?6, ?7, ?7)""")
                .setParameter(1, id).setParameter(2, depositId).setParameter(3, d[3]).setParameter(4, value).setParameter(5, reason)
                .setParameter(6, admin.id()).setParameter(7, Timestamp.from(now)).executeUpdate();
        ledger.transfer(ledger.accountOf((UUID) d[0], AccountKind.WALLET), AccountKind.REFUND_CLEARING.systemId(), value,
                TransferKind.SOURCE_REFUND, "refund:" + id);
        audit.record(admin, "DEPOSIT_REFUND_REQUESTED", "DEPOSIT", depositId, Map.of("refund", id.toString(), "amount", value, "reason", reason));
        return get(id);
    }

    /** Asks the deposit's gateway for a PENDING refund and applies its answer; no answer leaves it for the janitor. */
    @Asynchronous
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void send(UUID refundId) {
        Target t = target(refundId);
        if (t == null) {
            return;
        }
        PaymentGateway gateway = gateways.byName(t.gateway());
        try {
            PaymentGateway.RefundState state = gateway.refund(t.orderId(), t.paymentId(), t.amount(), refundId.toString());
            self().apply(refundId, state.gatewayRefundId(), state.status(), null);
        } catch (GatewayException.Unavailable e) {
            LOG.warning("refund " + refundId + " not answered yet (" + e.getMessage() + "); the janitor asks again");
        } catch (GatewayException e) {
            self().apply(refundId, null, "FAILED", e.getMessage());
        }
    }

    /** The janitor's question about a refund still PENDING. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void check(UUID refundId) {
        Target t = target(refundId);
        if (t == null) {
            return;
        }
        PaymentGateway gateway = gateways.byName(t.gateway());
        PaymentGateway.RefundState state = gateway.refundState(t.orderId(), t.paymentId(), refundId.toString(), t.gatewayRefundId());
        if (state == null) {
            send(refundId);
        } else {
            self().apply(refundId, state.gatewayRefundId(), state.status(), null);
        }
    }

    /**
     * What the gateway says of a refund (its answer, a webhook, the janitor): PROCESSED pays it out of REFUND_CLEARING,
     * FAILED returns it to the wallet, each once; PENDING keeps the gateway's id. Anything about a finished refund changes nothing.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean apply(UUID refundId, String gatewayRefundId, String status, String error) {
        List<?> rows = em.createNativeQuery("""
                        select r.status, r.amount, d.account_id, r.deposit_id from deposit_refund r join deposit d on d.id = r.deposit_id
                        where r.id = ?1 for update of r""").setParameter(1, refundId).getResultList();
        if (rows.isEmpty() || !"PENDING".equals(((Object[]) rows.get(0))[0])) {
            return false;
        }
        Object[] r = (Object[]) rows.get(0);
        long amount = ((Number) r[1]).longValue();
        UUID account = (UUID) r[2];
        if ("PROCESSED".equals(status)) {
            ledger.transfer(AccountKind.REFUND_CLEARING.systemId(), AccountKind.EXTERNAL.systemId(), amount, TransferKind.SOURCE_REFUND,
                    "refund:" + refundId + ":paid");
        } else if ("FAILED".equals(status)) {
            ledger.transfer(AccountKind.REFUND_CLEARING.systemId(), ledger.accountOf(account, AccountKind.WALLET), amount,
                    TransferKind.SOURCE_REFUND_RETURNED, "refund:" + refundId);
        }
        em.createNativeQuery("""
                        update deposit_refund set status = ?2, gateway_refund_id = coalesce(cast(?3 as varchar), gateway_refund_id),
                            last_error = coalesce(cast(?4 as varchar), last_error), updated_at = ?5 where id = ?1""")
                .setParameter(1, refundId).setParameter(2, "PROCESSED".equals(status) || "FAILED".equals(status) ? status : "PENDING")
                .setParameter(3, gatewayRefundId).setParameter(4, error).setParameter(5, Timestamp.from(now())).executeUpdate();
        if ("PROCESSED".equals(status) || "FAILED".equals(status)) {
            String rupees = Notifications.rupees(amount);
            notifications.notifyEverywhere(account, "REFUND_" + status, "PROCESSED".equals(status) ? "Refund on its way" : "Refund failed",
                    "PROCESSED".equals(status) ? rupees + " is being refunded to your payment method."
                            : "The refund of " + rupees + " to your payment method failed; the amount is back in your wallet.",
                    "refund:" + refundId + ":" + status, null, Map.of("amount", rupees));
            audit.record(null, "DEPOSIT_REFUND_" + status, "DEPOSIT", r[3], Map.of("refund", refundId.toString(), "amount", amount));
        }
        return true;
    }

    /** Parley's refund by its gateway's id or by its own id (what a webhook names). */
    public UUID find(String gatewayRefundId, String ownId) {
        if (gatewayRefundId != null) {
            List<?> byGateway = em.createNativeQuery("select id from deposit_refund where gateway_refund_id = ?1").setParameter(1, gatewayRefundId)
                    .getResultList();
            if (!byGateway.isEmpty()) {
                return (UUID) byGateway.get(0);
            }
        }
        try {
            UUID id = ownId == null ? null : UUID.fromString(ownId);
            return id != null && !em.createNativeQuery("select 1 from deposit_refund where id = ?1").setParameter(1, id).getResultList().isEmpty()
                    ? id : null;
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    /** PENDING refunds untouched for {@code age}. */
    @SuppressWarnings("unchecked")
    public List<UUID> pendingOlderThan(Duration age, int limit) {
        return em.createNativeQuery("select id from deposit_refund where status = 'PENDING' and updated_at < ?1 order by updated_at limit ?2")
                .setParameter(1, Timestamp.from(now().minus(age))).setParameter(2, limit).getResultList();
    }

    public View get(UUID id) {
        List<View> found = select(" where id = ?1", id, null, 0, 1);
        if (found.isEmpty()) {
            throw Problems.notFound("refund");
        }
        return found.get(0);
    }

    public Page<View> list(UUID depositId, String status, PageRequest page) {
        String where = " where (cast(?1 as uuid) is null or deposit_id = cast(?1 as uuid)) and (cast(?2 as varchar) is null or status = cast(?2 as varchar))";
        long total = ((Number) em.createNativeQuery("select count(*) from deposit_refund" + where).setParameter(1, depositId)
                .setParameter(2, status).getSingleResult()).longValue();
        return new Page<>(select(where, depositId, status, page.offset(), page.size()), page.page(), page.size(), total);
    }

    private List<View> select(String where, Object first, Object second, int offset, int limit) {
        var q = em.createNativeQuery("select id, deposit_id, gateway, amount, status, reason, gateway_refund_id, created_at, updated_at"
                + " from deposit_refund" + where + " order by created_at desc, id").setParameter(1, first);
        if (where.contains("?2")) {
            q.setParameter(2, second);
        }
        return q.setFirstResult(offset).setMaxResults(limit).getResultList().stream().map(x -> {
            Object[] r = (Object[]) x;
            return new View((UUID) r[0], (UUID) r[1], (String) r[2], ((Number) r[3]).longValue(), (String) r[4], (String) r[5], (String) r[6],
                    Rows.instant(r[7]), Rows.instant(r[8]));
        }).toList();
    }

    private record Target(String gateway, String orderId, String paymentId, long amount, String gatewayRefundId) {
    }

    private Target target(UUID refundId) {
        List<?> rows = em.createNativeQuery("""
                        select r.gateway, d.gateway_order_id, d.gateway_payment_id, r.amount, r.gateway_refund_id from deposit_refund r
                        join deposit d on d.id = r.deposit_id where r.id = ?1 and r.status = 'PENDING'""").setParameter(1, refundId).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = (Object[]) rows.get(0);
        return new Target((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(), (String) r[4]);
    }

    private SourceRefunds self() {
        return context.getBusinessObject(SourceRefunds.class);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
