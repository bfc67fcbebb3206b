package org.parley.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.List;

/**
 * What JAX-RS itself refuses: unknown paths (404), wrong methods (405), media types (415, 406), and parameters
 * that do not convert (JAX-RS says 404 for a bad query parameter; a malformed request is 400 here).
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
        String instance = uri.getRequestUri().getPath();
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return JsonExceptionMapper.problem(json, instance).toResponse();
        }
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException && cause != null) {
            return Problem.of(400, "validation", "a path or query parameter has an invalid value", instance, List.of()).toResponse();
        }
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed here";
            case 406 -> "this resource answers application/json";
            case 415 -> "send application/json";
            case 400 -> "the request is malformed";
            default -> "the request could not be served";
        };
        Response.ResponseBuilder r = Response.fromResponse(Problem.of(status, Problem.slugFor(status), detail, instance, List.of()).toResponse());
        if (e.getResponse().getHeaderString("Allow") != null) {
            r.header("Allow", e.getResponse().getHeaderString("Allow"));
        }
        return r.build();
    }
}
