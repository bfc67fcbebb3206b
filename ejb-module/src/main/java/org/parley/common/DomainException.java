package org.parley.common;

import jakarta.ejb.ApplicationException;

import java.util.List;

/**
 * The one unchecked exception family of Parley's domain. Each carries an HTTP-like status and a stable slug
 * (the problem type's last segment); the web module maps them to {@code application/problem+json} in one place.
 * Thrown from an EJB it rolls the transaction back and reaches the caller unwrapped.
 */
@ApplicationException(rollback = true, inherited = true)
public class DomainException extends RuntimeException {

    private final int status;
    private final String slug;
    private final List<FieldError> errors;

    public DomainException(int status, String slug, String detail) {
        this(status, slug, detail, List.of());
    }

    public DomainException(int status, String slug, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** One invalid field of a request. */
    public record FieldError(String field, String message) {
    }
}
