package org.parley.api.payout;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.IdempotentRequests;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.payout.PayoutService;
import org.parley.payout.PayoutView;

import java.util.UUID;

/** An expert's payout requests. */
@Path("/payouts")
@RolesAllowed("EXPERT")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PayoutResource {

    @Inject
    private PayoutService payouts;
    @Inject
    private IdempotentRequests idempotent;
    @Inject
    private CurrentCaller caller;

    public record PayoutRequest(@NotNull Long amount) {
    }

    @POST
    public Response request(@HeaderParam(IdempotentRequests.HEADER) String key, PayoutRequest r) {
        return idempotent.require(caller.get(), key, "POST /payouts", r, 201, () -> payouts.request(caller.get(), r.amount()));
    }

    @GET
    public Page<PayoutView> mine(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return payouts.mine(caller.get(), PageRequest.of(page, size));
    }

    @GET
    @Path("/{id}")
    public PayoutView get(@PathParam("id") UUID id) {
        return payouts.get(caller.get(), id);
    }
}
