package org.parley.common;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PeriodClaimsTest {

    @Test
    void slotsBelowAMinuteFireOnTheirSecondsAndSlotsOfMinutesOnTheirMinutes() {
        var fiveSeconds = PeriodClaims.every(5);
        assertEquals("*/5", fiveSeconds.getSecond());
        assertEquals("*", fiveSeconds.getMinute());
        var fiveMinutes = PeriodClaims.every(300);
        assertEquals("0", fiveMinutes.getSecond());
        assertEquals("*/5", fiveMinutes.getMinute());
        assertEquals("*/1", PeriodClaims.every(60).getMinute());
    }

    @Test
    void aSlotThatDoesNotDivideTheHourEvenlyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PeriodClaims.every(7));
        assertThrows(IllegalArgumentException.class, () -> PeriodClaims.every(90));
        assertThrows(IllegalArgumentException.class, () -> PeriodClaims.every(0));
    }

    @Test
    void anInstantFallsInTheSlotThatStartedAtOrBeforeIt() {
        assertEquals(Instant.parse("2026-12-02T07:05:00Z"), PeriodClaims.slotOf(Instant.parse("2026-12-02T07:09:59.999Z"), 300));
        assertEquals(Instant.parse("2026-12-02T07:10:00Z"), PeriodClaims.slotOf(Instant.parse("2026-12-02T07:10:00Z"), 300));
        assertEquals(Instant.parse("2026-12-02T07:10:02Z"), PeriodClaims.slotOf(Instant.parse("2026-12-02T07:10:03.5Z"), 2));
    }
}
