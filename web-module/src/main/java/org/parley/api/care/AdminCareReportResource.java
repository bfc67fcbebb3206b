package org.parley.api.care;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.parley.care.RemedyService;

import java.util.List;
import java.util.Map;

/** Care reports for admins: remedy completion per kind. */
@Path("/admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class AdminCareReportResource {

    @Inject
    private RemedyService remedies;

    @GET
    @Path("/reports/remedies")
    public Map<String, List<RemedyService.KindReport>> remedies() {
        return Map.of("items", remedies.completionByKind());
    }
}
