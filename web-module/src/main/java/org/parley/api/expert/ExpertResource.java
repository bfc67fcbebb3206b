package org.parley.api.expert;

import jakarta.annotation.security.PermitAll;
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
import org.parley.api.expert.ExpertRequests.PresenceRequest;
import org.parley.api.expert.ExpertRequests.ProfileRequest;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.expert.ExpertService;
import org.parley.expert.ExpertViews;
import org.parley.live.Presence;

import java.math.BigDecimal;
import java.util.UUID;

/** The public directory of approved experts, and an expert's own profile and presence. */
@Path("/experts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ExpertResource {

    @Inject
    private ExpertService experts;
    @Inject
    private Presence presence;
    @Inject
    private CurrentCaller caller;

    @GET
    @PermitAll
    public Page<ExpertViews.Card> directory(@QueryParam("specialty") String specialty, @QueryParam("language") String language,
                                            @QueryParam("online") Boolean online, @QueryParam("minRating") BigDecimal minRating,
                                            @QueryParam("maxRate") Long maxRate, @QueryParam("q") String q,
                                            @QueryParam("sort") String sort,
                                            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return experts.directory(new ExpertService.DirectoryQuery(specialty, language, online, minRating, maxRate, q, sort),
                PageRequest.of(page, size));
    }

    @GET
    @Path("/{id}")
    @PermitAll
    public ExpertViews.Card profile(@PathParam("id") UUID id) {
        return experts.publicProfile(id);
    }

    @GET
    @Path("/{id}/reviews")
    @PermitAll
    public Page<ExpertService.Review> reviews(@PathParam("id") UUID id, @QueryParam("page") Integer page,
                                              @QueryParam("size") Integer size) {
        return experts.reviews(id, PageRequest.of(page, size));
    }

    @GET
    @Path("/me")
    @RolesAllowed("EXPERT")
    public ExpertViews.Own own() {
        return experts.own(caller.get());
    }

    @PUT
    @Path("/me")
    @RolesAllowed("EXPERT")
    public ExpertViews.Own updateOwn(ProfileRequest r) {
        return experts.updateOwn(caller.get(), new ExpertService.ProfileUpdate(r.title(), r.bio(), r.experienceYears(),
                r.specialties(), r.languages(), r.rates()));
    }

    @PUT
    @Path("/me/presence")
    @RolesAllowed("EXPERT")
    public ExpertViews.Own presence(PresenceRequest r) {
        return presence.set(caller.get(), r.online());
    }
}
