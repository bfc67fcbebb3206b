package org.parley.live;

/** ACTIVE (paid up), GRACE (a period could not be paid; waiting for a top-up), ENDED. */
public enum SessionStatus {
    ACTIVE, GRACE, ENDED
}
