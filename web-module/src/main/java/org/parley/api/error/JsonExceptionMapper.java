package org.parley.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.parley.common.DomainException.FieldError;

import java.util.List;
import java.util.stream.Collectors;

/** Malformed JSON, wrong types and unknown fields: 400 naming the field, never the parser's message. */
@Provider
public class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(JsonProcessingException e) {
        return problem(e, uri.getRequestUri().getPath()).toResponse();
    }

    static Problem problem(JsonProcessingException e, String instance) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String message = e instanceof UnrecognizedPropertyException ? "unknown field" : "wrong type or format";
            return Problem.of(400, "validation", "the request body has invalid fields", instance,
                    List.of(new FieldError(field, message)));
        }
        return Problem.of(400, "malformed-json", "the request body is not valid JSON of the expected shape", instance, List.of());
    }

    /** RESTEasy's Jackson module ships its own mapper for this subtype; this one takes precedence. */
    @Provider
    public static class UnknownField implements ExceptionMapper<UnrecognizedPropertyException> {
        @Context
        private UriInfo uri;

        @Override
        public Response toResponse(UnrecognizedPropertyException e) {
            return problem(e, uri.getRequestUri().getPath()).toResponse();
        }
    }
}
