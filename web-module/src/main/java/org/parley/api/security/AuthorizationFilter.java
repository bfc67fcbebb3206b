package org.parley.api.security;

import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.parley.common.DomainException;
import org.parley.common.Problems;
import org.parley.identity.AccountService;
import org.parley.identity.Caller;
import org.parley.identity.Role;
import org.parley.identity.TwoFactor;

import java.lang.reflect.AnnotatedElement;
import java.security.Principal;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides who may call what, before any resource runs. MicroProfile JWT has verified the token's signature,
 * issuer and expiry; here its id must still be recorded and unrevoked and its account active, and the
 * account's current role (not the token's, which may be stale) must be one the resource allows.
 *
 * <p>Deny by default: a resource method without {@code @PermitAll} needs an authenticated caller, and
 * {@code @RolesAllowed} narrows it to roles. No caller → 401; wrong role → 403.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AuthorizationFilter implements ContainerRequestFilter {

    @Context
    private ResourceInfo resource;
    @Inject
    private AccountService accounts;
    @Inject
    private CurrentCaller current;
    @Inject
    private TwoFactor twoFactor;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<Caller> caller = resolve(request.getSecurityContext().getUserPrincipal());
        caller.ifPresent(current::set);
        if (resource.getResourceMethod() == null || isAnnotated(PermitAll.class)) {
            return;
        }
        if (caller.isEmpty()) {
            boolean sentToken = request.getHeaderString("Authorization") != null;
            throw Problems.unauthenticated(sentToken
                    ? "the bearer token is invalid, expired or revoked"
                    : "a bearer token is required");
        }
        RolesAllowed roles = annotation(RolesAllowed.class);
        if (roles != null && Arrays.stream(roles.value()).noneMatch(r -> r.equals(caller.get().role().name()))) {
            throw Problems.forbidden("this needs the role " + String.join(" or ", roles.value()));
        }
        if (roles != null && caller.get().role() == Role.ADMIN && Arrays.asList(roles.value()).contains("ADMIN")
                && adminTotpRequired() && !twoFactor.isEnabled(caller.get().id())) {
            throw new DomainException(403, "totp-required",
                    "admins need two-factor sign-in for this: enrol with POST /me/totp and /me/totp/confirm");
        }
    }

    /** {@code PARLEY_ADMIN_TOTP_REQUIRED}, read on each admin request so an operator can switch it on without a restart. */
    private static boolean adminTotpRequired() {
        return ConfigProvider.getConfig().getOptionalValue("parley.admin.totp-required", Boolean.class).orElse(false);
    }

    private Optional<Caller> resolve(Principal principal) {
        if (!(principal instanceof JsonWebToken jwt) || jwt.getTokenID() == null) {
            return Optional.empty();
        }
        try {
            return accounts.resolve(UUID.fromString(jwt.getTokenID()));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }

    private boolean isAnnotated(Class<PermitAll> type) {
        return annotation(type) != null;
    }

    /** The method's annotation, else the class's. */
    private <A extends java.lang.annotation.Annotation> A annotation(Class<A> type) {
        A onMethod = resource.getResourceMethod().getAnnotation(type);
        if (onMethod != null) {
            return onMethod;
        }
        AnnotatedElement cls = resource.getResourceClass();
        return cls == null ? null : cls.getAnnotation(type);
    }
}
