package org.parley.wallet;

/** CREATED (order open at the gateway) → PAID (wallet credited once) or FAILED (a failed payment may still be followed by a successful one). */
public enum DepositStatus {
    CREATED, PAID, FAILED
}
