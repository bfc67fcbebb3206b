package org.parley.payout;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.parley.common.Access;

import java.time.Instant;
import java.util.UUID;

/** An expert's request to withdraw available earnings, and its way through the gateway. */
@Entity
@Table(name = "payout")
public class Payout implements Access.Owned {

    @Id
    private UUID id;
    @Column(name = "expert_id", nullable = false)
    private UUID expertId;
    @Column(nullable = false)
    private long amount;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private PayoutStatus status;
    @Column(name = "gateway_payout_id")
    private String gatewayPayoutId;
    private String reason;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Payout() {
    }

    Payout(UUID expertId, long amount, Instant now) {
        this.id = UUID.randomUUID();
        this.expertId = expertId;
        this.amount = amount;
        this.status = PayoutStatus.REQUESTED;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void moveTo(PayoutStatus next, String reason, Instant now) {
        this.status = next;
        if (reason != null) {
            this.reason = reason;
        }
        this.updatedAt = now;
    }

    void sentAs(String gatewayPayoutId) {
        if (this.gatewayPayoutId == null) {
            this.gatewayPayoutId = gatewayPayoutId;
        }
    }

    @Override
    public boolean isOwnedBy(UUID accountId) {
        return expertId.equals(accountId);
    }

    public UUID id() {
        return id;
    }

    public UUID expertId() {
        return expertId;
    }

    public long amount() {
        return amount;
    }

    public PayoutStatus status() {
        return status;
    }

    public String gatewayPayoutId() {
        return gatewayPayoutId;
    }

    public String reason() {
        return reason;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
