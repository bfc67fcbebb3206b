package org.parley.api.training;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
import org.parley.training.Training;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Admins publish training modules and read experts' progress. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminTrainingResource {

    @Inject
    private Training training;
    @Inject
    private CurrentCaller caller;

    public record ModuleRequest(@NotBlank @Size(max = 200) String title, @Size(max = 4000) String description, @NotNull Boolean required,
                                @NotNull @Min(0) @Max(10_000) Integer position, @NotNull @Size(max = 50) List<@NotNull UUID> fileIds) {
    }

    @POST
    @Path("training/modules")
    @RolesAllowed("ADMIN")
    public Response create(ModuleRequest r) {
        return Response.status(201).entity(training.create(caller.get(), r.title().strip(), r.description(), r.required(), r.position(),
                r.fileIds())).build();
    }

    @PUT
    @Path("training/modules/{id}")
    @RolesAllowed("ADMIN")
    public Training.Module update(@PathParam("id") UUID id, ModuleRequest r) {
        return training.update(caller.get(), id, r.title().strip(), r.description(), r.required(), r.position(), r.fileIds());
    }

    @GET
    @Path("training/progress")
    @RolesAllowed("ADMIN")
    public Map<String, Object> progressOf(@QueryParam("expertId") @NotNull UUID expertId) {
        return Map.of("expertId", expertId, "items", training.progressOf(expertId));
    }

}
