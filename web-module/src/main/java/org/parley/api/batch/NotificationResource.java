package org.parley.api.batch;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.parley.notify.Notifications;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The caller's in-app notifications. */
@Path("/notifications")
@RolesAllowed({"USER", "EXPERT", "ADMIN"})
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    @Inject
    private Notifications notifications;
    @Inject
    private CurrentCaller caller;

    @GET
    public Map<String, List<Notifications.View>> inbox(@QueryParam("unread") @DefaultValue("false") boolean unread,
                                                       @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return Map.of("items", notifications.inbox(caller.get(), unread, limit));
    }

    @POST
    @Path("/read-all")
    public Map<String, Integer> readAll() {
        return Map.of("read", notifications.markAllRead(caller.get()));
    }

    @POST
    @Path("/{id}/read")
    public Response read(@PathParam("id") UUID id) {
        notifications.markRead(caller.get(), id);
        return Response.noContent().build();
    }
}
