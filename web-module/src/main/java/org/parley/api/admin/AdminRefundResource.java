package org.parley.api.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
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
import org.parley.common.DomainException.FieldError;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.payment.SourceRefunds;

import java.util.List;
import java.util.UUID;

/** Refunds of deposits to their payment source: asked (202, PENDING), completed by the gateway's answer, webhook or the janitor. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class AdminRefundResource {

    @Inject
    private SourceRefunds refunds;
    @Inject
    private IdempotentRequests idempotent;
    @Inject
    private CurrentCaller caller;

    public record RefundRequest(Long amount, @NotBlank @Size(max = 500) String reason) {
    }

    /** The wallet is debited and the refund recorded (committed) first; the gateway is asked right after, off this request. */
    @POST
    @Path("/deposits/{id}/refund")
    public Response refund(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id, RefundRequest r) {
        return idempotent.require(caller.get(), key, "POST /admin/deposits/" + id + "/refund", r, 202, () -> {
            SourceRefunds.View asked = refunds.request(caller.get(), id, r.amount(), r.reason());
            refunds.send(asked.id());
            return asked;
        });
    }

    @GET
    @Path("/refunds")
    public Page<SourceRefunds.View> list(@QueryParam("depositId") UUID depositId, @QueryParam("status") String status,
                                         @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        if (status != null && !List.of("PENDING", "PROCESSED", "FAILED").contains(status)) {
            throw Problems.badRequest("unknown status", List.of(new FieldError("status", "PENDING, PROCESSED or FAILED")));
        }
        return refunds.list(depositId, status, PageRequest.of(page, size));
    }

    @GET
    @Path("/refunds/{id}")
    public SourceRefunds.View get(@PathParam("id") UUID id) {
        return refunds.get(id);
    }
}
