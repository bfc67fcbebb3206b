package org.parley.live;

import java.util.Locale;

/** Why a session ended; on the wire in kebab case ({@code insufficient-balance}). */
public enum EndReason {
    USER_ENDED, EXPERT_ENDED, INSUFFICIENT_BALANCE, DISCONNECTED, MAX_DURATION, EXPERT_OFFLINE, ADMIN_ENDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
