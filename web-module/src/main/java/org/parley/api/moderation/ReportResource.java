package org.parley.api.moderation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.moderation.Reports;

/** Reports by people who took part in what they report. */
@Path("/reports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"USER", "EXPERT"})
public class ReportResource {

    @Inject
    private Reports reports;
    @Inject
    private CurrentCaller caller;

    public record ReportRequest(@NotNull @Pattern(regexp = "SESSION|USER|EXPERT|MESSAGE") String targetType,
                                @NotBlank @Size(max = 80) String targetId,
                                @NotNull @Size(min = 10, max = 500) String reason,
                                @Pattern(regexp = "HARASSMENT|SPAM|FRAUD|INAPPROPRIATE|OTHER") String category) {
    }

    @POST
    public Response create(ReportRequest r) {
        return Response.status(201).entity(reports.create(caller.get(), r.targetType(), r.targetId(), r.reason().strip(), r.category())).build();
    }

    @GET
    public Page<Reports.ReportView> mine(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return reports.mine(caller.get(), PageRequest.of(page, size));
    }
}
