package org.parley.order;

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
 * An order of a catalog service. Its money is {@code price} = {@code amount} (the user's) + {@code discount}
 * (PROMOTIONS'), held in ORDER_ESCROW until it completes or is cancelled; its answers ({@code form_data}, jsonb) are
 * written once by {@link OrderService} and read through native queries. Changed only by {@link OrderService} under the
 * row's lock.
 */
@Entity
@Table(name = "report_order")
public class ReportOrder implements Access.Owned {

    @Id
    private UUID id;
    @Column(name = "service_id", nullable = false)
    private UUID serviceId;
    @Column(name = "user_id", nullable = false)
    private UUID userId;
    @Column(name = "expert_id")
    private UUID expertId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OrderStatus status;
    @Column(nullable = false)
    private long price;
    @Column(nullable = false)
    private long discount;
    @Column(nullable = false)
    private long amount;
    @Column(name = "coupon_id")
    private UUID couponId;
    @Column(name = "expected_delivery_at", nullable = false)
    private Instant expectedDeliveryAt;
    @Column(name = "assigned_at")
    private Instant assignedAt;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "delivered_at")
    private Instant deliveredAt;
    @Column(name = "completed_at")
    private Instant completedAt;
    @Column(name = "completed_by")
    private String completedBy;
    @Column(name = "cancelled_at")
    private Instant cancelledAt;
    @Column(name = "cancelled_by")
    private UUID cancelledBy;
    @Column(name = "cancel_reason")
    private String cancelReason;
    @Column(nullable = false)
    private long refunded;
    @Column(name = "settled_at")
    private Instant settledAt;
    @Column(name = "settled_gross")
    private Long settledGross;
    @Column(name = "expert_net")
    private Long expertNet;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ReportOrder() {
    }

    public UUID id() {
        return id;
    }

    public UUID serviceId() {
        return serviceId;
    }

    public UUID userId() {
        return userId;
    }

    public UUID expertId() {
        return expertId;
    }

    public OrderStatus status() {
        return status;
    }

    public long price() {
        return price;
    }

    public long discount() {
        return discount;
    }

    public long amount() {
        return amount;
    }

    public UUID couponId() {
        return couponId;
    }

    public Instant expectedDeliveryAt() {
        return expectedDeliveryAt;
    }

    public Instant deliveredAt() {
        return deliveredAt;
    }

    public Instant completedAt() {
        return completedAt;
    }

    public String completedBy() {
        return completedBy;
    }

    public Instant cancelledAt() {
        return cancelledAt;
    }

    public String cancelReason() {
        return cancelReason;
    }

    public long refunded() {
        return refunded;
    }

    public Long expertNet() {
        return expertNet;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant assignedAt() {
        return assignedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The order's user and its assigned expert see it (admins through the service). */
    @Override
    public boolean isOwnedBy(UUID account) {
        return userId.equals(account) || account.equals(expertId);
    }

    void assign(UUID expert, Instant now) {
        expertId = expert;
        status = OrderStatus.ASSIGNED;
        assignedAt = now;
        updatedAt = now;
    }

    void start(Instant now) {
        status = OrderStatus.IN_PROGRESS;
        startedAt = now;
        updatedAt = now;
    }

    void delivered(Instant now) {
        if (deliveredAt == null) {
            deliveredAt = now;
        }
        status = OrderStatus.DELIVERED;
        updatedAt = now;
    }

    void complete(String by, Instant now) {
        status = OrderStatus.COMPLETED;
        completedAt = now;
        completedBy = by;
        updatedAt = now;
    }

    void cancel(UUID by, String reason, long refund, Instant now) {
        status = OrderStatus.CANCELLED;
        cancelledAt = now;
        cancelledBy = by;
        cancelReason = reason;
        refunded = refund;
        updatedAt = now;
    }

    /** What left the escrow for the expert and the platform: {@code gross}, of it {@code net} (null: no expert) the expert's. */
    void settled(long gross, Long net, Instant now) {
        settledAt = now;
        settledGross = gross;
        expertNet = net;
        updatedAt = now;
    }
}
