package org.parley.api.support;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.support.SupportDesk;

import java.util.List;
import java.util.UUID;

/** The support desk over REST: tickets, their messages and notes, moves, ratings. */
@Path("/support/tickets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"USER", "EXPERT", "ADMIN"})
public class SupportResource {

    private static final String CATEGORIES = "BILLING|SESSION|TECHNICAL|ACCOUNT|SAFETY|OTHER";
    private static final String PRIORITIES = "LOW|NORMAL|HIGH|URGENT";
    private static final String STATUSES = "OPEN|IN_PROGRESS|RESOLVED|CLOSED";

    @Inject
    private SupportDesk desk;
    @Inject
    private CurrentCaller caller;

    public record TicketRequest(@NotNull @Size(min = 5, max = 200) String subject, @NotNull @Size(min = 1, max = 10_000) String description,
                                @NotNull @Pattern(regexp = CATEGORIES) String category, @Pattern(regexp = PRIORITIES) String priority,
                                UUID sessionId, @Size(max = 10) List<@NotNull UUID> attachmentIds) {
    }

    public record MessageRequest(@NotBlank @Size(max = 10_000) String body, Boolean internal, @Size(max = 10) List<@NotNull UUID> attachmentIds,
                                 @Size(max = 64) String clientMsgId) {
    }

    public record TicketUpdate(@Pattern(regexp = STATUSES) String status, UUID assigneeId, @Pattern(regexp = PRIORITIES) String priority) {
    }

    public record RatingRequest(@NotNull @Min(1) @Max(5) Integer rating, @Size(max = 2000) String comment) {
    }

    @POST
    @RolesAllowed({"USER", "EXPERT"})
    public Response create(TicketRequest r) {
        return Response.status(201).entity(desk.create(caller.get(), r.subject().strip(), r.description(), r.category(), r.priority(),
                r.sessionId(), r.attachmentIds())).build();
    }

    @GET
    public Page<SupportDesk.TicketView> list(@QueryParam("status") @Pattern(regexp = STATUSES) String status,
                                             @QueryParam("assigneeId") UUID assigneeId,
                                             @QueryParam("priority") @Pattern(regexp = PRIORITIES) String priority,
                                             @QueryParam("category") @Pattern(regexp = CATEGORIES) String category,
                                             @QueryParam("breached") Boolean breached,
                                             @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return desk.list(caller.get(), status, assigneeId, priority, category, breached, PageRequest.of(page, size));
    }

    @GET
    @Path("/{id}")
    public SupportDesk.TicketView get(@PathParam("id") UUID id) {
        return desk.get(caller.get(), id);
    }

    @PATCH
    @Path("/{id}")
    public SupportDesk.TicketView update(@PathParam("id") UUID id, TicketUpdate r) {
        return desk.update(caller.get(), id, r.status(), r.assigneeId(), r.priority());
    }

    @GET
    @Path("/{id}/messages")
    public SupportDesk.History messages(@PathParam("id") UUID id, @QueryParam("afterSeq") @DefaultValue("0") int afterSeq) {
        return desk.messages(caller.get(), id, afterSeq);
    }

    @POST
    @Path("/{id}/messages")
    public Response post(@PathParam("id") UUID id, MessageRequest r) {
        return Response.status(201).entity(desk.post(caller.get(), id, r.body(), Boolean.TRUE.equals(r.internal()), r.attachmentIds(),
                r.clientMsgId())).build();
    }

    @POST
    @Path("/{id}/rating")
    public SupportDesk.TicketView rate(@PathParam("id") UUID id, RatingRequest r) {
        return desk.rate(caller.get(), id, r.rating(), r.comment());
    }
}
