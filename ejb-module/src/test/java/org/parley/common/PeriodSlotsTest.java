package org.parley.common;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PeriodSlotsTest {

    @Test
    void slotsBelowAMinuteFireOnTheirSecondsAndSlotsOfMinutesOnTheirMinutes() {
        var fiveSeconds = PeriodSlots.every(5);
        assertEquals("*/5", fiveSeconds.getSecond());
        assertEquals("*", fiveSeconds.getMinute());
        var fiveMinutes = PeriodSlots.every(300);
        assertEquals("0", fiveMinutes.getSecond());
        assertEquals("*/5", fiveMinutes.getMinute());
        assertEquals("*/1", PeriodSlots.every(60).getMinute());
    }

    @Test
    void aSlotThatDoesNotDivideTheHourEvenlyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PeriodSlots.every(7));
        assertThrows(IllegalArgumentException.class, () -> PeriodSlots.every(90));
        assertThrows(IllegalArgumentException.class, () -> PeriodSlots.every(0));
    }

    @Test
    void anInstantFallsInTheSlotThatStartedAtOrBeforeIt() {
        assertEquals(Instant.parse("2026-12-02T07:05:00Z"), PeriodSlots.slotOf(Instant.parse("2026-12-02T07:09:59.999Z"), 300));
        assertEquals(Instant.parse("2026-12-02T07:10:00Z"), PeriodSlots.slotOf(Instant.parse("2026-12-02T07:10:00Z"), 300));
        assertEquals(Instant.parse("2026-12-02T07:10:02Z"), PeriodSlots.slotOf(Instant.parse("2026-12-02T07:10:03.5Z"), 2));
    }
}
