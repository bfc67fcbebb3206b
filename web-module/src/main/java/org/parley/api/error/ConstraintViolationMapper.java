package org.parley.api.error;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.parley.common.DomainException.FieldError;

import java.util.Comparator;
import java.util.List;

/**
 * Constraints on resource parameters (a {@code @Pattern} on a query parameter) refused by Bean Validation: 400
 * problem+json with one error per parameter, like a body's (RESTEasy would answer text/plain).
 */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> {
                    String path = v.getPropertyPath().toString();
                    return new FieldError(path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path, v.getMessage());
                })
                .sorted(Comparator.comparing(FieldError::field)).toList();
        return Problem.of(400, "validation", "a parameter has an invalid value", uri.getRequestUri().getPath(), errors).toResponse();
    }
}
