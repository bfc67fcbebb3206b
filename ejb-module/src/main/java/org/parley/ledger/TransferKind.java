package org.parley.ledger;

/** Why money moved; with a reference, a (kind, reference) pair can be written only once. */
public enum TransferKind {
    DEPOSIT, SESSION_CHARGE, SESSION_EARNING, PLATFORM_FEE, SETTLEMENT,
    PAYOUT_REQUESTED, PAYOUT_PAID, PAYOUT_RETURNED, ADJUSTMENT, REFUND,
    /** A booking's price moved WALLET → BOOKING_HOLD. */
    BOOKING_HOLD,
    /** What a booking gives back, BOOKING_HOLD → WALLET (rejected, expired, cancelled, the expert absent). */
    BOOKING_RELEASE,
    /** An order's amount, WALLET → ORDER_ESCROW. */
    ORDER_PAYMENT,
    /** An order's expert net, ORDER_ESCROW → EARNINGS_PENDING (its fee is a PLATFORM_FEE named by the order). */
    ORDER_EARNING,
    /** The platform's marketing spend out of PROMOTIONS: a coupon's discount or bonus, a referral bonus. */
    PROMOTION,
    /** A promotion given back to PROMOTIONS (the discount of a cancelled order). */
    PROMOTION_RETURN,
    /** A refund to the payment source: WALLET → REFUND_CLEARING when asked, → EXTERNAL when the gateway paid it. */
    SOURCE_REFUND,
    /** A refund to the source the gateway failed: REFUND_CLEARING → WALLET. */
    SOURCE_REFUND_RETURNED
}
