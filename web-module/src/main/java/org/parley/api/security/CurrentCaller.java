package org.parley.api.security;

import jakarta.enterprise.context.RequestScoped;
import org.parley.common.Problems;
import org.parley.identity.Caller;

import java.util.Optional;

/** The caller of the current request, set once by {@link AuthorizationFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The authenticated caller; resources behind {@code @RolesAllowed} always have one. */
    public Caller get() {
        if (caller == null) {
            throw Problems.unauthenticated("a valid bearer token is required");
        }
        return caller;
    }

    public Optional<Caller> optional() {
        return Optional.ofNullable(caller);
    }
}
