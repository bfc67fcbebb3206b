package org.parley.api.moderation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.moderation.Moderation;
import org.parley.moderation.Reports;

import java.util.UUID;

/** The moderators' side: the report queue, moving reports, and actions on accounts. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class AdminModerationResource {

    @Inject
    private Reports reports;
    @Inject
    private Moderation moderation;
    @Inject
    private CurrentCaller caller;

    public record ReportMove(@NotNull @Pattern(regexp = "UNDER_REVIEW|ACTION_TAKEN|DISMISSED") String status,
                             @Size(max = 1000) String resolution) {
    }

    public record ActionRequest(@NotNull UUID accountId, @NotNull @Pattern(regexp = "WARN|SUSPEND|UNSUSPEND|HIDE_MESSAGE") String action,
                                @NotNull @Size(min = 1, max = 1000) String reason, @Min(1) @Max(8760) Integer durationHours,
                                UUID reportId, @Size(max = 80) String messageRef) {
    }

    @GET
    @Path("/reports")
    public Page<Reports.ReportView> queue(@QueryParam("status") @Pattern(regexp = "OPEN|UNDER_REVIEW|ACTION_TAKEN|DISMISSED") String status,
                                          @QueryParam("targetType") @Pattern(regexp = "SESSION|USER|EXPERT|MESSAGE") String targetType,
                                          @QueryParam("targetId") String targetId,
                                          @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return reports.queue(status, targetType, targetId, PageRequest.of(page, size));
    }

    @PATCH
    @Path("/reports/{id}")
    public Reports.ReportView move(@PathParam("id") UUID id, ReportMove r) {
        return reports.move(caller.get(), id, r.status(), r.resolution());
    }

    @POST
    @Path("/moderation/actions")
    public Response act(ActionRequest r) {
        return Response.status(201).entity(moderation.act(caller.get(), r.accountId(), r.action(), r.reason().strip(), r.durationHours(),
                r.reportId(), r.messageRef())).build();
    }

    @GET
    @Path("/moderation/actions")
    public Page<Moderation.ActionView> actions(@QueryParam("accountId") UUID accountId, @QueryParam("page") Integer page,
                                               @QueryParam("size") Integer size) {
        return moderation.list(accountId, PageRequest.of(page, size));
    }
}
