package org.parley.ledger;

/** Why money moved; with a reference, a (kind, reference) pair can be written only once. */
public enum TransferKind {
    DEPOSIT, SESSION_CHARGE, SESSION_EARNING, PLATFORM_FEE, SETTLEMENT,
    PAYOUT_REQUESTED, PAYOUT_PAID, PAYOUT_RETURNED, ADJUSTMENT, REFUND,
    /** A booking's price moved WALLET → BOOKING_HOLD. */
    BOOKING_HOLD,
    /** What a booking gives back, BOOKING_HOLD → WALLET (rejected, expired, cancelled, the expert absent). */
    BOOKING_RELEASE
}
