package org.parley.common;

import java.util.UUID;

/**
 * Object-level authorisation. Every lookup of an object on behalf of a caller goes through here, so that
 * another account's object answers exactly like a missing one (404) and nothing leaks its existence.
 */
public final class Access {

    private Access() {
    }

    /** Returns {@code object} if it exists and belongs to {@code callerId}; otherwise 404 naming {@code what}. */
    public static <T extends Owned> T requireOwner(T object, UUID callerId, String what) {
        if (object == null || callerId == null || !object.isOwnedBy(callerId)) {
            throw Problems.notFound(what);
        }
        return object;
    }

    /** Something that belongs to one or more accounts (a wallet to its user, a session to both sides). */
    public interface Owned {
        boolean isOwnedBy(UUID accountId);
    }
}
