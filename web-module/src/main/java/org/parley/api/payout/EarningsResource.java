package org.parley.api.payout;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.parley.api.security.CurrentCaller;
import org.parley.payout.EarningsService;

/** An expert's earnings in their four states and per period. */
@Path("/earnings")
@RolesAllowed("EXPERT")
@Produces(MediaType.APPLICATION_JSON)
public class EarningsResource {

    @Inject
    private EarningsService earnings;
    @Inject
    private CurrentCaller caller;

    @GET
    @Path("/summary")
    public EarningsService.Summary summary() {
        return earnings.summary(caller.get());
    }
}
