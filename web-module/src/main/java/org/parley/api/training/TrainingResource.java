package org.parley.api.training;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.parley.api.security.CurrentCaller;
import org.parley.training.Training;

import java.util.Map;
import java.util.UUID;

/** Experts' training: the modules with their progress, and each file viewed. */
@Path("/training")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrainingResource {

    @Inject
    private Training training;
    @Inject
    private CurrentCaller caller;

    public record ViewRequest(@NotNull UUID fileId) {
    }

    @GET
    @Path("modules")
    @RolesAllowed({"EXPERT", "ADMIN"})
    public Map<String, Object> modules() {
        return Map.of("items", training.modules(caller.get()));
    }

    @POST
    @Path("modules/{id}/views")
    @RolesAllowed("EXPERT")
    public Training.Progress view(@PathParam("id") UUID id, ViewRequest r) {
        return training.view(caller.get(), id, r.fileId());
    }

    @GET
    @Path("progress")
    @RolesAllowed("EXPERT")
    public Map<String, Object> mine() {
        return Map.of("items", training.progressOf(caller.get().id()));
    }

}
