package org.parley.wallet;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.parley.common.Access;

import java.time.Instant;
import java.util.UUID;

/**
 * A wallet top-up through the gateway. It is credited at most once: the transition to PAID happens under the row's
 * lock together with the ledger transfer, whose (DEPOSIT, deposit id) pair is unique in the ledger.
 */
@Entity
@Table(name = "deposit")
public class Deposit implements Access.Owned {

    @Id
    private UUID id;
    @Column(name = "account_id", nullable = false)
    private UUID accountId;
    @Column(nullable = false)
    private long amount;
    @Column(nullable = false)
    private String currency;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private DepositStatus status;
    @Column(name = "gateway_order_id", nullable = false)
    private String gatewayOrderId;
    /** Which gateway the order lives at: razorpay or cashfree. */
    @Column(nullable = false)
    private String gateway;
    /** Cashfree's checkout session of the order (null for Razorpay). */
    @Column(name = "payment_session_id")
    private String paymentSessionId;
    @Column(name = "gateway_payment_id")
    private String gatewayPaymentId;
    @Column(name = "transfer_id")
    private UUID transferId;
    /** The DEPOSITS coupon used, and the bonus it credits from PROMOTIONS when the deposit is paid. */
    @Column(name = "coupon_id")
    private UUID couponId;
    @Column(nullable = false)
    private long bonus;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Deposit() {
    }

    Deposit(UUID id, UUID accountId, long amount, String gateway, String gatewayOrderId, String paymentSessionId, Instant now) {
        this.gateway = gateway;
        this.paymentSessionId = paymentSessionId;
        this.id = id;
        this.accountId = accountId;
        this.amount = amount;
        this.currency = "INR";
        this.status = DepositStatus.CREATED;
        this.gatewayOrderId = gatewayOrderId;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void withCoupon(UUID couponId, long bonus) {
        this.couponId = couponId;
        this.bonus = bonus;
    }

    public String gateway() {
        return gateway;
    }

    public String paymentSessionId() {
        return paymentSessionId;
    }

    public long bonus() {
        return bonus;
    }

    void markPaid(String paymentId, UUID transferId, Instant now) {
        this.status = DepositStatus.PAID;
        this.gatewayPaymentId = paymentId;
        this.transferId = transferId;
        this.updatedAt = now;
    }

    void markFailed(String paymentId, Instant now) {
        this.status = DepositStatus.FAILED;
        this.gatewayPaymentId = paymentId;
        this.updatedAt = now;
    }

    @Override
    public boolean isOwnedBy(UUID account) {
        return accountId.equals(account);
    }

    public UUID id() {
        return id;
    }

    public UUID accountId() {
        return accountId;
    }

    public long amount() {
        return amount;
    }

    public String currency() {
        return currency;
    }

    public DepositStatus status() {
        return status;
    }

    public String gatewayOrderId() {
        return gatewayOrderId;
    }

    public String gatewayPaymentId() {
        return gatewayPaymentId;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
