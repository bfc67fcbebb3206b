package org.parley.common;

/** How a user and an expert talk; rates, sessions and bookings are per channel. */
public enum Channel {
    CHAT, VOICE, VIDEO
}
