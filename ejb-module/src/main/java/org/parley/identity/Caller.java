package org.parley.identity;

import java.util.UUID;

/**
 * Who is making a request, as the web layer established it from a valid, unrevoked token and the account's
 * current role. Services take it explicitly, so object-level checks cannot be skipped by forgetting a context.
 */
public record Caller(UUID id, Role role, UUID tokenId) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
