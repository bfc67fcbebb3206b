package org.parley.api.promotion;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.parley.api.security.CurrentCaller;
import org.parley.promotion.CouponTerms;
import org.parley.promotion.Coupons;

/** What a coupon code gives, for anyone signed in (admins manage coupons: {@link org.parley.api.order.AdminOrderResource}). */
@Path("/coupons")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CouponResource {

    @Inject
    private Coupons coupons;
    @Inject
    private CurrentCaller caller;

    public record ValidateRequest(@NotBlank @Size(max = 40) String code, @NotNull Long amount, @NotNull CouponTerms.AppliesTo appliesTo) {
    }

    @POST
    @Path("validate")
    public Coupons.Quote validate(ValidateRequest r) {
        return coupons.quote(caller.get(), r.code(), r.amount(), r.appliesTo());
    }
}
