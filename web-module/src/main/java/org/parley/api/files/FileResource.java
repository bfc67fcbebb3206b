package org.parley.api.files;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.parley.api.security.CurrentCaller;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;
import org.parley.files.FileRecords;
import org.parley.files.FileService;

import java.io.InputStream;
import java.util.List;
import java.util.UUID;

/** Files: multipart upload, metadata, and downloads by a redirect to a short-lived signed URL. */
@Path("/files")
@Produces(MediaType.APPLICATION_JSON)
public class FileResource {

    @Inject
    private FileService files;
    @Inject
    private CurrentCaller caller;
    @Context
    private UriInfo uri;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@FormParam("file") EntityPart file, @FormParam("purpose") String purpose) {
        if (file == null) {
            throw Problems.badRequest("a multipart part named file is required", List.of(new FieldError("file", "required")));
        }
        try (InputStream in = file.getContent()) {
            return Response.status(201).entity(files.upload(caller.get(), purpose, file.getFileName().orElse("file"), in)).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @GET
    @Path("/{id}")
    public FileRecords.FileView metadata(@PathParam("id") UUID id) {
        return files.metadata(caller.get(), id);
    }

    /** A 302 to a URL that serves the bytes for 5 minutes. */
    @GET
    @Path("/{id}/content")
    public Response content(@PathParam("id") UUID id) {
        return Response.status(302).location(files.download(caller.get(), id, uri.getBaseUri().toString()).location()).build();
    }

    /** Parley's own signed link (the folder store): no sign-in, the signature is the permission. */
    @GET
    @Path("/{id}/signed")
    @PermitAll
    @Produces(MediaType.WILDCARD)
    public Response signed(@PathParam("id") UUID id, @QueryParam("expires") long expires, @QueryParam("signature") String signature) {
        FileService.Content c = files.signed(id, expires, signature);
        StreamingOutput body = out -> {
            try (InputStream in = c.bytes()) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, c.file().contentType()).header("Content-Length", c.file().size())
                .header("Content-Disposition", "inline; filename=\"" + c.file().name().replace("\"", "") + "\"").build();
    }
}
