package org.parley.expert;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import org.parley.audit.AuditLog;
import org.parley.common.Channel;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.ledger.AccountKind;
import org.parley.ledger.Ledger;
import org.parley.live.LiveEvents;
import org.parley.live.Presence;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/** Expert onboarding, the expert's own profile and presence, and the public directory. */
@Stateless
public class ExpertService {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private org.parley.training.Training training;
    @Inject
    private AuditLog audit;
    @Inject
    private Ledger ledger;
    @Inject
    private Clock clock;
    @Inject
    private LiveEvents events;

    /** Opens an application (APPLIED) for a newly registered expert account. */
    public ExpertStatus openApplication(UUID accountId, Instant now) {
        em.persist(new ExpertProfile(accountId, now));
        ledger.accountOf(accountId, AccountKind.EARNINGS_PENDING);
        ledger.accountOf(accountId, AccountKind.EARNINGS_AVAILABLE);
        return ExpertStatus.APPLIED;
    }

    /** Opens an application (APPLIED) with a profile filled in by someone else (an import) for a new expert account. */
    public void openApplication(UUID accountId, Instant now, ProfileUpdate profile) {
        openApplication(accountId, now);
        ExpertProfile p = em.find(ExpertProfile.class, accountId);
        p.updatePublicProfile(profile.title(), profile.bio(), profile.experienceYears(), normalise(profile.specialties()),
                normalise(profile.languages()), profile.rates() == null ? Map.of() : profile.rates());
    }

    /** Opens an application unless the account already has one (an admin made it an EXPERT). */
    public void ensureApplication(UUID accountId, Instant now) {
        if (em.find(ExpertProfile.class, accountId) == null) {
            openApplication(accountId, now);
        }
    }

    /** Onboarding status of each of {@code accountIds} that has an expert profile. */
    public Map<UUID, ExpertStatus> statuses(List<UUID> accountIds) {
        if (accountIds.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("select p.accountId, p.status from ExpertProfile p where p.accountId in :ids", Object[].class)
                .setParameter("ids", accountIds).getResultStream()
                .collect(Collectors.toMap(r -> (UUID) r[0], r -> (ExpertStatus) r[1]));
    }

    /** What an expert may set on their own profile; status, rating and presence are not among them. */
    public record ProfileUpdate(String title, String bio, Integer experienceYears, Set<String> specialties,
                                Set<String> languages, Map<Channel, Long> rates) {
    }

    public ExpertViews.Own own(Caller caller) {
        return ExpertViews.Own.of(load(caller.id()));
    }

    /** Replaces the caller's public profile (allowed at every onboarding step, so applicants can complete it). */
    public ExpertViews.Own updateOwn(Caller caller, ProfileUpdate u) {
        ExpertProfile p = load(caller.id());
        p.updatePublicProfile(u.title(), u.bio(), u.experienceYears(), normalise(u.specialties()),
                normalise(u.languages()), u.rates() == null ? Map.of() : u.rates());
        em.flush();
        em.refresh(p);
        return ExpertViews.Own.of(p);
    }

    /** Takes an expert offline (deactivation, suspension, role change); no-op for non-experts. */
    public void forceOffline(UUID accountId) {
        int changed = em.createQuery("update ExpertProfile p set p.online = false where p.accountId = :id and p.online = true")
                .setParameter("id", accountId).executeUpdate();
        if (changed > 0) {
            events.publishToAll(Presence.offlineFrame(accountId));
        }
    }

    /** Directory filters; all optional. {@code sort} is rating (default), rate or popularity. */
    public record DirectoryQuery(String specialty, String language, Boolean online, BigDecimal minRating,
                                 Long maxRate, String q, String sort) {
    }

    private static final Map<String, String> SORTS = Map.of(
            "rating", "p.rating desc, p.reviewCount desc",
            "rate", "p.minRate asc nulls last",
            "popularity", "p.sessionsCompleted desc, p.rating desc");

    /** Approved experts with active accounts that match every given filter. */
    public Page<ExpertViews.Card> directory(DirectoryQuery f, PageRequest page) {
        String sort = f.sort() == null ? "rating" : f.sort();
        if (!SORTS.containsKey(sort)) {
            throw Problems.badRequest("unknown sort", List.of(new org.parley.common.DomainException.FieldError(
                    "sort", "must be one of rating, rate, popularity")));
        }
        StringBuilder where = new StringBuilder(" where p.status = :approved and a.status = :active");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("approved", ExpertStatus.APPROVED);
        params.put("active", org.parley.identity.AccountStatus.ACTIVE);
        if (f.specialty() != null && !f.specialty().isBlank()) {
            where.append(" and :specialty member of p.specialties");
            params.put("specialty", f.specialty().trim().toLowerCase(Locale.ROOT));
        }
        if (f.language() != null && !f.language().isBlank()) {
            where.append(" and :language member of p.languages");
            params.put("language", f.language().trim().toLowerCase(Locale.ROOT));
        }
        if (f.online() != null) {
            where.append(" and p.online = :online");
            params.put("online", f.online());
        }
        if (f.minRating() != null) {
            where.append(" and p.rating >= :minRating");
            params.put("minRating", f.minRating());
        }
        if (f.maxRate() != null) {
            where.append(" and p.minRate <= :maxRate");
            params.put("maxRate", f.maxRate());
        }
        if (f.q() != null && !f.q().isBlank()) {
            where.append(" and (lower(a.name) like :q or lower(p.title) like :q or lower(p.bio) like :q)");
            params.put("q", org.parley.common.Sql.containsPattern(f.q()));
        }
        TypedQuery<ExpertProfile> q = em.createQuery("select p from ExpertProfile p join fetch p.account a" + where
                + " order by " + SORTS.get(sort) + ", p.accountId", ExpertProfile.class);
        TypedQuery<Long> count = em.createQuery("select count(p) from ExpertProfile p join p.account a" + where, Long.class);
        params.forEach((k, v) -> {
            q.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<ExpertViews.Card> items = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultStream()
                .map(ExpertViews.Card::of).toList();
        return new Page<>(items, page.page(), page.size(), count.getSingleResult());
    }

    /** The public profile of an approved, active expert; anyone else is 404. */
    public ExpertViews.Card publicProfile(UUID id) {
        ExpertProfile p = em.find(ExpertProfile.class, id);
        if (p == null || p.status() != ExpertStatus.APPROVED || !p.account().isActive()) {
            throw Problems.notFound("expert");
        }
        return ExpertViews.Card.of(p);
    }

    /** One review as the public sees it. */
    public record Review(UUID sessionId, int rating, String comment, Instant createdAt) {
    }

    /** The reviews of an approved, active expert, newest first; anyone else is 404. */
    public Page<Review> reviews(UUID expertId, PageRequest page) {
        publicProfile(expertId);
        List<Review> items = em.createNativeQuery("select session_id, rating, comment, created_at from session_review"
                        + " where expert_id = ?1 order by created_at desc, session_id desc")
                .setParameter(1, expertId).setFirstResult(page.offset()).setMaxResults(page.size()).getResultStream()
                .map(o -> {
                    Object[] r = (Object[]) o;
                    return new Review((UUID) r[0], ((Number) r[1]).intValue(), (String) r[2], Rows.instant(r[3]));
                }).toList();
        long total = ((Number) em.createNativeQuery("select count(*) from session_review where expert_id = ?1")
                .setParameter(1, expertId).getSingleResult()).longValue();
        return new Page<>(items, page.page(), page.size(), total);
    }

    /** Admins: applications, optionally in one status, oldest change first (the review queue). */
    public Page<ExpertViews.Application> applications(ExpertStatus status, PageRequest page) {
        String where = " where (:status is null or p.status = :status)";
        List<ExpertViews.Application> items = em.createQuery("select p from ExpertProfile p join fetch p.account a" + where
                        + " order by p.statusChangedAt, p.accountId", ExpertProfile.class)
                .setParameter("status", status).setFirstResult(page.offset()).setMaxResults(page.size())
                .getResultStream().map(ExpertViews.Application::of).toList();
        long total = em.createQuery("select count(p) from ExpertProfile p" + where, Long.class)
                .setParameter("status", status).getSingleResult();
        return new Page<>(items, page.page(), page.size(), total);
    }

    /**
     * Moves an application one step along the pipeline (or to REJECTED, which needs a reason: 422 without).
     * An illegal move, or a move that lost a race with another admin's, is 409; every move is audited.
     */
    public ExpertViews.Application move(UUID expertId, ExpertStatus target, String note, String reason, Caller admin) {
        ExpertProfile p = em.find(ExpertProfile.class, expertId);
        if (p == null) {
            throw Problems.notFound("expert application");
        }
        if (target == ExpertStatus.REJECTED && (reason == null || reason.isBlank())) {
            throw Problems.rule("reason-required", "rejecting an application needs a reason");
        }
        ExpertStatus from = p.status();
        if (!from.canMoveTo(target)) {
            throw Problems.conflict("illegal-transition", "an application in " + from + " cannot move to " + target);
        }
        if (target == ExpertStatus.APPROVED) {
            training.requireComplete(expertId);
        }
        int changed = em.createQuery("update ExpertProfile p set p.status = :to, p.rejectionReason = :reason,"
                        + " p.statusChangedAt = :now, p.version = p.version + 1 where p.accountId = :id and p.status = :from")
                .setParameter("to", target).setParameter("reason", target == ExpertStatus.REJECTED ? reason.trim() : null)
                .setParameter("now", clock.instant()).setParameter("id", expertId).setParameter("from", from)
                .executeUpdate();
        if (changed == 0) {
            throw Problems.conflict("illegal-transition", "the application changed meanwhile; reload and retry");
        }
        Map<String, Object> meta = new HashMap<>();
        meta.put("from", from.name());
        meta.put("to", target.name());
        if (note != null) {
            meta.put("note", note);
        }
        if (target == ExpertStatus.REJECTED) {
            meta.put("reason", reason.trim());
        }
        audit.record(admin, "EXPERT_STATUS_CHANGED", "EXPERT", expertId, meta);
        em.clear();
        return ExpertViews.Application.of(em.find(ExpertProfile.class, expertId));
    }

    private ExpertProfile load(UUID id) {
        ExpertProfile p = em.find(ExpertProfile.class, id);
        if (p == null) {
            throw Problems.notFound("expert profile");
        }
        return p;
    }

    private static Set<String> normalise(Set<String> values) {
        Set<String> out = new TreeSet<>();
        if (values != null) {
            values.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty()).forEach(out::add);
        }
        return out;
    }
}
