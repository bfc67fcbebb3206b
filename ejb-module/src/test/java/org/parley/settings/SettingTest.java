package org.parley.settings;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingTest {

    @Test
    void defaultsAreTheDocumentedOnesAndWithinTheirRange() {
        assertEquals(20, Setting.FEE_PERCENT.defaultValue());
        assertEquals(1_000_000, Setting.DEPOSIT_MAX.defaultValue());
        assertEquals(60, Setting.BILLING_PERIOD_SECONDS.defaultValue());
        for (Setting s : Setting.values()) {
            assertTrue(s.accepts(s.defaultValue()), s.key());
        }
    }

    @Test
    void rangesRefuseNonsense() {
        assertFalse(Setting.FEE_PERCENT.accepts(-1));
        assertFalse(Setting.FEE_PERCENT.accepts(101));
        assertFalse(Setting.BILLING_PERIOD_SECONDS.accepts(0));
        assertFalse(Setting.EXPERT_CAPACITY.accepts(0));
    }

    @Test
    void keysResolveExactly() {
        assertEquals(Setting.GRACE_SECONDS, Setting.byKey("graceSeconds").orElseThrow());
        assertTrue(Setting.byKey("GRACESECONDS").isEmpty());
    }
}
