package org.parley.api.care;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.security.CurrentCaller;
import org.parley.care.RemedyService;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Remedies: assign (EXPERT, ADMIN), list mine, daily check-ins and feedback (the remedy's user). */
@Path("/remedies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RemedyResource {

    @Inject
    private RemedyService remedies;
    @Inject
    private CurrentCaller caller;

    public record Reminder(@NotNull Boolean enabled, LocalTime localTime, @Size(max = 64) String timezone) {
    }

    public record AssignRequest(@NotNull UUID userId, UUID sessionId, @NotNull RemedyService.Kind kind,
                                @NotBlank @Size(max = 200) String title, @NotBlank @Size(max = 4000) String instructions,
                                @NotNull @Min(1) @Max(365) Integer durationDays, @NotNull LocalDate startDate,
                                @NotNull @Valid Reminder reminder) {
    }

    public record CheckinRequest(@NotNull LocalDate date, @NotNull Boolean done, @Size(max = 1000) String note) {
    }

    public record FeedbackRequest(@NotNull @Min(1) @Max(5) Integer rating, @Size(max = 2000) String comment) {
    }

    @POST
    @RolesAllowed({"EXPERT", "ADMIN"})
    public Response assign(AssignRequest r) {
        RemedyService.View created = remedies.assign(caller.get(), new RemedyService.NewRemedy(r.userId(), r.sessionId(), r.kind(),
                r.title(), r.instructions(), r.durationDays(), r.startDate(), r.reminder().enabled(), r.reminder().localTime(),
                r.reminder().timezone()));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @RolesAllowed({"USER", "EXPERT", "ADMIN"})
    public Map<String, List<RemedyService.View>> mine() {
        return Map.of("items", remedies.mine(caller.get()));
    }

    @POST
    @Path("/{id}/checkins")
    @RolesAllowed("USER")
    public Response checkIn(@PathParam("id") UUID id, CheckinRequest r) {
        remedies.checkIn(caller.get(), id, r.date(), r.done(), r.note());
        return Response.status(Response.Status.CREATED).build();
    }

    @POST
    @Path("/{id}/feedback")
    @RolesAllowed("USER")
    public Response feedback(@PathParam("id") UUID id, FeedbackRequest r) {
        remedies.feedback(caller.get(), id, r.rating(), r.comment());
        return Response.noContent().build();
    }
}
