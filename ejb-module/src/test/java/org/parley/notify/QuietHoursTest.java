package org.parley.notify;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuietHoursTest {

    private static final QuietHours DAYTIME = new QuietHours(LocalTime.of(10, 0), LocalTime.of(21, 0), QuietHours.INDIA);

    @Test
    void insideTheWindowAMessageGoesNow() {
        Instant noonIst = Instant.parse("2026-12-02T06:30:00Z");
        assertTrue(DAYTIME.allows(noonIst));
        assertEquals(noonIst, DAYTIME.nextAllowed(noonIst));
        assertTrue(DAYTIME.allows(Instant.parse("2026-12-02T04:30:00Z")), "10:00 IST opens it");
        assertFalse(DAYTIME.allows(Instant.parse("2026-12-02T15:30:00Z")), "21:00 IST closes it");
    }

    @Test
    void beforeTheWindowItWaitsForTodaysOpeningAndAfterItForTomorrows() {
        assertEquals(Instant.parse("2026-12-02T04:30:00Z"), DAYTIME.nextAllowed(Instant.parse("2026-12-02T01:00:00Z")), "06:30 IST → 10:00 IST");
        assertEquals(Instant.parse("2026-12-03T04:30:00Z"), DAYTIME.nextAllowed(Instant.parse("2026-12-02T16:00:00Z")), "21:30 IST → tomorrow 10:00");
        assertEquals(Instant.parse("2026-12-03T04:30:00Z"), DAYTIME.nextAllowed(Instant.parse("2026-12-02T20:00:00Z")), "01:30 IST next day");
    }

    @Test
    void aWindowAcrossMidnightWraps() {
        QuietHours night = new QuietHours(LocalTime.of(22, 0), LocalTime.of(2, 0), QuietHours.INDIA);
        assertTrue(night.allows(Instant.parse("2026-12-02T19:00:00Z")), "00:30 IST");
        assertFalse(night.allows(Instant.parse("2026-12-02T06:30:00Z")), "12:00 IST");
        assertEquals(Instant.parse("2026-12-02T16:30:00Z"), night.nextAllowed(Instant.parse("2026-12-02T06:30:00Z")));
    }
}
