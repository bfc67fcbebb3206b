package org.parley.booking;

/**
 * A booking's life: PENDING until the expert decides (or it EXPIRES at its start undecided); ACCEPTED until it is
 * held (COMPLETED once its session settles) or nobody comes (NO_SHOW_EXPERT, NO_SHOW_USER); REJECTED or CANCELLED
 * before. Only PENDING and ACCEPTED bookings hold their time.
 */
public enum BookingStatus {
    PENDING, ACCEPTED, REJECTED, EXPIRED, CANCELLED, COMPLETED, NO_SHOW_EXPERT, NO_SHOW_USER;

    public boolean isStanding() {
        return this == PENDING || this == ACCEPTED;
    }
}
