package org.parley.api.booking;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.IdempotentRequests;
import org.parley.api.error.OptionalBody;
import org.parley.api.security.CurrentCaller;
import org.parley.booking.BookingService;
import org.parley.booking.BookingStatus;
import org.parley.booking.BookingView;
import org.parley.common.Channel;
import org.parley.common.Page;
import org.parley.common.PageRequest;

import java.time.Instant;
import java.util.UUID;

/** Bookings: request (prepaid, under an Idempotency-Key), decide, reschedule, cancel, join, read. */
@Path("/bookings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BookingResource {

    @Inject
    private BookingService bookings;
    @Inject
    private IdempotentRequests idempotent;
    @Inject
    private CurrentCaller caller;

    /** {@code minutes} is checked by the service (15..120 in steps of 15) so that its message says so. */
    public record BookingRequest(@NotNull UUID expertId, @NotNull Instant startsAt, @NotNull Integer minutes, @NotNull Channel channel) {
    }

    public enum Decision { ACCEPT, REJECT }

    public record DecisionRequest(@NotNull Decision decision, @Size(max = 500) String reason) {
    }

    public record RescheduleRequest(@NotNull Instant startsAt) {
    }

    @OptionalBody
    public record CancelRequest(@Size(max = 500) String reason) {
    }

    @POST
    @RolesAllowed("USER")
    public Response create(@HeaderParam(IdempotentRequests.HEADER) String key, BookingRequest r) {
        return idempotent.require(caller.get(), key, "POST /bookings", r, 201,
                () -> bookings.create(caller.get(), r.expertId(), r.startsAt(), r.minutes(), r.channel()));
    }

    @GET
    public Page<BookingView> list(@QueryParam("role") String role, @QueryParam("status") BookingStatus status,
                                  @QueryParam("from") Instant from, @QueryParam("to") Instant to,
                                  @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return bookings.list(caller.get(), role, status, from, to, PageRequest.of(page, size));
    }

    @GET
    @Path("/{id}")
    public BookingView get(@PathParam("id") UUID id) {
        return bookings.get(caller.get(), id);
    }

    @PUT
    @Path("/{id}/decision")
    public BookingView decide(@PathParam("id") UUID id, DecisionRequest r) {
        return bookings.decide(caller.get(), id, r.decision() == Decision.ACCEPT, r.reason());
    }

    @POST
    @Path("/{id}/reschedule")
    public BookingView reschedule(@PathParam("id") UUID id, RescheduleRequest r) {
        return bookings.reschedule(caller.get(), id, r.startsAt());
    }

    /** {@code {reason?}}; an empty JSON body is as good as {@code {}}. */
    @POST
    @Path("/{id}/cancel")
    public BookingView cancel(@PathParam("id") UUID id, CancelRequest r) {
        return bookings.cancel(caller.get(), id, r == null ? null : r.reason());
    }

    /** The same cancellation sent with no body (and so no JSON content type) at all. */
    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public BookingView cancelWithoutReason(@PathParam("id") UUID id) {
        return bookings.cancel(caller.get(), id, null);
    }

    @POST
    @Path("/{id}/join")
    public BookingView join(@PathParam("id") UUID id) {
        return bookings.join(caller.get(), id);
    }
}
