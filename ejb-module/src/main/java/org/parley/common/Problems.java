package org.parley.common;

import java.util.List;

/** Factories for the domain's error outcomes, so every service speaks the same statuses and slugs. */
public final class Problems {

    private Problems() {
    }

    /** 400: the request is malformed. */
    public static DomainException badRequest(String detail, List<DomainException.FieldError> errors) {
        return new DomainException(400, "validation", detail, errors);
    }

    /** 401: no credentials, bad credentials, or a token that is no longer valid. */
    public static DomainException unauthenticated(String detail) {
        return new DomainException(401, "unauthenticated", detail);
    }

    /** 403: authenticated, but this account may not do this. */
    public static DomainException forbidden(String detail) {
        return new DomainException(403, "forbidden", detail);
    }

    /** 404: no such object, or it is not the caller's (never reveal which). */
    public static DomainException notFound(String what) {
        return new DomainException(404, "not-found", what + " not found");
    }

    /** 409: conflicts with the current state (duplicate, stale state, illegal transition). */
    public static DomainException conflict(String slug, String detail) {
        return new DomainException(409, slug, detail);
    }

    /** 422: well-formed, but a rule of the domain refuses it. */
    public static DomainException rule(String slug, String detail) {
        return new DomainException(422, slug, detail);
    }

    /** 422 with the fields whose values the rules refuse. */
    public static DomainException rule(String slug, String detail, List<DomainException.FieldError> errors) {
        return new DomainException(422, slug, detail, errors);
    }
}
