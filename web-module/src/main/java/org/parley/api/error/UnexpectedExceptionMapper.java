package org.parley.api.error;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.parley.common.DomainException;

import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Anything else. A domain exception wrapped by the container is unwrapped; a lost optimistic-lock race is 409;
 * the rest is 500 with a reference that the server log carries next to the stack trace (which never leaks).
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(Throwable e) {
        String instance = uri.getRequestUri().getPath();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DomainException d) {
                return DomainExceptionMapper.respond(d, instance);
            }
            if (t instanceof OptimisticLockException) {
                return Problem.of(409, "stale-state", "the object changed meanwhile; reload and retry", instance, List.of()).toResponse();
            }
        }
        String ref = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Unexpected error " + ref + " on " + instance, e);
        return Problem.of(500, "server-error", "an unexpected error occurred (reference " + ref + ")", instance, List.of()).toResponse();
    }
}
