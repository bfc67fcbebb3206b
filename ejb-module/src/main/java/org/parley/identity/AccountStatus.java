package org.parley.identity;

/** ACTIVE accounts may sign in; SUSPENDED (by an admin) and DEACTIVATED (by the owner, soft delete) may not. */
public enum AccountStatus {
    ACTIVE, SUSPENDED, DEACTIVATED
}
