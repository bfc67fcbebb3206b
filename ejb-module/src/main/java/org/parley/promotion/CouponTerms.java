package org.parley.promotion;

import org.parley.common.DomainException.FieldError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a coupon promises, and the arithmetic of its discount: a PERCENT coupon takes {@code value} percent of the
 * amount, rounded down to the paisa and capped at {@code maxDiscount}; a FLAT one takes {@code value} paise; neither
 * ever more than the amount itself. Pure, so its rules are tested without a server.
 */
public record CouponTerms(String code, Kind kind, long value, Long maxDiscount, long minAmount, Instant validFrom, Instant validTo,
                          Integer totalLimit, int perUserLimit, AppliesTo appliesTo) {

    public enum Kind { PERCENT, FLAT }

    public enum AppliesTo { ORDERS, DEPOSITS }

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{3,40}");

    /** The field errors of a coupon an admin asks for (empty when it makes sense). */
    public List<FieldError> problems() {
        List<FieldError> errors = new ArrayList<>();
        if (code == null || !CODE.matcher(code).matches()) {
            errors.add(new FieldError("code", "3 to 40 letters, digits, '-' or '_'"));
        }
        if (kind == null) {
            errors.add(new FieldError("kind", "PERCENT or FLAT"));
        }
        if (value < 1 || (kind == Kind.PERCENT && value > 100)) {
            errors.add(new FieldError("value", kind == Kind.PERCENT ? "a percentage from 1 to 100" : "at least 1 paisa"));
        }
        if (maxDiscount != null && maxDiscount < 1) {
            errors.add(new FieldError("maxDiscount", "at least 1 paisa"));
        }
        if (minAmount < 0) {
            errors.add(new FieldError("minAmount", "0 or more"));
        }
        if (validFrom == null) {
            errors.add(new FieldError("validFrom", "is required"));
        }
        if (validTo == null) {
            errors.add(new FieldError("validTo", "is required"));
        } else if (validFrom != null && !validTo.isAfter(validFrom)) {
            errors.add(new FieldError("validTo", "must be after validFrom"));
        }
        if (totalLimit != null && totalLimit < 1) {
            errors.add(new FieldError("totalLimit", "at least 1 (leave it out for no limit)"));
        }
        if (perUserLimit < 1) {
            errors.add(new FieldError("perUserLimit", "at least 1"));
        }
        if (appliesTo == null) {
            errors.add(new FieldError("appliesTo", "ORDERS or DEPOSITS"));
        }
        return errors;
    }

    /** The discount on {@code amount}, ignoring the minimum (see {@link #refusal}): never more than the amount. */
    public long discountOn(long amount) {
        long d = kind == Kind.PERCENT ? Math.multiplyExact(amount, value) / 100 : value;
        if (maxDiscount != null) {
            d = Math.min(d, maxDiscount);
        }
        return Math.max(0, Math.min(d, amount));
    }

    /**
     * Why this coupon cannot discount {@code amount} of {@code target} at {@code now} (the problem slug), or null. The
     * limits are not judged here: they are the database's.
     */
    public String refusal(boolean active, long amount, AppliesTo target, Instant now) {
        if (!active || target != appliesTo) {
            return "coupon-inactive";
        }
        if (now.isBefore(validFrom) || !now.isBefore(validTo)) {
            return "coupon-expired";
        }
        if (amount < minAmount) {
            return "below-minimum";
        }
        return null;
    }

    public static String normalise(String code) {
        return code == null ? null : code.strip().toUpperCase(Locale.ROOT);
    }
}
