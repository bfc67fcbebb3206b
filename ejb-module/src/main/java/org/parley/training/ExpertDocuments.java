package org.parley.training;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import org.parley.audit.AuditLog;
import org.parley.common.Problems;
import org.parley.common.Sql;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The documents an expert attaches to its application (its own EXPERT_DOCUMENT files), which admins read while onboarding. */
@Stateless
public class ExpertDocuments {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    public record Document(UUID id, UUID expertId, UUID fileId, String kind, String name, String contentType, long size, Instant createdAt) {
    }

    /** Attaches one of the expert's EXPERT_DOCUMENT files (anyone else's, or another purpose, is 404; twice is 409). */
    public Document attach(Caller expert, UUID fileId, String kind) {
        if (em.createNativeQuery("select 1 from stored_file where id = ?1 and owner_id = ?2 and purpose = 'EXPERT_DOCUMENT'")
                .setParameter(1, fileId).setParameter(2, expert.id()).getResultList().isEmpty()) {
            throw Problems.notFound("document file");
        }
        UUID id = UUID.randomUUID();
        try {
            em.createNativeQuery("insert into expert_document (id, expert_id, file_id, kind, created_at) values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, id).setParameter(2, expert.id()).setParameter(3, fileId).setParameter(4, kind)
                    .setParameter(5, Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS))).executeUpdate();
        } catch (PersistenceException e) {
            if (Sql.isUniqueViolation(e, null)) {
                throw Problems.conflict("already-attached", "the file is attached already");
            }
            throw e;
        }
        audit.record(expert, "EXPERT_DOCUMENT_ATTACHED", "EXPERT", expert.id(), Map.of("fileId", fileId, "kind", kind));
        return list(expert.id()).stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    public List<Document> list(UUID expertId) {
        List<Object[]> rows = em.createNativeQuery("""
                        select d.id, d.expert_id, d.file_id, d.kind, f.name, f.content_type, f.size, d.created_at
                        from expert_document d join stored_file f on f.id = d.file_id where d.expert_id = ?1 order by d.created_at, d.id""")
                .setParameter(1, expertId).getResultList();
        return rows.stream().map(r -> new Document((UUID) r[0], (UUID) r[1], (UUID) r[2], (String) r[3], (String) r[4], (String) r[5],
                ((Number) r[6]).longValue(), Rows.instant(r[7]))).toList();
    }
}
