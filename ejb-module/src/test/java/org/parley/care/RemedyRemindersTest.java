package org.parley.care;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RemedyRemindersTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Test
    void theSameWallClockTimeIsAnHourEarlierInUtcOnceSummerTimeBegins() {
        assertEquals(Instant.parse("2026-03-28T07:30:00Z"), RemedyReminders.dueAt(LocalDate.of(2026, 3, 28), LocalTime.of(7, 30), LONDON));
        assertEquals(Instant.parse("2026-03-29T06:30:00Z"), RemedyReminders.dueAt(LocalDate.of(2026, 3, 29), LocalTime.of(7, 30), LONDON));
        assertEquals(Instant.parse("2026-10-25T07:30:00Z"), RemedyReminders.dueAt(LocalDate.of(2026, 10, 25), LocalTime.of(7, 30), LONDON));
    }

    @Test
    void aTimeSkippedBySpringForwardMovesForwardByTheGapAndARepeatedOneIsTheFirst() {
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), RemedyReminders.dueAt(LocalDate.of(2026, 3, 29), LocalTime.of(1, 30), LONDON),
                "01:30 does not exist that day: 02:30 BST");
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), RemedyReminders.dueAt(LocalDate.of(2026, 10, 25), LocalTime.of(1, 30), LONDON),
                "01:30 happens twice: the first, still BST");
    }
}
