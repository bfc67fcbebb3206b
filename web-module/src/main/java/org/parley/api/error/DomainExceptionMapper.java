package org.parley.api.error;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.parley.common.DomainException;
import org.parley.common.TooManyRequestsException;

/** The one place domain outcomes become HTTP: status, stable type slug, detail, field errors. */
@Provider
public class DomainExceptionMapper implements ExceptionMapper<DomainException> {

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(DomainException e) {
        return respond(e, uri.getRequestUri().getPath());
    }

    static Response respond(DomainException e, String instance) {
        Response r = Problem.of(e.status(), e.slug(), e.detail(), instance, e.errors()).toResponse();
        if (e instanceof TooManyRequestsException tooMany) {
            return Response.fromResponse(r).header("Retry-After", tooMany.retryAfterSeconds()).build();
        }
        return r;
    }
}
