package org.parley.api.expert;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.expert.ExpertRequests.PresenceRequest;
import org.parley.api.expert.ExpertRequests.ProfileRequest;
import org.parley.api.expert.ExpertRequests.ScheduleRequest;
import org.parley.api.expert.ExpertRequests.SlotRequest;
import org.parley.booking.Availabilities;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.expert.ExpertService;
import org.parley.expert.ExpertViews;
import org.parley.live.Presence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The public directory of approved experts and their availability, and an expert's own profile, presence and schedule. */
@Path("/experts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ExpertResource {

    @Inject
    private ExpertService experts;
    @Inject
    private Presence presence;
    @Inject
    private Availabilities availabilities;
    @Inject
    private org.parley.training.ExpertDocuments documents;
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

    @GET
    @Path("/me/schedule")
    @RolesAllowed("EXPERT")
    public Availabilities.ScheduleView schedule() {
        return availabilities.schedule(caller.get().id());
    }

    @PUT
    @Path("/me/schedule")
    @RolesAllowed("EXPERT")
    public Availabilities.ScheduleView putSchedule(ScheduleRequest r) {
        return availabilities.putSchedule(caller.get(), r.timezone(), r.weekly(), r.overrides());
    }

    @POST
    @Path("/me/availability")
    @RolesAllowed("EXPERT")
    public Response addSlot(SlotRequest r) {
        return Response.status(201).entity(availabilities.addSlot(caller.get(), r.startsAt(), r.endsAt())).build();
    }

    @DELETE
    @Path("/me/availability/{slotId}")
    @RolesAllowed("EXPERT")
    public void deleteSlot(@PathParam("slotId") UUID slotId) {
        availabilities.deleteSlot(caller.get(), slotId);
    }

    /** The windows of availability in [from, to): weekly, override or one-off slot. */
    @GET
    @Path("/{id}/availability")
    @PermitAll
    public Map<String, Object> availability(@PathParam("id") UUID id, @QueryParam("from") Instant from, @QueryParam("to") Instant to) {
        return Map.of("timezone", availabilities.schedule(id).timezone(), "items", availabilities.availability(id, from, to));
    }

    /** Every bookable start in [from, to) for a booking of {@code minutes} (15 by default). */
    @GET
    @Path("/{id}/slots")
    @PermitAll
    public Map<String, Object> slots(@PathParam("id") UUID id, @QueryParam("from") Instant from, @QueryParam("to") Instant to,
                                     @QueryParam("minutes") Integer minutes) {
        return Map.of("items", availabilities.bookableStarts(id, from, to, minutes));
    }

    public record DocumentRequest(@jakarta.validation.constraints.NotNull UUID fileId,
                                  @jakarta.validation.constraints.NotNull @jakarta.validation.constraints.Pattern(regexp = "ID_PROOF|CERTIFICATION|RESUME|OTHER")
                                  String kind) {
    }

    /** Attaches one of the expert's EXPERT_DOCUMENT files to its application. */
    @POST
    @Path("/me/documents")
    @RolesAllowed("EXPERT")
    public Response attach(DocumentRequest r) {
        return Response.status(201).entity(documents.attach(caller.get(), r.fileId(), r.kind())).build();
    }

    @GET
    @Path("/me/documents")
    @RolesAllowed("EXPERT")
    public Map<String, Object> myDocuments() {
        return Map.of("items", documents.list(caller.get().id()));
    }

    @PUT
    @Path("/me/presence")
    @RolesAllowed("EXPERT")
    public ExpertViews.Own presence(PresenceRequest r) {
        return presence.set(caller.get(), r.online());
    }
}
