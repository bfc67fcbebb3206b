package org.parley.api.order;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.order.Catalog;
import org.parley.order.OrderService;
import org.parley.promotion.CouponTerms;
import org.parley.promotion.Coupons;

import java.time.Instant;
import java.util.UUID;

/** The admins' side of the catalog, orders and promotions: defining services, assigning orders, managing coupons. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class AdminOrderResource {

    @Inject
    private Catalog catalog;
    @Inject
    private OrderService orders;
    @Inject
    private Coupons coupons;
    @Inject
    private CurrentCaller caller;

    public record AssignmentRequest(@NotNull UUID expertId) {
    }

    /** Ranges and the window are checked by {@link CouponTerms#problems}, so that every field error is reported at once. */
    public record CouponRequest(@NotNull String code, @NotNull CouponTerms.Kind kind, @NotNull Long value, Long maxDiscount,
                                Long minAmount, @NotNull Instant validFrom, @NotNull Instant validTo, Integer totalLimit,
                                Integer perUserLimit, @NotNull CouponTerms.AppliesTo appliesTo) {
    }

    public record ActiveRequest(@NotNull Boolean active) {
    }

    @POST
    @Path("/catalog/services")
    public Response createService(Catalog.Definition d) {
        return Response.status(201).entity(catalog.create(caller.get(), d)).build();
    }

    @PUT
    @Path("/catalog/services/{id}")
    public Catalog.ServiceView updateService(@PathParam("id") UUID id, Catalog.Definition d) {
        return catalog.update(caller.get(), id, d);
    }

    @PUT
    @Path("/orders/{id}/assignment")
    public OrderService.OrderView assign(@PathParam("id") UUID id, AssignmentRequest r) {
        return orders.assign(caller.get(), id, r.expertId());
    }

    @POST
    @Path("/coupons")
    public Response createCoupon(CouponRequest r) {
        CouponTerms terms = new CouponTerms(r.code(), r.kind(), r.value(), r.maxDiscount(), r.minAmount() == null ? 0 : r.minAmount(),
                r.validFrom(), r.validTo(), r.totalLimit(), r.perUserLimit() == null ? 1 : r.perUserLimit(), r.appliesTo());
        return Response.status(201).entity(coupons.create(caller.get(), terms)).build();
    }

    @GET
    @Path("/coupons")
    public Page<Coupons.View> coupons(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return coupons.list(PageRequest.of(page, size));
    }

    @GET
    @Path("/coupons/{id}")
    public Coupons.View coupon(@PathParam("id") UUID id) {
        return coupons.get(id);
    }

    @PATCH
    @Path("/coupons/{id}")
    public Coupons.View setActive(@PathParam("id") UUID id, ActiveRequest r) {
        return coupons.setActive(caller.get(), id, r.active());
    }
}
