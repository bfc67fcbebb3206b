package org.parley.api.error;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Every request body is checked against its Bean Validation constraints as it is read, so no resource can
 * forget to; a missing body is as malformed as an invalid one (unless its type is an {@link OptionalBody}). Violations are 400 with one error per field.
 */
@Provider
public class BodyValidation implements ReaderInterceptor {

    @Inject
    private Validator validator;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body == null) {
            if (context.getType().isAnnotationPresent(OptionalBody.class)) {
                return null;
            }
            throw Problems.badRequest("a JSON request body is required", List.of());
        }
        Set<ConstraintViolation<Object>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            List<FieldError> errors = violations.stream()
                    .map(v -> new FieldError(field(v.getPropertyPath()), v.getMessage()))
                    .sorted(Comparator.comparing(FieldError::field))
                    .toList();
            throw Problems.badRequest("the request body has invalid fields", errors);
        }
        return body;
    }

    private static String field(Path path) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getName() == null || node.getName().startsWith("<")) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(node.getName());
        }
        return sb.toString();
    }
}
