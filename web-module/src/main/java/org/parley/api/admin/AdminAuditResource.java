package org.parley.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.parley.api.JacksonConfig;
import org.parley.audit.AuditEntry;
import org.parley.audit.AuditLog;
import org.parley.common.Page;
import org.parley.common.PageRequest;

import java.time.Instant;
import java.util.UUID;

/** The audit trail, filtered and paged (newest first), and its integrity check. */
@Path("/admin/audit")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class AdminAuditResource {

    @Inject
    private AuditLog audit;

    public record EntryView(long id, Instant at, UUID actorId, String actorRole, String action, String entityType,
                            String entityId, JsonNode metadata) {
        static EntryView of(AuditEntry e) {
            try {
                return new EntryView(e.seq(), e.at(), e.actorId(), e.actorRole(), e.action(), e.entityType(),
                        e.entityId(), JacksonConfig.MAPPER.readTree(e.metadata()));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("stored audit metadata is not JSON (seq " + e.seq() + ")", ex);
            }
        }
    }

    @GET
    public Page<EntryView> search(@QueryParam("actorId") UUID actorId, @QueryParam("action") String action,
                                  @QueryParam("entityType") String entityType, @QueryParam("entityId") String entityId,
                                  @QueryParam("from") Instant from, @QueryParam("to") Instant to,
                                  @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return audit.search(new AuditLog.Filter(actorId, action, entityType, entityId, from, to), PageRequest.of(page, size))
                .map(EntryView::of);
    }

    public record VerifyView(boolean intact, long entries, Long firstBrokenId) {
    }

    @GET
    @Path("/verify")
    public VerifyView verify() {
        AuditLog.Verification v = audit.verify();
        return new VerifyView(v.intact(), v.entries(), v.firstBrokenSeq());
    }
}
