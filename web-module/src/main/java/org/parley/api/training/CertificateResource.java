package org.parley.api.training;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.parley.api.security.CurrentCaller;
import org.parley.files.FileService;
import org.parley.training.Training;

import java.util.Map;
import java.util.UUID;

/** Training certificates: an expert's own (an admin's any), their PDF, and a public check of a code. */
@Path("/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CertificateResource {

    @Inject
    private Training training;
    @Inject
    private CurrentCaller caller;
    @Inject
    private FileService files;
    @Context
    private UriInfo uri;

    @GET
    @RolesAllowed({"EXPERT", "ADMIN"})
    public Map<String, Object> certificates(@QueryParam("expertId") UUID expertId) {
        return Map.of("items", training.certificates(caller.get(), expertId));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"EXPERT", "ADMIN"})
    public Training.Certificate certificate(@PathParam("id") UUID id) {
        return training.certificate(caller.get(), id);
    }

    /** The certificate's PDF: a 302 to a signed URL, as for any file. */
    @GET
    @Path("{id}/content")
    @RolesAllowed({"EXPERT", "ADMIN"})
    public Response content(@PathParam("id") UUID id) {
        UUID file = training.certificate(caller.get(), id).fileId();
        return Response.status(302).location(files.download(caller.get(), file, uri.getBaseUri().toString()).location()).build();
    }

    @GET
    @Path("verify/{code}")
    @PermitAll
    public Training.Verification verify(@PathParam("code") String code) {
        return training.verify(code);
    }
}
