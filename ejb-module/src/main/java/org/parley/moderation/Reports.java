package org.parley.moderation;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.Sql;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.notify.Notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reports on sessions, people and single chat lines, made only by someone who took part: the reporter must be a
 * participant of the session (or of the line's session), or must have had a session with the person. Nobody reports
 * themselves (a check constraint backs the rule); one report per reporter and target stands open at a time (a partial
 * unique index decides it under any concurrency). Admins work the queue, most-reported targets first; the reporter
 * hears the outcome, never the action taken.
 */
@Stateless
public class Reports {

    static final Set<String> TARGETS = Set.of("SESSION", "USER", "EXPERT", "MESSAGE");
    static final Set<String> CATEGORIES = Set.of("HARASSMENT", "SPAM", "FRAUD", "INAPPROPRIATE", "OTHER");
    private static final String COLUMNS = "r.id, r.status, r.target_type, r.target_id, r.reporter_id, r.subject_id, r.reason, r.category,"
            + " r.resolution, r.created_at, r.updated_at";

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private AuditLog audit;
    @Inject
    private Notifications notifications;
    @Inject
    private Clock clock;

    /** A report as its reporter sees it; admins also get the person it is about and how many people reported the target. */
    public record ReportView(UUID id, String status, String targetType, String targetId, UUID reporterId, UUID subjectId, String reason,
                             String category, String resolution, Instant createdAt, Instant updatedAt, Long reportCount) {
    }

    public ReportView create(Caller reporter, String targetType, String targetId, String reason, String category) {
        List<FieldError> errors = new ArrayList<>();
        if (targetType == null || !TARGETS.contains(targetType)) {
            errors.add(new FieldError("targetType", "one of " + String.join(", ", TARGETS.stream().sorted().toList())));
        }
        if (category != null && !CATEGORIES.contains(category)) {
            errors.add(new FieldError("category", "one of " + String.join(", ", CATEGORIES.stream().sorted().toList())));
        }
        if (!errors.isEmpty()) {
            throw Problems.badRequest("the report is malformed", errors);
        }
        UUID subject = subjectOf(reporter, targetType, targetId);
        if (subject.equals(reporter.id())) {
            throw Problems.rule("self-report", "you cannot report yourself");
        }
        UUID id = UUID.randomUUID();
        Instant now = now();
        try {
            em.createNativeQuery("""
                            insert into report (id, reporter_id, target_type, target_id, subject_id, reason, category, status, created_at, updated_at)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'OPEN', ?8, ?8)""")
                    .setParameter(1, id).setParameter(2, reporter.id()).setParameter(3, targetType).setParameter(4, targetId.trim())
                    .setParameter(5, subject).setParameter(6, reason).setParameter(7, category).setParameter(8, Timestamp.from(now))
                    .executeUpdate();
        } catch (PersistenceException e) {
            if (Sql.isUniqueViolation(e, "report_open_once_uk")) {
                throw Problems.conflict("duplicate-report", "you already have an open report on this " + targetType.toLowerCase());
            }
            throw e;
        }
        audit.record(reporter, "REPORT_CREATED", "REPORT", id, Map.of("targetType", targetType, "targetId", targetId.trim()));
        return find(id, false);
    }

    /**
     * Who {@code targetId} of {@code type} is about, if the reporter took part (a participant of the session, or of the
     * line's session, or someone who had a session with the person); 404 otherwise, as if it did not exist.
     */
    private UUID subjectOf(Caller reporter, String type, String targetId) {
        String id = targetId == null ? "" : targetId.trim();
        switch (type) {
            case "SESSION" -> {
                Object[] s = session(reporter, uuid(id, "targetId"));
                return reporter.id().equals(s[0]) ? (UUID) s[1] : (UUID) s[0];
            }
            case "MESSAGE" -> {
                MessageRef ref = MessageRef.parse(id, "targetId");
                session(reporter, ref.sessionId());
                List<?> sender = em.createNativeQuery("select sender_id from chat_message where session_id = ?1 and seq = ?2")
                        .setParameter(1, ref.sessionId()).setParameter(2, ref.seq()).getResultList();
                if (sender.isEmpty()) {
                    throw Problems.notFound("message");
                }
                return (UUID) sender.get(0);
            }
            default -> {
                UUID person = uuid(id, "targetId");
                List<?> role = em.createNativeQuery("select role from account where id = ?1").setParameter(1, person).getResultList();
                if (role.isEmpty() || !type.equals(role.get(0))) {
                    throw Problems.notFound(type.toLowerCase());
                }
                if (person.equals(reporter.id())) {
                    return person;
                }
                long met = ((Number) em.createNativeQuery("""
                                select count(*) from live_session where (user_id = ?1 and expert_id = ?2) or (user_id = ?2 and expert_id = ?1)""")
                        .setParameter(1, reporter.id()).setParameter(2, person).getSingleResult()).longValue();
                if (met == 0) {
                    throw Problems.notFound(type.toLowerCase());
                }
                return person;
            }
        }
    }

    /** (user, expert) of a session the caller took part in; 404 otherwise. */
    private Object[] session(Caller caller, UUID sessionId) {
        List<?> rows = em.createNativeQuery("select user_id, expert_id from live_session where id = ?1 and (user_id = ?2 or expert_id = ?2)")
                .setParameter(1, sessionId).setParameter(2, caller.id()).getResultList();
        if (rows.isEmpty()) {
            throw Problems.notFound("session");
        }
        return (Object[]) rows.get(0);
    }

    /** The caller's own reports, newest first. */
    @SuppressWarnings("unchecked")
    public Page<ReportView> mine(Caller caller, PageRequest page) {
        List<Object[]> rows = em.createNativeQuery("select " + COLUMNS + " from report r where r.reporter_id = ?1 order by r.created_at desc, r.id")
                .setParameter(1, caller.id()).setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        long total = ((Number) em.createNativeQuery("select count(*) from report where reporter_id = ?1").setParameter(1, caller.id())
                .getSingleResult()).longValue();
        return new Page<>(rows.stream().map(r -> view(r, null, false)).toList(), page.page(), page.size(), total);
    }

    /** The admins' queue: by how many distinct people reported the target (most first), then oldest first. */
    @SuppressWarnings("unchecked")
    public Page<ReportView> queue(String status, String targetType, String targetId, PageRequest page) {
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (status != null) {
            where.append(" and r.status = :status");
            params.put("status", status);
        }
        if (targetType != null) {
            where.append(" and r.target_type = :targetType");
            params.put("targetType", targetType);
        }
        if (targetId != null) {
            where.append(" and r.target_id = :targetId");
            params.put("targetId", targetId);
        }
        var q = em.createNativeQuery("select " + COLUMNS + ", c.n from report r join (select target_type, target_id, count(distinct reporter_id) as n"
                + " from report group by target_type, target_id) c on c.target_type = r.target_type and c.target_id = r.target_id" + where
                + " order by c.n desc, r.created_at, r.id");
        var count = em.createNativeQuery("select count(*) from report r" + where);
        params.forEach((k, v) -> {
            q.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<Object[]> rows = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        return new Page<>(rows.stream().map(r -> view(r, ((Number) r[11]).longValue(), true)).toList(), page.page(), page.size(),
                ((Number) count.getSingleResult()).longValue());
    }

    /**
     * An admin moves a report: OPEN → UNDER_REVIEW → ACTION_TAKEN | DISMISSED (final); anything else is 409. The
     * reporter is told the outcome (in-app) when it is decided.
     */
    public ReportView move(Caller admin, UUID id, String to, String resolution) {
        List<?> rows = em.createNativeQuery("select status, reporter_id from report where id = ?1 for update").setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            throw Problems.notFound("report");
        }
        Object[] r = (Object[]) rows.get(0);
        String from = (String) r[0];
        boolean legal = ("OPEN".equals(from) && "UNDER_REVIEW".equals(to))
                || ("UNDER_REVIEW".equals(from) && ("ACTION_TAKEN".equals(to) || "DISMISSED".equals(to)));
        if (!legal) {
            throw Problems.conflict("illegal-report-transition", "a report moves OPEN → UNDER_REVIEW → ACTION_TAKEN | DISMISSED; not "
                    + from + " → " + to);
        }
        em.createNativeQuery("update report set status = ?2, resolution = coalesce(?3, resolution), decided_by = ?4, updated_at = ?5 where id = ?1")
                .setParameter(1, id).setParameter(2, to).setParameter(3, resolution).setParameter(4, admin.id())
                .setParameter(5, Timestamp.from(now())).executeUpdate();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("from", from);
        metadata.put("to", to);
        if (resolution != null) {
            metadata.put("resolution", resolution);
        }
        audit.record(admin, "REPORT_" + to, "REPORT", id, metadata);
        if (!"UNDER_REVIEW".equals(to)) {
            boolean acted = "ACTION_TAKEN".equals(to);
            notifications.notify((UUID) r[1], Notifications.Channel.IN_APP, "report-outcome", "Your report was reviewed",
                    acted ? "Thank you: we reviewed your report and acted on it under our community rules."
                            : "Thank you: we reviewed your report and found no breach of our community rules.",
                    "report-outcome:" + id);
        }
        return find(id, true);
    }

    /** That a report exists (for an action that names it); 404 otherwise. */
    public void requireExists(UUID id) {
        if (em.createNativeQuery("select 1 from report where id = ?1").setParameter(1, id).getResultList().isEmpty()) {
            throw Problems.notFound("report");
        }
    }

    private ReportView find(UUID id, boolean forAdmin) {
        Object[] r = (Object[]) em.createNativeQuery("select " + COLUMNS + " from report r where r.id = ?1").setParameter(1, id).getSingleResult();
        return view(r, null, forAdmin);
    }

    private static ReportView view(Object[] r, Long count, boolean forAdmin) {
        return new ReportView((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (UUID) r[4], forAdmin ? (UUID) r[5] : null,
                (String) r[6], (String) r[7], (String) r[8], Rows.instant(r[9]), Rows.instant(r[10]), count);
    }

    static UUID uuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(field + " must be a UUID", List.of(new FieldError(field, "a UUID")));
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
