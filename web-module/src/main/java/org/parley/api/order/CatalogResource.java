package org.parley.api.order;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.order.Catalog;

import java.util.UUID;

/** The service catalog, read by anyone (admins define it: {@link AdminOrderResource}). */
@Path("/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CatalogResource {

    @Inject
    private Catalog catalog;
    @Inject
    private CurrentCaller caller;

    /** Active services (an admin's token shows inactive ones too). */
    @GET
    @Path("services")
    @PermitAll
    public Page<Catalog.ServiceView> list(@QueryParam("category") String category, @QueryParam("page") Integer page,
                                          @QueryParam("size") Integer size) {
        return catalog.list(caller.optional().orElse(null), category, PageRequest.of(page, size));
    }

    @GET
    @Path("services/{id}")
    @PermitAll
    public Catalog.ServiceView get(@PathParam("id") UUID id) {
        return catalog.get(caller.optional().orElse(null), id);
    }
}
