package org.parley.expert;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.Sha256;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.identity.Invitations;
import org.parley.identity.PasswordHasher;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bulk import of expert applicants. An upload stores the file (checked as a whole: header and CSV syntax); the
 * expert-import job then checks each row and imports the good ones as EXPERT accounts in APPLIED with their profile
 * and an invitation to choose a password. Every row gets exactly one result per file (primary key file + line), and an
 * email already registered, by anyone, is skipped by the database's unique index rather than by a Java check, so a
 * rerun, a restart or two runs at once import each email once.
 */
@Stateless
public class ExpertImportService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private PasswordHasher hasher;
    @Inject
    private Invitations invitations;
    @Inject
    private ExpertService experts;
    @Inject
    private Ledger ledger;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    public enum Outcome { IMPORTED, SKIPPED, REJECTED }

    /** A file's progress and results so far. */
    public record ImportView(UUID id, String fileName, int totalRows, long processedRows, long imported, long skipped,
                             long rejected, boolean done, UUID uploadedBy, Instant uploadedAt, Long executionId) {
    }

    /** What became of one row. */
    public record RowView(int line, String email, Outcome outcome, String reason, UUID accountId) {
    }

    /** Stores an uploaded file after checking it as a whole (400 naming the problem if its header or syntax is wrong); returns its id. */
    public UUID upload(Caller admin, String fileName, String content) {
        int rows;
        try {
            rows = ApplicantCsv.inspect(content);
        } catch (ApplicantCsv.InvalidFile e) {
            throw Problems.badRequest("the file cannot be imported", List.of(new FieldError("file", e.getMessage())));
        }
        if (rows == 0) {
            throw Problems.badRequest("the file cannot be imported", List.of(new FieldError("file", "has a header but no rows")));
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        em.createNativeQuery("""
                        insert into expert_import (id, file_name, content, sha256, total_rows, uploaded_by, uploaded_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, id).setParameter(2, fileName).setParameter(3, content).setParameter(4, Sha256.hex(content))
                .setParameter(5, rows).setParameter(6, admin.id()).setParameter(7, Timestamp.from(now)).executeUpdate();
        audit.record(admin, "EXPERT_IMPORT_UPLOADED", "EXPERT_IMPORT", id, Map.of("fileName", String.valueOf(fileName), "rows", rows));
        return id;
    }

    public boolean exists(UUID importId) {
        return !em.createNativeQuery("select 1 from expert_import where id = ?1").setParameter(1, importId).getResultList().isEmpty();
    }

    /** Remembers the latest execution started for the file, for its progress view. */
    public void attachExecution(UUID importId, long executionId) {
        em.createNativeQuery("update expert_import set last_execution_id = ?2 where id = ?1")
                .setParameter(1, importId).setParameter(2, executionId).executeUpdate();
    }

    /** The file's content, as uploaded. */
    public String content(UUID importId) {
        List<?> rows = em.createNativeQuery("select content from expert_import where id = ?1").setParameter(1, importId).getResultList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no expert import " + importId);
        }
        return (String) rows.get(0);
    }

    /**
     * Records a chunk of checked rows in the caller's (the chunk's) transaction: good rows become applicants unless
     * their email is taken, bad rows are recorded with their reasons. A row that already has a result keeps it.
     */
    public void record(UUID importId, List<? extends Applicant.Checked> rows) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        for (Applicant.Checked row : rows) {
            // A row done before is done the same way again: its check is deterministic, its email now taken, and its
            // first result kept by the (file, line) key.
            if (row instanceof Applicant.Invalid bad) {
                result(importId, bad.line(), bad.email(), Outcome.REJECTED, bad.reason(), null, now);
            } else if (row instanceof Applicant.Valid good) {
                UUID account = create(good.applicant(), importId, now);
                if (account == null) {
                    result(importId, good.line(), good.email(), Outcome.SKIPPED, "email already registered", null, now);
                } else {
                    result(importId, good.line(), good.email(), Outcome.IMPORTED, null, account, now);
                }
            }
        }
    }

    /** Creates the applicant's account, or returns null when the email is registered already (the unique index says so). */
    private UUID create(Applicant a, UUID importId, Instant now) {
        UUID id = UUID.randomUUID();
        int created = em.createNativeQuery("""
                        insert into account (id, email, password_hash, name, role, status, phone, created_at, updated_at, version)
                        values (?1, ?2, ?3, ?4, 'EXPERT', 'ACTIVE', ?5, ?6, ?6, 0) on conflict do nothing""")
                .setParameter(1, id).setParameter(2, a.email()).setParameter(3, hasher.unusableHash()).setParameter(4, a.name())
                .setParameter(5, a.phone()).setParameter(6, Timestamp.from(now)).executeUpdate();
        if (created == 0) {
            return null;
        }
        ledger.accountOf(id, AccountKind.WALLET);
        experts.openApplication(id, now, new ExpertService.ProfileUpdate(a.title(), a.bio(), a.experienceYears(),
                a.specialties(), a.languages(), a.rates()));
        invitations.invite(id, a.name(), now);
        audit.record(null, "EXPERT_IMPORTED", "ACCOUNT", id, Map.of("import", importId.toString(), "line", a.line()));
        return id;
    }

    private void result(UUID importId, int line, String email, Outcome outcome, String reason, UUID account, Instant now) {
        em.createNativeQuery("""
                        insert into expert_import_row (import_id, line, email, outcome, reason, account_id, processed_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict (import_id, line) do nothing""")
                .setParameter(1, importId).setParameter(2, line).setParameter(3, email).setParameter(4, outcome.name())
                .setParameter(5, reason == null ? null : reason.substring(0, Math.min(reason.length(), 2000)))
                .setParameter(6, account).setParameter(7, Timestamp.from(now)).executeUpdate();
    }

    /** Admins: a file's progress and counts (404 for an unknown id). */
    public ImportView view(UUID importId) {
        List<ImportView> found = views(importId, 0, 1);
        if (found.isEmpty()) {
            throw Problems.notFound("import");
        }
        return found.get(0);
    }

    /** Admins: the uploaded files, newest first. */
    public Page<ImportView> list(PageRequest page) {
        long total = ((Number) em.createNativeQuery("select count(*) from expert_import").getSingleResult()).longValue();
        return new Page<>(views(null, page.offset(), page.size()), page.page(), page.size(), total);
    }

    /** One file ({@code importId}) or all, newest first, each with its row counts, in one query. */
    @SuppressWarnings("unchecked")
    private List<ImportView> views(UUID importId, int offset, int limit) {
        List<Object[]> rows = em.createNativeQuery("""
                        select i.id, i.file_name, i.total_rows, i.uploaded_by, i.uploaded_at, i.last_execution_id,
                               count(r.line), count(r.line) filter (where r.outcome = 'IMPORTED'),
                               count(r.line) filter (where r.outcome = 'SKIPPED'), count(r.line) filter (where r.outcome = 'REJECTED')
                        from expert_import i left join expert_import_row r on r.import_id = i.id
                        where cast(?1 as varchar) is null or i.id = cast(cast(?1 as varchar) as uuid)
                        group by i.id order by i.uploaded_at desc, i.id offset ?2 limit ?3""")
                .setParameter(1, importId == null ? null : importId.toString()).setParameter(2, offset).setParameter(3, limit).getResultList();
        return rows.stream().map(r -> {
            int total = ((Number) r[2]).intValue();
            long processed = ((Number) r[6]).longValue();
            return new ImportView((UUID) r[0], (String) r[1], total, processed, ((Number) r[7]).longValue(), ((Number) r[8]).longValue(),
                    ((Number) r[9]).longValue(), processed >= total, (UUID) r[3], Rows.instant(r[4]),
                    r[5] == null ? null : ((Number) r[5]).longValue());
        }).toList();
    }

    /** Admins: a file's row results in line order, optionally of one outcome (404 for an unknown file). */
    @SuppressWarnings("unchecked")
    public Page<RowView> rows(UUID importId, Outcome outcome, PageRequest page) {
        if (!exists(importId)) {
            throw Problems.notFound("import");
        }
        String where = " where import_id = ?1 and (cast(?2 as varchar) is null or outcome = cast(?2 as varchar))";
        String outcomeName = outcome == null ? null : outcome.name();
        var q = em.createNativeQuery("select line, email, outcome, reason, account_id from expert_import_row" + where
                        + " order by line offset ?3 limit ?4").setParameter(1, importId).setParameter(2, outcomeName)
                .setParameter(3, page.offset()).setParameter(4, page.size());
        var c = em.createNativeQuery("select count(*) from expert_import_row" + where).setParameter(1, importId).setParameter(2, outcomeName);
        List<RowView> items = ((List<Object[]>) q.getResultList()).stream().map(r -> new RowView(((Number) r[0]).intValue(),
                (String) r[1], Outcome.valueOf((String) r[2]), (String) r[3], (UUID) r[4])).toList();
        return new Page<>(items, page.page(), page.size(), ((Number) c.getSingleResult()).longValue());
    }


}
