package org.parley.promotion;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.common.Sql;
import org.parley.common.db.Rows;
import org.parley.identity.Caller;
import org.parley.promotion.CouponTerms.AppliesTo;
import org.parley.promotion.CouponTerms.Kind;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Coupons: created by admins, checked by anyone, used by orders and deposits in their own transaction.
 *
 * <p>A use is two conditional statements the database settles under any concurrency: the coupon's counter goes up
 * only while it is below the total limit (a check constraint backs it), and the user's counter row is inserted or goes
 * up only while below the per-user limit copied into it (a check constraint backs that too). Either refusing is 422
 * {@code limit-reached}, and the caller's transaction, with the other counter's change, rolls back. Releasing a use
 * (a cancelled order, a failed deposit) marks its redemption row once and takes both counters down.
 */
@Stateless
public class Coupons {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    /** A coupon as admins see it. */
    public record View(UUID id, String code, Kind kind, long value, Long maxDiscount, long minAmount, Instant validFrom,
                       Instant validTo, Integer totalLimit, int perUserLimit, AppliesTo appliesTo, boolean active, int uses,
                       Instant createdAt) {
    }

    /** What a code gives on an amount. */
    public record Quote(String code, long discount) {
    }

    /** A use taken for an order or a deposit. */
    public record Use(UUID couponId, String code, long discount) {
    }

    public View create(Caller admin, CouponTerms t) {
        List<DomainException.FieldError> problems = t.problems();
        if (!problems.isEmpty()) {
            throw Problems.rule("invalid-coupon", "the coupon does not make sense", problems);
        }
        UUID id = UUID.randomUUID();
        Instant now = now();
        try {
            em.createNativeQuery("""
                            insert into coupon (id, code, kind, value, max_discount, min_amount, valid_from, valid_to, total_limit,
                                                per_user_limit, applies_to, created_by, created_at, updated_at)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)""")
                    .setParameter(1, id).setParameter(2, CouponTerms.normalise(t.code())).setParameter(3, t.kind().name())
                    .setParameter(4, t.value()).setParameter(5, t.maxDiscount()).setParameter(6, t.minAmount())
                    .setParameter(7, Timestamp.from(t.validFrom())).setParameter(8, Timestamp.from(t.validTo()))
                    .setParameter(9, t.totalLimit()).setParameter(10, t.perUserLimit()).setParameter(11, t.appliesTo().name())
                    .setParameter(12, admin.id()).setParameter(13, Timestamp.from(now)).executeUpdate();
        } catch (PersistenceException e) {
            if (Sql.isUniqueViolation(e, "coupon_code_uk")) {
                throw Problems.conflict("duplicate-coupon", "a coupon " + CouponTerms.normalise(t.code()) + " exists already");
            }
            throw e;
        }
        audit.record(admin, "COUPON_CREATED", "COUPON", id, Map.of("code", CouponTerms.normalise(t.code()), "kind", t.kind().name(),
                "value", t.value(), "appliesTo", t.appliesTo().name()));
        return get(id);
    }

    /** Switches a coupon on or off (an inactive coupon is refused, its past uses stand). */
    public View setActive(Caller admin, UUID id, boolean active) {
        int n = em.createNativeQuery("update coupon set active = ?2, updated_at = ?3 where id = ?1")
                .setParameter(1, id).setParameter(2, active).setParameter(3, Timestamp.from(now())).executeUpdate();
        if (n == 0) {
            throw Problems.notFound("coupon");
        }
        audit.record(admin, active ? "COUPON_ACTIVATED" : "COUPON_DEACTIVATED", "COUPON", id, Map.of());
        return get(id);
    }

    public View get(UUID id) {
        List<View> found = select("where id = ?1", Map.of(1, id), 0, 1);
        if (found.isEmpty()) {
            throw Problems.notFound("coupon");
        }
        return found.get(0);
    }

    public Page<View> list(PageRequest page) {
        long total = ((Number) em.createNativeQuery("select count(*) from coupon").getSingleResult()).longValue();
        return new Page<>(select("", Map.of(), page.offset(), page.size()), page.page(), page.size(), total);
    }

    /**
     * What {@code code} would take off {@code amount} of {@code target} for {@code caller} now: 404 for an unknown code,
     * 422 {@code coupon-expired|coupon-inactive|below-minimum|limit-reached}. A read, not a promise: the limits are
     * settled when the coupon is used.
     */
    public Quote quote(Caller caller, String code, long amount, AppliesTo target) {
        Stored c = find(code);
        if (c == null) {
            throw Problems.notFound("coupon");
        }
        long discount = allowed(c, amount, target);
        int mine = ((Number) em.createNativeQuery("select coalesce((select uses from coupon_user where coupon_id = ?1 and account_id = ?2), 0)")
                .setParameter(1, c.id).setParameter(2, caller.id()).getSingleResult()).intValue();
        if ((c.terms.totalLimit() != null && c.uses >= c.terms.totalLimit()) || mine >= c.terms.perUserLimit()) {
            throw limitReached(c, mine >= c.terms.perUserLimit());
        }
        return new Quote(c.terms.code(), discount);
    }

    /**
     * Uses {@code code} for {@code account} on {@code amount} of {@code target} ({@code subjectId} names the order or
     * deposit), in the caller's transaction. An unknown code is 422 {@code unknown-coupon} (with a {@code couponCode}
     * field error); the other refusals as {@link #quote}.
     */
    public Use use(UUID account, String code, long amount, AppliesTo target, UUID subjectId) {
        Stored c = find(code);
        if (c == null) {
            throw Problems.rule("unknown-coupon", "there is no coupon " + CouponTerms.normalise(code),
                    List.of(new DomainException.FieldError("couponCode", "no such coupon")));
        }
        long discount = allowed(c, amount, target);
        if (em.createNativeQuery("update coupon set uses = uses + 1 where id = ?1 and (total_limit is null or uses < total_limit) returning uses")
                .setParameter(1, c.id).getResultList().isEmpty()) {
            throw limitReached(c, false);
        }
        if (em.createNativeQuery("""
                        insert into coupon_user (coupon_id, account_id, uses, user_limit) values (?1, ?2, 1, ?3)
                        on conflict (coupon_id, account_id) do update set uses = coupon_user.uses + 1
                        where coupon_user.uses < coupon_user.user_limit returning uses""")
                .setParameter(1, c.id).setParameter(2, account).setParameter(3, c.terms.perUserLimit()).getResultList().isEmpty()) {
            throw limitReached(c, true);
        }
        em.createNativeQuery("""
                        insert into coupon_redemption (id, coupon_id, account_id, subject_kind, subject_id, base_amount, discount, created_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, c.id).setParameter(3, account)
                .setParameter(4, target == AppliesTo.ORDERS ? "ORDER" : "DEPOSIT").setParameter(5, subjectId)
                .setParameter(6, amount).setParameter(7, discount).setParameter(8, Timestamp.from(now())).executeUpdate();
        return new Use(c.id, c.terms.code(), discount);
    }

    /** Gives the use of {@code subjectId} back (once; nothing if it had none or gave it back already). */
    public boolean release(AppliesTo target, UUID subjectId) {
        List<?> released = em.createNativeQuery("""
                        update coupon_redemption set released_at = ?3 where subject_kind = ?1 and subject_id = ?2 and released_at is null
                        returning coupon_id, account_id""")
                .setParameter(1, target == AppliesTo.ORDERS ? "ORDER" : "DEPOSIT").setParameter(2, subjectId)
                .setParameter(3, Timestamp.from(now())).getResultList();
        if (released.isEmpty()) {
            return false;
        }
        Object[] r = (Object[]) released.get(0);
        em.createNativeQuery("update coupon set uses = uses - 1 where id = ?1").setParameter(1, r[0]).executeUpdate();
        em.createNativeQuery("update coupon_user set uses = uses - 1 where coupon_id = ?1 and account_id = ?2")
                .setParameter(1, r[0]).setParameter(2, r[1]).executeUpdate();
        return true;
    }

    private long allowed(Stored c, long amount, AppliesTo target) {
        if (amount <= 0) {
            throw Problems.rule("invalid-amount", "the amount must be positive");
        }
        String refusal = c.terms.refusal(c.active, amount, target, now());
        if (refusal == null && c.terms.discountOn(amount) == 0) {
            refusal = "below-minimum";
        }
        if (refusal != null) {
            throw Problems.rule(refusal, switch (refusal) {
                case "coupon-inactive" -> c.active ? c.terms.code() + " applies to " + c.terms.appliesTo().name().toLowerCase()
                        : c.terms.code() + " is not active";
                case "coupon-expired" -> c.terms.code() + " is valid from " + c.terms.validFrom() + " until " + c.terms.validTo();
                default -> c.terms.code() + " needs an amount of at least " + Math.max(c.terms.minAmount(), 1) + " paise"
                        + " with something to discount";
            });
        }
        return c.terms.discountOn(amount);
    }

    private static DomainException limitReached(Stored c, boolean perUser) {
        return Problems.rule("limit-reached", perUser ? "you have used " + c.terms.code() + " as often as it allows ("
                + c.terms.perUserLimit() + ")" : c.terms.code() + " has been used as often as it allows");
    }

    private record Stored(UUID id, CouponTerms terms, boolean active, int uses, Instant createdAt) {
    }

    private Stored find(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        List<?> rows = em.createNativeQuery(SELECT + " where upper(code) = ?1").setParameter(1, CouponTerms.normalise(code)).getResultList();
        return rows.isEmpty() ? null : stored((Object[]) rows.get(0));
    }

    private static final String SELECT = """
            select id, code, kind, value, max_discount, min_amount, valid_from, valid_to, total_limit, per_user_limit, applies_to,
                   active, uses, created_at from coupon""";

    private List<View> select(String where, Map<Integer, Object> params, int offset, int limit) {
        var q = em.createNativeQuery(SELECT + " " + where + " order by created_at desc, id");
        params.forEach(q::setParameter);
        return q.setFirstResult(offset).setMaxResults(limit).getResultList().stream().map(r -> {
            Stored s = stored((Object[]) r);
            CouponTerms t = s.terms;
            return new View(s.id, t.code(), t.kind(), t.value(), t.maxDiscount(), t.minAmount(), t.validFrom(), t.validTo(),
                    t.totalLimit(), t.perUserLimit(), t.appliesTo(), s.active, s.uses, s.createdAt);
        }).toList();
    }

    private static Stored stored(Object[] r) {
        CouponTerms t = new CouponTerms((String) r[1], Kind.valueOf((String) r[2]), ((Number) r[3]).longValue(),
                r[4] == null ? null : ((Number) r[4]).longValue(), ((Number) r[5]).longValue(), Rows.instant(r[6]), Rows.instant(r[7]),
                r[8] == null ? null : ((Number) r[8]).intValue(), ((Number) r[9]).intValue(), AppliesTo.valueOf((String) r[10]));
        return new Stored((UUID) r[0], t, (Boolean) r[11], ((Number) r[12]).intValue(), Rows.instant(r[13]));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
