package org.parley.audit;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import org.parley.common.Json;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.identity.Caller;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes and reads the audit trail. {@link #record} joins the caller's transaction, so an action and its audit
 * entry commit or vanish together; appends are serialised on the chain's head row so seq and prev_hash are exact.
 */
@Stateless
public class AuditLog {

    private static final int VERIFY_BATCH = 1000;

    @PersistenceContext(unitName = "parley")
    private EntityManager em;

    @Inject
    private Clock clock;

    /** Appends one entry by {@code actor} (null for the system itself). */
    public void record(Caller actor, String action, String entityType, Object entityId, Map<String, ?> metadata) {
        Object[] head = (Object[]) em.createNativeQuery(
                "select last_seq, last_hash from audit_chain_head where id = 1 for update").getSingleResult();
        long seq = ((Number) head[0]).longValue() + 1;
        AuditEntry entry = new AuditEntry(seq, clock.instant().truncatedTo(ChronoUnit.MICROS),
                actor == null ? null : actor.id(), actor == null ? "SYSTEM" : actor.role().name(),
                action, entityType, entityId == null ? null : entityId.toString(), Json.canonical(metadata),
                ((String) head[1]).trim());
        em.persist(entry);
        em.createNativeQuery("update audit_chain_head set last_seq = ?1, last_hash = ?2 where id = 1")
                .setParameter(1, seq).setParameter(2, entry.hash()).executeUpdate();
    }

    /** Filters for {@link #search}; every field optional. */
    public record Filter(UUID actorId, String action, String entityType, String entityId, Instant from, Instant to) {
    }

    public Page<AuditEntry> search(Filter f, PageRequest page) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        condition(where, params, "e.actorId = :actorId", "actorId", f.actorId());
        condition(where, params, "e.action = :action", "action", f.action());
        condition(where, params, "e.entityType = :entityType", "entityType", f.entityType());
        condition(where, params, "e.entityId = :entityId", "entityId", f.entityId());
        condition(where, params, "e.at >= :from", "from", f.from());
        condition(where, params, "e.at < :to", "to", f.to());
        TypedQuery<AuditEntry> q = em.createQuery("select e from AuditEntry e" + where + " order by e.seq desc", AuditEntry.class);
        TypedQuery<Long> count = em.createQuery("select count(e) from AuditEntry e" + where, Long.class);
        params.forEach((k, v) -> {
            q.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<AuditEntry> items = q.setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        return new Page<>(items, page.page(), page.size(), count.getSingleResult());
    }

    private static void condition(StringBuilder where, Map<String, Object> params, String clause, String name, Object value) {
        if (value != null) {
            where.append(" and ").append(clause);
            params.put(name, value);
        }
    }

    /** The result of walking the whole chain. */
    public record Verification(boolean intact, long entries, Long firstBrokenSeq) {
    }

    /**
     * Recomputes every hash in order up to the head as it stands now (appends that commit meanwhile are left for
     * the next check); the first entry that does not follow its predecessor breaks the chain.
     */
    public Verification verify() {
        Object[] head = (Object[]) em.createNativeQuery("select last_seq, last_hash from audit_chain_head where id = 1").getSingleResult();
        long headSeq = ((Number) head[0]).longValue();
        String headHash = ((String) head[1]).trim();
        long previousSeq = 0;
        String previousHash = AuditChain.GENESIS;
        while (previousSeq < headSeq) {
            List<AuditEntry> batch = em.createQuery(
                            "select e from AuditEntry e where e.seq > :after and e.seq <= :head order by e.seq", AuditEntry.class)
                    .setParameter("after", previousSeq).setParameter("head", headSeq)
                    .setMaxResults(VERIFY_BATCH).getResultList();
            if (batch.isEmpty()) {
                break;
            }
            for (AuditEntry e : batch) {
                if (!AuditChain.follows(e, previousSeq, previousHash)) {
                    return new Verification(false, previousSeq, e.seq());
                }
                previousSeq = e.seq();
                previousHash = e.hash();
            }
            em.clear();
        }
        boolean intact = previousSeq == headSeq && previousHash.equals(headHash);
        return new Verification(intact, previousSeq, intact ? null : previousSeq + 1);
    }
}
