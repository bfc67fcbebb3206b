package org.parley.wallet;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.Access;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.ledger.TransferKind;
import org.parley.notify.Notifications;
import org.parley.promotion.CouponTerms;
import org.parley.promotion.Coupons;
import org.parley.promotion.Promotions;
import org.parley.common.DomainException;
import org.parley.notify.Phones;
import org.parley.payment.GatewayException;
import org.parley.payment.Gateways;
import org.parley.payment.PaymentGateway;
import org.parley.payment.RazorpayGateway;
import org.parley.settings.PlatformSettings;
import org.parley.settings.Setting;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Wallet top-ups: create a gateway order, then credit the wallet once on a verified payment. */
@Stateless
public class DepositService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private RazorpayGateway razorpay;
    @Inject
    private Gateways gateways;
    @Inject
    private Ledger ledger;
    @Inject
    private PlatformSettings settings;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;
    @Inject
    private Coupons coupons;
    @Inject
    private Promotions promotions;
    @Inject
    private Notifications notifications;

    /** Opens a deposit of {@code amount} paise within the configured limits (422 outside them), at the cheaper gateway. */
    public DepositView create(Caller caller, long amount) {
        return create(caller, amount, null, null);
    }

    /**
     * Opens a deposit of {@code amount} paise within the configured limits (422 outside them) at {@code gateway}, or, when
     * it is null, at the cheaper gateway for the amount with the other as the fallback when creating the order there
     * fails (no answer, 5xx). Nothing is kept when no gateway could create the order (503 {@code gateway-unavailable}).
     * A DEPOSITS coupon {@code couponCode} has its use taken now (given back if the deposit fails) and its bonus credited
     * when the deposit is paid.
     */
    public DepositView create(Caller caller, long amount, String couponCode, String gateway) {
        settings.requireWithin(Setting.DEPOSIT_MIN, Setting.DEPOSIT_MAX, amount, "a deposit");
        List<PaymentGateway> candidates = gateways.route(amount, gateway);
        UUID id = UUID.randomUUID();
        Coupons.Use use = couponCode == null || couponCode.isBlank() ? null
                : coupons.use(caller.id(), couponCode, amount, CouponTerms.AppliesTo.DEPOSITS, id);
        Object[] who = (Object[]) em.createNativeQuery("select email, phone from account where id = ?1").setParameter(1, caller.id()).getSingleResult();
        String phone = Phones.international((String) who[1]);
        PaymentGateway.Customer customer = new PaymentGateway.Customer(caller.id().toString(), (String) who[0],
                phone == null ? null : phone.substring(phone.length() - 10));
        PaymentGateway.Checkout checkout = null;
        PaymentGateway used = null;
        List<String> failures = new ArrayList<>();
        for (PaymentGateway g : candidates) {
            try {
                checkout = g.createOrder(id.toString(), amount, customer);
                used = g;
                break;
            } catch (GatewayException.Unavailable e) {
                failures.add(g.name() + ": " + e.getMessage());
            }
        }
        if (checkout == null) {
            audit.record(caller, "DEPOSIT_GATEWAYS_UNAVAILABLE", "DEPOSIT", id, Map.of("amount", amount, "failures", String.join("; ", failures)));
            throw new DomainException(503, "gateway-unavailable", "no payment gateway could take the deposit now ("
                    + String.join("; ", failures) + "); nothing was charged, try again shortly");
        }
        if (!failures.isEmpty()) {
            audit.record(caller, "DEPOSIT_GATEWAY_FAILOVER", "DEPOSIT", id, Map.of("used", used.name(), "failures", String.join("; ", failures)));
        }
        Deposit deposit = new Deposit(id, caller.id(), amount, used.name(), checkout.orderId(), checkout.paymentSessionId(), clock.instant());
        if (use != null) {
            deposit.withCoupon(use.couponId(), use.discount());
        }
        em.persist(deposit);
        ledger.accountOf(caller.id(), AccountKind.WALLET);
        return DepositView.of(deposit, razorpay.keyId());
    }

    public DepositView get(Caller caller, UUID id) {
        return DepositView.of(owned(caller, id), razorpay.keyId());
    }

    /**
     * The checkout's confirmation. Razorpay: the payment signature is verified (422 and nothing credited if wrong; 400 if
     * missing). Cashfree: the client's word is not taken: the gateway is asked for the order's payments (422
     * {@code payment-not-completed} if none succeeded). Then the wallet is credited EXTERNAL → WALLET once; confirming
     * again, or after the webhook, changes nothing.
     */
    public DepositView confirm(Caller caller, UUID id, String paymentId, String signature) {
        Deposit deposit = owned(caller, id);
        if ("cashfree".equals(deposit.gateway())) {
            if (deposit.status() == DepositStatus.PAID) {
                return DepositView.of(deposit, null);
            }
            for (PaymentGateway.Paid p : gateways.byName("cashfree").paymentsOf(deposit.gatewayOrderId())) {
                if ("CAPTURED".equals(p.status())) {
                    if (p.amount() != deposit.amount() || !deposit.currency().equalsIgnoreCase(p.currency())) {
                        audit.record(caller, "DEPOSIT_AMOUNT_MISMATCH", "DEPOSIT", id, Map.of("expected", deposit.amount(), "reported", p.amount(),
                                "paymentId", p.paymentId()));
                        throw Problems.rule("amount-mismatch", "the gateway reports a payment of another amount; nothing was credited");
                    }
                    return DepositView.of(credit(deposit.id(), p.paymentId()), null);
                }
            }
            throw Problems.rule("payment-not-completed", "Cashfree has no successful payment for this deposit yet");
        }
        if (paymentId == null || paymentId.isBlank() || signature == null || signature.isBlank()) {
            throw Problems.badRequest("a Razorpay confirmation carries the checkout's payment id and signature",
                    List.of(new DomainException.FieldError("gatewayPaymentId", "is required"), new DomainException.FieldError("signature", "is required")));
        }
        if (!razorpay.verifyPayment(deposit.gatewayOrderId(), paymentId, signature)) {
            audit.record(caller, "DEPOSIT_SIGNATURE_REJECTED", "DEPOSIT", id, Map.of("paymentId", String.valueOf(paymentId)));
            throw Problems.rule("bad-signature", "the payment signature does not match this order");
        }
        return DepositView.of(credit(deposit.id(), paymentId), razorpay.keyId());
    }

    /** A captured payment reported by the gateway (webhook or janitor): credits once if amount and currency match. */
    public void captured(String orderId, String paymentId, long amount, String currency) {
        Deposit deposit = byOrder(orderId);
        if (deposit == null) {
            audit.record(null, "PAYMENT_FOR_UNKNOWN_ORDER", "DEPOSIT", null, Map.of("orderId", orderId, "paymentId", paymentId));
            return;
        }
        if (deposit.amount() != amount || !deposit.currency().equalsIgnoreCase(currency)) {
            audit.record(null, "DEPOSIT_AMOUNT_MISMATCH", "DEPOSIT", deposit.id(), Map.of("expected", deposit.amount(),
                    "expectedCurrency", deposit.currency(), "reported", amount, "reportedCurrency", String.valueOf(currency),
                    "paymentId", paymentId));
            return;
        }
        credit(deposit.id(), paymentId);
    }

    /** A failed payment: the deposit is FAILED unless it was already paid. */
    public void failed(String orderId, String paymentId) {
        Deposit deposit = byOrder(orderId);
        if (deposit != null) {
            Deposit locked = Rows.lockedFresh(em, Deposit.class, deposit.id());
            if (locked.status() == DepositStatus.CREATED) {
                locked.markFailed(paymentId, clock.instant());
                coupons.release(CouponTerms.AppliesTo.DEPOSITS, locked.id());
            }
        }
    }

    /** Deposits still open after {@code age}: the janitor asks the gateway about them. */
    public List<Deposit> openOlderThan(Duration age, int limit) {
        return em.createQuery("select d from Deposit d where d.status = :s and d.createdAt < :before order by d.createdAt", Deposit.class)
                .setParameter("s", DepositStatus.CREATED).setParameter("before", clock.instant().minus(age))
                .setMaxResults(limit).getResultList();
    }

    private Deposit credit(UUID depositId, String paymentId) {
        Deposit deposit = Rows.lockedFresh(em, Deposit.class, depositId);
        if (deposit.status() != DepositStatus.PAID) {
            UUID wallet = ledger.accountOf(deposit.accountId(), AccountKind.WALLET);
            Ledger.Posted posted = ledger.transfer(AccountKind.EXTERNAL.systemId(), wallet, deposit.amount(),
                    TransferKind.DEPOSIT, deposit.id().toString());
            if (deposit.status() == DepositStatus.FAILED && deposit.bonus() > 0) {
                // Paid after all: the coupon use given back at the failure is taken again, if the coupon still allows it.
                deposit.withCoupon(null, 0);
            }
            deposit.markPaid(paymentId, posted.transferId(), clock.instant());
            promotions.depositPaid(deposit.id(), deposit.accountId(), deposit.bonus());
            String amount = Notifications.rupees(deposit.amount());
            notifications.notifyEverywhere(deposit.accountId(), "DEPOSIT_PAID", "Wallet topped up", amount + " was added to your wallet.",
                    "deposit:" + deposit.id() + ":paid", null, Map.of("amount", amount));
        }
        return deposit;
    }

    private Deposit owned(Caller caller, UUID id) {
        return Access.requireOwner(em.find(Deposit.class, id), caller.id(), "deposit");
    }

    private Deposit byOrder(String orderId) {
        return em.createQuery("select d from Deposit d where d.gatewayOrderId = :o", Deposit.class)
                .setParameter("o", orderId).getResultStream().findFirst().orElse(null);
    }
}
