package org.parley.identity;

/** What an account is on the platform. */
public enum Role {
    USER, EXPERT, ADMIN
}
