package org.parley.payout;

/**
 * REQUESTED → PROCESSING (approved and sent) → PAID, or FAILED / REVERSED by the gateway; REQUESTED → REJECTED by an
 * admin. REQUESTED, APPROVED and PROCESSING are active: an expert has at most one (a partial unique index).
 */
public enum PayoutStatus {
    REQUESTED, APPROVED, PROCESSING, PAID, FAILED, REVERSED, REJECTED;

    public boolean isActive() {
        return this == REQUESTED || this == APPROVED || this == PROCESSING;
    }
}
