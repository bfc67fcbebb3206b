package org.parley.api.booking;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.parley.booking.BookingService;
import org.parley.booking.BookingStatus;
import org.parley.booking.BookingView;
import org.parley.common.Page;
import org.parley.common.PageRequest;

import java.time.Instant;
import java.util.UUID;

/**
 * Every booking for the operators (the console's bookings page): {@code GET /admin/bookings?status=&expertId=&userId=&from=&to=},
 * by start. An admin reads one and cancels it through {@code /bookings/{id}} as its participants do.
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class AdminBookingResource {

    @Inject
    private BookingService bookings;

    @GET
    @Path("/bookings")
    public Page<BookingView> list(@QueryParam("status") BookingStatus status, @QueryParam("expertId") UUID expertId,
                                  @QueryParam("userId") UUID userId, @QueryParam("from") Instant from, @QueryParam("to") Instant to,
                                  @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return bookings.listAll(expertId, userId, status, from, to, PageRequest.of(page, size));
    }
}
