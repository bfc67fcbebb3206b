package org.parley.api.order;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.order.OrderService;
import org.parley.order.OrderStatus;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Report orders: placed by users (prepaid, under an Idempotency-Key), assigned by admins, worked on and delivered, accepted. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrderResource {

    @Inject
    private OrderService orders;
    @Inject
    private IdempotentRequests idempotent;
    @Inject
    private CurrentCaller caller;

    /** {@code formData} is checked against the service's form by the service, so that each field error names its field. */
    public record OrderRequest(@NotNull UUID serviceId, Map<String, Object> formData, @Size(max = 40) String couponCode) {
    }

    public record ReportRequest(@NotNull UUID fileId, @Size(max = 2000) String note) {
    }

    public record CancelRequest(@NotBlank @Size(max = 500) String reason, Long amount) {
    }

    @POST
    @RolesAllowed("USER")
    public Response place(@HeaderParam(IdempotentRequests.HEADER) String key, OrderRequest r) {
        return idempotent.require(caller.get(), key, "POST /orders", r, 201,
                () -> orders.place(caller.get(), r.serviceId(), r.formData(), r.couponCode()));
    }

    @GET
    public Page<OrderService.OrderView> list(@QueryParam("status") OrderStatus status, @QueryParam("overdue") boolean overdue,
                                             @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return orders.list(caller.get(), status, overdue, PageRequest.of(page, size));
    }

    @GET
    @Path("{id}")
    public OrderService.OrderView get(@PathParam("id") UUID id) {
        return orders.get(caller.get(), id);
    }

    @POST
    @Path("{id}/start")
    @Consumes(MediaType.WILDCARD)
    public OrderService.OrderView start(@PathParam("id") UUID id) {
        return orders.start(caller.get(), id);
    }

    @POST
    @Path("{id}/reports")
    public Response deliver(@PathParam("id") UUID id, ReportRequest r) {
        return Response.status(201).entity(orders.deliver(caller.get(), id, r.fileId(), r.note())).build();
    }

    @GET
    @Path("{id}/reports")
    public List<OrderService.ReportView> reports(@PathParam("id") UUID id) {
        return orders.reports(caller.get(), id);
    }

    @POST
    @Path("{id}/accept")
    @Consumes(MediaType.WILDCARD)
    public OrderService.OrderView accept(@PathParam("id") UUID id) {
        return orders.accept(caller.get(), id);
    }

    /** An admin's partial refund is money: an Idempotency-Key is honoured when sent (a second cancel is 409 anyway). */
    @POST
    @Path("{id}/cancel")
    public Response cancel(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id, CancelRequest r) {
        return idempotent.run(caller.get(), key, "POST /orders/" + id + "/cancel", r, 200,
                () -> orders.cancel(caller.get(), id, r.reason(), r.amount()));
    }
}
