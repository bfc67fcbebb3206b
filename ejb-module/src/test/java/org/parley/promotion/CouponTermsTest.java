package org.parley.promotion;

import org.junit.jupiter.api.Test;
import org.parley.common.DomainException.FieldError;
import org.parley.promotion.CouponTerms.AppliesTo;
import org.parley.promotion.CouponTerms.Kind;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CouponTermsTest {

    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-31T00:00:00Z");

    private static CouponTerms terms(Kind kind, long value, Long cap, long min) {
        return new CouponTerms("WELCOME", kind, value, cap, min, FROM, TO, 5, 1, AppliesTo.ORDERS);
    }

    @Test
    void aPercentDiscountRoundsDownAndStopsAtItsCap() {
        assertEquals(1_234, terms(Kind.PERCENT, 10, null, 0).discountOn(12_347), "1,234.7 rounds down");
        assertEquals(1_000, terms(Kind.PERCENT, 50, 1_000L, 0).discountOn(12_347));
        assertEquals(12_347, terms(Kind.PERCENT, 100, null, 0).discountOn(12_347));
    }

    @Test
    void aFlatDiscountNeverExceedsTheAmount() {
        assertEquals(500, terms(Kind.FLAT, 500, null, 0).discountOn(12_347));
        assertEquals(12_347, terms(Kind.FLAT, 50_000, null, 0).discountOn(12_347));
        assertEquals(300, terms(Kind.FLAT, 50_000, 300L, 0).discountOn(12_347), "a cap applies to flat coupons too");
    }

    @Test
    void refusalsNameTheirReason() {
        CouponTerms t = terms(Kind.FLAT, 500, null, 10_000);
        Instant inside = Instant.parse("2026-12-10T00:00:00Z");
        assertNull(t.refusal(true, 10_000, AppliesTo.ORDERS, inside));
        assertEquals("below-minimum", t.refusal(true, 9_999, AppliesTo.ORDERS, inside));
        assertEquals("coupon-expired", t.refusal(true, 10_000, AppliesTo.ORDERS, TO));
        assertEquals("coupon-expired", t.refusal(true, 10_000, AppliesTo.ORDERS, FROM.minusSeconds(1)));
        assertNull(t.refusal(true, 10_000, AppliesTo.ORDERS, FROM), "valid from its first instant");
        assertEquals("coupon-inactive", t.refusal(false, 10_000, AppliesTo.ORDERS, inside));
        assertEquals("coupon-inactive", t.refusal(true, 10_000, AppliesTo.DEPOSITS, inside), "an ORDERS coupon is no deposit coupon");
    }

    @Test
    void termsThatMakeNoSenseAreRefusedFieldByField() {
        CouponTerms bad = new CouponTerms("a b", Kind.PERCENT, 150, 0L, -1, TO, FROM, 0, 0, null);
        assertEquals(List.of("appliesTo", "code", "maxDiscount", "minAmount", "perUserLimit", "totalLimit", "validTo", "value"),
                bad.problems().stream().map(FieldError::field).sorted().toList());
        assertEquals(List.of(), terms(Kind.FLAT, 1, null, 0).problems());
        assertEquals("WELCOME10", CouponTerms.normalise(" welcome10 "));
    }
}
