package org.parley.live;

import java.util.Locale;

/** Why a session ended; on the wire in kebab case ({@code insufficient-balance}). */
public enum EndReason {
    USER_ENDED, EXPERT_ENDED, INSUFFICIENT_BALANCE, DISCONNECTED, MAX_DURATION, EXPERT_OFFLINE, ADMIN_ENDED,
    /** Booked sessions' records of a forfeited hold: the user did not come, or cancelled late. */
    NO_SHOW_USER, LATE_CANCELLATION;

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
