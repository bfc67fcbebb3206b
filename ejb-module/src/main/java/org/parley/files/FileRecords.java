package org.parley.files;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.db.Rows;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The metadata rows of stored files, each write in its own transaction (the upload itself runs outside any). */
@Stateless
public class FileRecords {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;

    /** A file as clients see it. */
    public record FileView(UUID id, String name, String contentType, long size, String sha256, String purpose, UUID ownerId,
                           Instant createdAt) {
    }

    public FileView insert(UUID id, UUID owner, String purpose, String name, String contentType, long size, String sha256, String key,
                           Instant now) {
        em.createNativeQuery("""
                        insert into stored_file (id, owner_id, purpose, name, content_type, size, sha256, object_key, created_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)""")
                .setParameter(1, id).setParameter(2, owner).setParameter(3, purpose).setParameter(4, name).setParameter(5, contentType)
                .setParameter(6, size).setParameter(7, sha256).setParameter(8, key).setParameter(9, Timestamp.from(now)).executeUpdate();
        return find(id);
    }

    /** The file, or null. */
    public FileView find(UUID id) {
        List<?> rows = em.createNativeQuery("select id, name, content_type, size, sha256, purpose, owner_id, created_at from stored_file where id = ?1")
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = (Object[]) rows.get(0);
        return new FileView((UUID) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(), ((String) r[4]).trim(), (String) r[5],
                (UUID) r[6], Rows.instant(r[7]));
    }

    public String objectKey(UUID id) {
        return (String) em.createNativeQuery("select object_key from stored_file where id = ?1").setParameter(1, id).getSingleResult();
    }

    public void delete(UUID id) {
        em.createNativeQuery("delete from stored_file where id = ?1").setParameter(1, id).executeUpdate();
    }

    /** Whether {@code reader} may read a TICKET_ATTACHMENT: a ticket of theirs or one of its messages lists it. */
    public boolean attachedToTicketOf(UUID fileId, UUID reader) {
        String id = "[\"" + fileId + "\"]";
        return !em.createNativeQuery("""
                        select 1 from support_ticket t where t.requester_id = ?1 and (t.attachment_ids @> cast(?2 as jsonb)
                            or exists (select 1 from support_message m where m.ticket_id = t.id and not m.internal
                                       and m.attachment_ids @> cast(?2 as jsonb))) limit 1""")
                .setParameter(1, reader).setParameter(2, id).getResultList().isEmpty();
    }

    /** Is {@code fileId} a report of an order whose user or expert {@code reader} is? */
    public boolean reportOfOrderOf(UUID fileId, UUID reader) {
        return !em.createNativeQuery("""
                        select 1 from order_report r join report_order o on o.id = r.order_id
                        where r.file_id = ?1 and (o.user_id = ?2 or o.expert_id = ?2) limit 1""")
                .setParameter(1, fileId).setParameter(2, reader).getResultList().isEmpty();
    }
}
