package org.parley.settings;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;
import org.parley.identity.Caller;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runtime platform settings, stored in the database so every node reads the same values and a change applies
 * at once. Changes are validated as a whole (range of each, consistency between them) and audited.
 */
@Stateless
public class PlatformSettings {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;

    @Inject
    private AuditLog audit;

    @Inject
    private Clock clock;

    /** All settings by key, in their documented order. */
    public Map<String, Long> all() {
        Map<Setting, Long> values = load();
        Map<String, Long> out = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            out.put(s.key(), values.get(s));
        }
        return out;
    }

    public long get(Setting setting) {
        List<?> rows = em.createNativeQuery("select value from platform_setting where key = ?1")
                .setParameter(1, setting.key()).getResultList();
        return rows.isEmpty() ? setting.defaultValue() : ((Number) rows.get(0)).longValue();
    }

    /** The platform's share of {@code amount}: feePercent, rounded half up; the expert gets exactly the rest. */
    public long feeOf(long amount) {
        return (amount * get(Setting.FEE_PERCENT) + 50) / 100;
    }

    /** Refuses (422 {@code amount-out-of-range}) an amount outside the configured [min, max] for {@code what}. */
    public void requireWithin(Setting min, Setting max, long amount, String what) {
        long low = get(min);
        long high = get(max);
        if (amount < low || amount > high) {
            throw Problems.rule("amount-out-of-range", what + " must be between " + low + " and " + high + " paise");
        }
    }

    /**
     * Applies {@code changes} (key to new value) atomically: unknown keys are a malformed request (400); values out
     * of range or inconsistent with each other (min above max) are refused (422) and nothing changes.
     */
    public Map<String, Long> update(Map<String, Long> changes, Caller admin) {
        List<FieldError> unknown = new ArrayList<>();
        Map<Setting, Long> parsed = new EnumMap<>(Setting.class);
        changes.forEach((key, value) -> Setting.byKey(key).ifPresentOrElse(
                s -> parsed.put(s, value),
                () -> unknown.add(new FieldError(key, "unknown setting"))));
        if (!unknown.isEmpty()) {
            throw Problems.badRequest("unknown settings", unknown);
        }
        if (parsed.isEmpty()) {
            throw Problems.badRequest("no settings to change", List.of());
        }
        // Lock all rows in key order: concurrent updates serialise and the cross-checks see committed values.
        em.createNativeQuery("select key from platform_setting order by key for update").getResultList();
        Map<Setting, Long> merged = load();
        Map<String, Object> before = new LinkedHashMap<>();
        parsed.forEach((s, v) -> {
            before.put(s.key(), merged.get(s));
            merged.put(s, v);
        });
        validate(parsed, merged);
        parsed.forEach((s, v) -> em.createNativeQuery(
                        "update platform_setting set value = ?1, updated_at = ?2 where key = ?3")
                .setParameter(1, v).setParameter(2, clock.instant()).setParameter(3, s.key()).executeUpdate());
        Map<String, Object> after = new LinkedHashMap<>();
        parsed.forEach((s, v) -> after.put(s.key(), v));
        audit.record(admin, "CONFIG_UPDATED", "CONFIG", "platform", Map.of("before", before, "after", after));
        return all();
    }

    private static void validate(Map<Setting, Long> changed, Map<Setting, Long> merged) {
        List<FieldError> errors = new ArrayList<>();
        changed.forEach((s, v) -> {
            if (v == null) {
                errors.add(new FieldError(s.key(), "must not be null"));
            } else if (!s.accepts(v)) {
                errors.add(new FieldError(s.key(), "must be between " + s.min() + " and " + s.max()));
            }
        });
        if (errors.isEmpty()) {
            orderOf(merged, Setting.DEPOSIT_MIN, Setting.DEPOSIT_MAX, errors);
            orderOf(merged, Setting.PAYOUT_MIN, Setting.PAYOUT_MAX, errors);
        }
        if (!errors.isEmpty()) {
            throw Problems.rule("invalid-config", "the settings were refused; nothing was changed", errors);
        }
    }

    private static void orderOf(Map<Setting, Long> values, Setting min, Setting max, List<FieldError> errors) {
        if (values.get(min) > values.get(max)) {
            errors.add(new FieldError(min.key(), "must not exceed " + max.key() + " (" + values.get(max) + ")"));
        }
    }

    private Map<Setting, Long> load() {
        Map<Setting, Long> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            values.put(s, s.defaultValue());
        }
        List<?> rows = em.createNativeQuery("select key, value from platform_setting").getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            Setting.byKey((String) r[0]).ifPresent(s -> values.put(s, ((Number) r[1]).longValue()));
        }
        return values;
    }
}
