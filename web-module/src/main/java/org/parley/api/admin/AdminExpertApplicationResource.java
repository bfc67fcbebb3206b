package org.parley.api.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.parley.api.expert.ExpertRequests.ApplicationDecision;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.expert.ExpertService;
import org.parley.expert.ExpertStatus;
import org.parley.expert.ExpertViews;

import java.util.UUID;

/** The onboarding review queue: list applications, move one along the pipeline. */
@Path("/admin/expert-applications")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminExpertApplicationResource {

    @Inject
    private ExpertService experts;
    @Inject
    private CurrentCaller caller;
    @Inject
    private org.parley.training.ExpertDocuments documents;

    @GET
    public Page<ExpertViews.Application> list(@QueryParam("status") ExpertStatus status,
                                              @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return experts.applications(status, PageRequest.of(page, size));
    }

    /** The documents the expert attached to its application. */
    @GET
    @Path("/{expertId}/documents")
    public java.util.Map<String, Object> documents(@PathParam("expertId") UUID expertId) {
        return java.util.Map.of("items", documents.list(expertId));
    }

    @PUT
    @Path("/{expertId}")
    public ExpertViews.Application decide(@PathParam("expertId") UUID expertId, ApplicationDecision d) {
        return experts.move(expertId, d.status(), d.note(), d.reason(), caller.get());
    }
}
