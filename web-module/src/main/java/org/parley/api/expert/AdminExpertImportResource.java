package org.parley.api.expert;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.parley.api.security.CurrentCaller;
import org.parley.batch.BatchJob;
import org.parley.batch.BatchOperations;
import org.parley.common.DomainException;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.expert.ExpertImportService;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bulk import of expert applicants: upload a CSV file (the body as {@code text/csv}, or a {@code multipart/form-data}
 * part named {@code file}); it is checked as a whole, stored, and the expert-import job started on it. Progress, counts
 * and each row's result (line, outcome, reason) are read back here; the execution is the batch API's.
 */
@Path("/admin/expert-imports")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class AdminExpertImportResource {

    /** The largest file accepted: 5 MiB, some 20,000 applicants. */
    static final int MAX_BYTES = 5 * 1024 * 1024;

    @Inject
    private ExpertImportService imports;
    @Inject
    private BatchOperations operations;
    @Inject
    private CurrentCaller caller;

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    public Response upload(InputStream body, @QueryParam("fileName") String fileName, @QueryParam("chunkSize") String chunkSize) {
        return start(fileName, read(body), chunkSize);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response uploadForm(List<EntityPart> parts, @QueryParam("chunkSize") String chunkSize) {
        EntityPart file = parts.stream().filter(p -> "file".equals(p.getName())).findFirst()
                .orElseThrow(() -> Problems.badRequest("no file", List.of(new FieldError("file", "send the CSV as the form part named file"))));
        return start(file.getFileName().orElse(null), read(file.getContent()), chunkSize);
    }

    private Response start(String fileName, String content, String chunkSize) {
        if (fileName != null && fileName.length() > 255) {
            throw Problems.badRequest("file name too long", List.of(new FieldError("fileName", "must be at most 255 characters")));
        }
        if (chunkSize != null && !BatchOperations.isChunkSize(chunkSize)) {
            throw Problems.badRequest("bad chunk size", List.of(new FieldError("chunkSize", "must be a whole number from 1 to 1000")));
        }
        UUID stored = imports.upload(caller.get(), fileName, content);
        Map<String, String> parameters = new HashMap<>();
        parameters.put("importId", stored.toString());
        if (chunkSize != null) {
            parameters.put("chunkSize", chunkSize);
        }
        long executionId = operations.start(caller.get(), BatchJob.EXPERT_IMPORT.jobName(), parameters);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("import", imports.view(stored));
        out.put("executionId", executionId);
        return Response.accepted(out).location(URI.create("admin/expert-imports/" + stored)).build();
    }

    @GET
    public Page<ExpertImportService.ImportView> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return imports.list(PageRequest.of(page, size));
    }

    @GET
    @Path("/{id}")
    public ExpertImportService.ImportView get(@PathParam("id") UUID id) {
        return imports.view(id);
    }

    @GET
    @Path("/{id}/rows")
    public Page<ExpertImportService.RowView> rows(@PathParam("id") UUID id, @QueryParam("outcome") ExpertImportService.Outcome outcome,
                                                  @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return imports.rows(id, outcome, PageRequest.of(page, size));
    }

    /** The body as strict UTF-8 (a byte-order mark dropped); over {@link #MAX_BYTES} is 413, other encodings 400. */
    private static String read(InputStream in) {
        byte[] bytes;
        try (in) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new DomainException(413, "file-too-large", "the file is larger than " + MAX_BYTES + " bytes; split it");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw Problems.badRequest("the file is not UTF-8", List.of(new FieldError("file", "must be UTF-8 text")));
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
