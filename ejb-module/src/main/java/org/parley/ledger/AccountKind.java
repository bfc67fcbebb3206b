package org.parley.ledger;

import java.util.UUID;

/**
 * The kinds of ledger account. Owned kinds belong to one person and carry a cached balance that may never go
 * below zero; system kinds are single platform-wide accounts whose balance is derived from the journal and may
 * go negative (EXTERNAL is the outside world: money comes in from it and goes out to it).
 */
public enum AccountKind {
    WALLET(null),
    EARNINGS_PENDING(null),
    EARNINGS_AVAILABLE(null),
    EXTERNAL("00000000-0000-0000-0000-000000000001"),
    SESSION_ESCROW("00000000-0000-0000-0000-000000000002"),
    PLATFORM_REVENUE("00000000-0000-0000-0000-000000000003"),
    PAYOUT_CLEARING("00000000-0000-0000-0000-000000000004"),
    ADJUSTMENTS("00000000-0000-0000-0000-000000000005"),
    /** Prepaid bookings' money, from the request until the booking is held, released or forfeited (V24). */
    BOOKING_HOLD("00000000-0000-0000-0000-000000000006"),
    /** Report orders' money, from the order until it completes (settled like a session) or is cancelled (V29). */
    ORDER_ESCROW("00000000-0000-0000-0000-000000000007"),
    /** The platform's marketing spend: coupon discounts and bonuses, free first minutes, referral bonuses (V29). */
    PROMOTIONS("00000000-0000-0000-0000-000000000008"),
    /** Refunds on their way back to a payment source (V29). */
    REFUND_CLEARING("00000000-0000-0000-0000-000000000009");

    private final UUID systemId;

    AccountKind(String systemId) {
        this.systemId = systemId == null ? null : UUID.fromString(systemId);
    }

    public boolean isSystem() {
        return systemId != null;
    }

    /** The id of the one system account of this kind (seeded by the V5 migration). */
    public UUID systemId() {
        if (systemId == null) {
            throw new IllegalStateException(this + " is an owned kind");
        }
        return systemId;
    }

    public static boolean isSystemAccount(UUID accountId) {
        for (AccountKind k : values()) {
            if (accountId.equals(k.systemId)) {
                return true;
            }
        }
        return false;
    }
}
