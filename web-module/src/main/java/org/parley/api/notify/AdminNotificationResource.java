package org.parley.api.notify;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import org.parley.common.DomainException.FieldError;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.notify.Broadcasts;
import org.parley.notify.NotificationTemplates;
import org.parley.notify.Notifications;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Admins' side of notifications: the outbox (failed sends first of all), the SMS/WhatsApp templates, broadcasts. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class AdminNotificationResource {

    @Inject
    private Notifications notifications;
    @Inject
    private NotificationTemplates templates;
    @Inject
    private Broadcasts broadcasts;
    @Inject
    private CurrentCaller caller;

    public record TemplateRequest(@NotNull @Size(max = 100) String template, @Size(max = 16) String language, @NotNull List<String> variables,
                                  @NotNull @Size(max = 1000) String text) {
    }

    public record BroadcastRequest(@NotNull Broadcasts.Audience audience, @NotNull Set<Notifications.Channel> channels,
                                   @NotNull @Size(max = 64) String templateKey, Map<String, String> variables, Boolean marketing,
                                   @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(1000) Integer chunkSize) {
    }

    @GET
    @Path("/notifications")
    public Page<Notifications.AdminView> outbox(@QueryParam("status") String status, @QueryParam("channel") String channel,
                                                @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        List<FieldError> errors = new java.util.ArrayList<>();
        if (status != null && !List.of("PENDING", "SENT", "FAILED").contains(status)) {
            errors.add(new FieldError("status", "PENDING, SENT or FAILED"));
        }
        if (channel != null && java.util.Arrays.stream(Notifications.Channel.values()).noneMatch(c -> c.name().equals(channel))) {
            errors.add(new FieldError("channel", "IN_APP, EMAIL, SMS or WHATSAPP"));
        }
        if (!errors.isEmpty()) {
            throw Problems.badRequest("unknown filter values", errors);
        }
        return notifications.outbox(status, channel == null ? null : Notifications.Channel.valueOf(channel), PageRequest.of(page, size));
    }

    @GET
    @Path("/notification-templates")
    public Map<String, List<NotificationTemplates.Template>> templates() {
        return Map.of("items", templates.all());
    }

    @PUT
    @Path("/notification-templates/{event}/{channel}")
    public NotificationTemplates.Template putTemplate(@PathParam("event") String event, @PathParam("channel") Notifications.Channel channel,
                                                      TemplateRequest r) {
        return templates.put(caller.get(), event, channel, r.template(), r.language(), r.variables(), r.text());
    }

    @POST
    @Path("/broadcasts")
    public Response broadcast(BroadcastRequest r) {
        UUID id = broadcasts.create(caller.get(), r.audience(), r.channels(), r.templateKey(), r.variables(), Boolean.TRUE.equals(r.marketing()));
        return Response.status(202).entity(broadcasts.start(caller.get(), id, r.chunkSize())).build();
    }

    @GET
    @Path("/broadcasts/{id}")
    public Broadcasts.View broadcastView(@PathParam("id") UUID id) {
        return broadcasts.view(id);
    }
}
