package org.parley.api.live;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.security.CurrentCaller;
import org.parley.common.Channel;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.live.ChatGroupCommit;
import org.parley.live.ChatService;
import org.parley.live.SessionAftercare;
import org.parley.live.SessionService;
import org.parley.live.SessionStatus;
import org.parley.live.SessionSummary;
import org.parley.live.SessionView;

import java.util.UUID;

/** Live sessions over REST: start (also possible over the socket), read, chat history, end, review. */
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {

    @Inject
    private SessionService sessions;
    @Inject
    private ChatService chat;
    @Inject
    private ChatGroupCommit chatLines;
    @Inject
    private SessionAftercare aftercare;
    @Inject
    private CurrentCaller caller;

    public record StartRequest(@NotNull UUID expertId, @NotNull Channel channel) {
    }

    public record MessageRequest(@NotBlank @Size(max = 4000) String body, @Size(max = 64) String clientMsgId) {
    }

    public record ReviewRequest(@NotNull @Min(1) @Max(5) Integer rating, @Size(max = 2000) String comment) {
    }

    @GET
    public Page<SessionView> list(@QueryParam("role") String role, @QueryParam("status") SessionStatus status,
                                  @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return sessions.list(caller.get(), role, status, PageRequest.of(page, size));
    }

    @POST
    public Response start(StartRequest r) {
        return Response.status(Response.Status.CREATED).entity(sessions.start(caller.get(), r.expertId(), r.channel())).build();
    }

    @GET
    @Path("/{id}")
    public SessionView get(@PathParam("id") UUID id) {
        return sessions.get(caller.get(), id);
    }

    @GET
    @Path("/{id}/messages")
    public ChatService.History messages(@PathParam("id") UUID id, @QueryParam("afterSeq") @DefaultValue("0") int afterSeq,
                                        @QueryParam("limit") @DefaultValue("" + ChatService.DEFAULT_PAGE) int limit) {
        return chat.messages(caller.get(), id, afterSeq, limit);
    }

    @POST
    @Path("/{id}/messages")
    public Response post(@PathParam("id") UUID id, MessageRequest r) {
        return Response.status(Response.Status.CREATED).entity(chatLines.post(caller.get(), id, r.body(), r.clientMsgId())).build();
    }

    @POST
    @Path("/{id}/end")
    public SessionSummary end(@PathParam("id") UUID id) {
        return sessions.end(caller.get(), id);
    }

    @POST
    @Path("/{id}/review")
    @RolesAllowed("USER")
    public Response review(@PathParam("id") UUID id, ReviewRequest r) {
        aftercare.review(caller.get(), id, r.rating(), r.comment());
        return Response.noContent().build();
    }
}
