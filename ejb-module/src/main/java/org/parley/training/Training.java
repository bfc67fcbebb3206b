package org.parley.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Json;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.files.FileService;
import org.parley.identity.Caller;
import org.parley.identity.Role;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Training modules and experts' progress: a view is one row per (expert, module, file), so viewing again changes
 * nothing; progress is the share of the module's current files viewed; a module is completed once, when its last file
 * is viewed. Completing every required module issues the expert's one certificate (a PDFBox PDF stored as a
 * CERTIFICATE file, with a verification code anyone can check). While required modules exist, an expert is not
 * approved before completing them ({@link #requireComplete}, called by the onboarding move).
 */
@Stateless
public class Training {

    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private FileService files;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    public record Progress(UUID moduleId, int viewed, int total, int percent, Instant completedAt) {
    }

    public record Module(UUID id, String title, String description, boolean required, int position, List<UUID> fileIds, Instant createdAt,
                         Instant updatedAt, Progress progress) {
    }

    public record Certificate(UUID id, UUID expertId, String code, Instant issuedAt, UUID fileId) {
    }

    public record Verification(boolean valid, String expertName, Instant issuedAt, List<String> modules) {
    }

    public Module create(Caller admin, String title, String description, boolean required, int position, List<UUID> fileIds) {
        UUID id = UUID.randomUUID();
        Instant now = now();
        requireTrainingFiles(fileIds);
        em.createNativeQuery("insert into training_module (id, title, description, required, position, created_at, updated_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?6)").setParameter(1, id).setParameter(2, title).setParameter(3, description)
                .setParameter(4, required).setParameter(5, position).setParameter(6, Timestamp.from(now)).executeUpdate();
        setFiles(id, fileIds);
        audit.record(admin, "TRAINING_MODULE_CREATED", "TRAINING_MODULE", id, Map.of("title", title, "required", required));
        return module(id, null);
    }

    public Module update(Caller admin, UUID id, String title, String description, boolean required, int position, List<UUID> fileIds) {
        requireTrainingFiles(fileIds);
        int found = em.createNativeQuery("update training_module set title = ?2, description = ?3, required = ?4, position = ?5, updated_at = ?6"
                        + " where id = ?1").setParameter(1, id).setParameter(2, title).setParameter(3, description).setParameter(4, required)
                .setParameter(5, position).setParameter(6, Timestamp.from(now())).executeUpdate();
        if (found == 0) {
            throw Problems.notFound("training module");
        }
        em.createNativeQuery("delete from training_module_file where module_id = ?1").setParameter(1, id).executeUpdate();
        setFiles(id, fileIds);
        audit.record(admin, "TRAINING_MODULE_UPDATED", "TRAINING_MODULE", id, Map.of("title", title, "required", required));
        return module(id, null);
    }

    /** Every module in order; an expert's each with its progress. */
    @SuppressWarnings("unchecked")
    public List<Module> modules(Caller caller) {
        if (caller.role() == Role.USER) {
            throw Problems.forbidden("training is for experts");
        }
        List<UUID> ids = em.createNativeQuery("select id from training_module order by position, created_at, id").getResultList();
        return ids.stream().map(id -> module(id, caller.role() == Role.EXPERT ? caller.id() : null)).toList();
    }

    /**
     * Records that the expert viewed {@code fileId} of module {@code moduleId} (a file not in it is 404), completes the
     * module when it was the last, and issues the certificate when every required module is complete.
     */
    public Progress view(Caller expert, UUID moduleId, UUID fileId) {
        if (expert.role() != Role.EXPERT) {
            throw Problems.forbidden("training is for experts");
        }
        if (em.createNativeQuery("select 1 from training_module_file where module_id = ?1 and file_id = ?2")
                .setParameter(1, moduleId).setParameter(2, fileId).getResultList().isEmpty()) {
            throw Problems.notFound("file of this module");
        }
        Instant now = now();
        em.createNativeQuery("insert into training_view (expert_id, module_id, file_id, viewed_at) values (?1, ?2, ?3, ?4) on conflict do nothing")
                .setParameter(1, expert.id()).setParameter(2, moduleId).setParameter(3, fileId).setParameter(4, Timestamp.from(now)).executeUpdate();
        Progress p = progress(moduleId, expert.id());
        if (p.total() > 0 && p.viewed() == p.total() && p.completedAt() == null) {
            int completed = em.createNativeQuery("insert into training_completion (expert_id, module_id, completed_at) values (?1, ?2, ?3)"
                    + " on conflict do nothing").setParameter(1, expert.id()).setParameter(2, moduleId).setParameter(3, Timestamp.from(now)).executeUpdate();
            if (completed == 1) {
                audit.record(expert, "TRAINING_MODULE_COMPLETED", "TRAINING_MODULE", moduleId, Map.of());
                issueIfComplete(expert.id(), now);
            }
            p = progress(moduleId, expert.id());
        }
        return p;
    }

    /** An expert's progress in every module. */
    @SuppressWarnings("unchecked")
    public List<Progress> progressOf(UUID expertId) {
        List<UUID> ids = em.createNativeQuery("select id from training_module order by position, created_at, id").getResultList();
        return ids.stream().map(id -> progress(id, expertId)).toList();
    }

    /** 409 {@code training-incomplete} while a required module is not completed by the expert. */
    public void requireComplete(UUID expertId) {
        List<?> missing = em.createNativeQuery("select m.title from training_module m where m.required and not exists"
                + " (select 1 from training_completion c where c.module_id = m.id and c.expert_id = ?1) order by m.position")
                .setParameter(1, expertId).getResultList();
        if (!missing.isEmpty()) {
            throw Problems.conflict("training-incomplete", "the expert has not completed the required training: " + missing);
        }
    }

    @SuppressWarnings("unchecked")
    public List<Certificate> certificates(Caller caller, UUID expertId) {
        UUID of = caller.isAdmin() ? expertId : caller.id();
        String where = of == null ? "" : " where expert_id = ?1";
        var q = em.createNativeQuery("select id, expert_id, code, issued_at, file_id from certificate" + where + " order by issued_at desc");
        if (of != null) {
            q.setParameter(1, of);
        }
        return ((List<Object[]>) q.getResultList()).stream().map(Training::certificate).toList();
    }

    public Certificate certificate(Caller caller, UUID id) {
        List<?> rows = em.createNativeQuery("select id, expert_id, code, issued_at, file_id from certificate where id = ?1").setParameter(1, id)
                .getResultList();
        if (rows.isEmpty() || !(caller.isAdmin() || caller.id().equals(((Object[]) rows.get(0))[1]))) {
            throw Problems.notFound("certificate");
        }
        return certificate((Object[]) rows.get(0));
    }

    /** Anyone checks a code: valid with the expert's name, the date and the modules; anything else is {@code valid: false}. */
    public Verification verify(String code) {
        List<?> rows = em.createNativeQuery("select a.name, c.issued_at, cast(c.modules as text) from certificate c join account a on a.id = c.expert_id"
                + " where c.code = ?1").setParameter(1, code == null ? "" : code.trim().toUpperCase()).getResultList();
        if (rows.isEmpty()) {
            return new Verification(false, null, null, List.of());
        }
        Object[] r = (Object[]) rows.get(0);
        try {
            return new Verification(true, (String) r[0], Rows.instant(r[1]), Json.mapper().readValue((String) r[2], new TypeReference<List<String>>() {
            }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private void issueIfComplete(UUID expertId, Instant now) {
        long required = ((Number) em.createNativeQuery("select count(*) from training_module where required").getSingleResult()).longValue();
        if (required == 0) {
            return;
        }
        List<String> done = em.createNativeQuery("select m.title from training_module m join training_completion c on c.module_id = m.id"
                + " and c.expert_id = ?1 where m.required order by m.position, m.created_at").setParameter(1, expertId).getResultList();
        if (done.size() < required || !em.createNativeQuery("select 1 from certificate where expert_id = ?1").setParameter(1, expertId)
                .getResultList().isEmpty()) {
            return;
        }
        String name = (String) em.createNativeQuery("select name from account where id = ?1").setParameter(1, expertId).getSingleResult();
        String code = code();
        byte[] pdf = CertificatePdf.render(name, done, now, code);
        UUID fileId = files.storeGenerated(expertId, "CERTIFICATE", "parley-certificate-" + code + ".pdf", pdf).id();
        UUID id = UUID.randomUUID();
        try {
            em.createNativeQuery("insert into certificate (id, expert_id, code, file_id, modules, issued_at) values (?1, ?2, ?3, ?4, cast(?5 as jsonb), ?6)"
                            + " on conflict (expert_id) do nothing")
                    .setParameter(1, id).setParameter(2, expertId).setParameter(3, code).setParameter(4, fileId)
                    .setParameter(5, Json.mapper().writeValueAsString(done)).setParameter(6, Timestamp.from(now)).executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        audit.record(null, "CERTIFICATE_ISSUED", "CERTIFICATE", id, Map.of("expertId", expertId, "code", code));
    }

    private static String code() {
        StringBuilder sb = new StringBuilder("PRL-");
        for (int i = 0; i < 10; i++) {
            sb.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return sb.toString();
    }

    private Module module(UUID id, UUID expertId) {
        Object[] r = (Object[]) em.createNativeQuery("select id, title, description, required, position, created_at, updated_at from training_module"
                + " where id = ?1").setParameter(1, id).getSingleResult();
        return new Module((UUID) r[0], (String) r[1], (String) r[2], (Boolean) r[3], ((Number) r[4]).intValue(), fileIds(id), Rows.instant(r[5]),
                Rows.instant(r[6]), expertId == null ? null : progress(id, expertId));
    }

    @SuppressWarnings("unchecked")
    private List<UUID> fileIds(UUID moduleId) {
        return em.createNativeQuery("select file_id from training_module_file where module_id = ?1 order by position")
                .setParameter(1, moduleId).getResultList();
    }

    private Progress progress(UUID moduleId, UUID expertId) {
        Object[] r = (Object[]) em.createNativeQuery("""
                        select (select count(*) from training_view v join training_module_file f on f.module_id = v.module_id and f.file_id = v.file_id
                                where v.module_id = ?1 and v.expert_id = ?2),
                               (select count(*) from training_module_file where module_id = ?1),
                               (select completed_at from training_completion where module_id = ?1 and expert_id = ?2)""")
                .setParameter(1, moduleId).setParameter(2, expertId).getSingleResult();
        int viewed = ((Number) r[0]).intValue();
        int total = ((Number) r[1]).intValue();
        return new Progress(moduleId, viewed, total, total == 0 ? 0 : Math.round(100f * viewed / total), r[2] == null ? null : Rows.instant(r[2]));
    }

    private void setFiles(UUID moduleId, List<UUID> fileIds) {
        for (int i = 0; i < fileIds.size(); i++) {
            em.createNativeQuery("insert into training_module_file (module_id, file_id, position) values (?1, ?2, ?3) on conflict do nothing")
                    .setParameter(1, moduleId).setParameter(2, fileIds.get(i)).setParameter(3, i).executeUpdate();
        }
    }

    /** A module's files: at least one, each an existing TRAINING file (422 naming the first that is not). */
    private void requireTrainingFiles(List<UUID> fileIds) {
        if (fileIds == null || fileIds.isEmpty()) {
            throw Problems.rule("no-files", "a module has at least one file", List.of(new FieldError("fileIds", "at least one")));
        }
        List<FieldError> bad = new ArrayList<>();
        for (int i = 0; i < fileIds.size(); i++) {
            if (em.createNativeQuery("select 1 from stored_file where id = ?1 and purpose = 'TRAINING'").setParameter(1, fileIds.get(i))
                    .getResultList().isEmpty()) {
                bad.add(new FieldError("fileIds[" + i + "]", "not a TRAINING file"));
            }
        }
        if (!bad.isEmpty()) {
            throw Problems.rule("not-training-files", "a module's files are TRAINING files", bad);
        }
    }

    private static Certificate certificate(Object[] r) {
        return new Certificate((UUID) r[0], (UUID) r[1], (String) r[2], Rows.instant(r[3]), (UUID) r[4]);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
