package org.parley.booking;

import org.junit.jupiter.api.Test;
import org.parley.common.DomainException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvailabilityTest {

    private static final Duration MIN15 = Duration.ofMinutes(15);

    private static Availability.Rules rules(Duration length, Instant earliest, Duration buffer) {
        return new Availability.Rules(length, MIN15, earliest, earliest.plus(Duration.ofDays(400)), buffer);
    }

    private static Schedule daily(String zone, String from, String to) {
        List<Schedule.Weekly> week = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN").stream()
                .map(d -> new Schedule.Weekly(d, from, to)).toList();
        return Schedule.parse(zone, week, List.of());
    }

    @Test
    void aWeeklyEveningStaysAtItsLocalTimeAcrossTheSpringDstChange() {
        Schedule s = daily("Europe/London", "18:00", "19:00");
        // Clocks go forward on Sunday 2027-03-28: 18:00 is 18:00Z on the Saturday and 17:00Z on the Sunday.
        List<Availability.Span> w = Availability.windows(s, List.of(), Instant.parse("2027-03-27T00:00:00Z"), Instant.parse("2027-03-29T00:00:00Z"));
        assertEquals(List.of(
                new Availability.Span(Instant.parse("2027-03-27T18:00:00Z"), Instant.parse("2027-03-27T19:00:00Z")),
                new Availability.Span(Instant.parse("2027-03-28T17:00:00Z"), Instant.parse("2027-03-28T18:00:00Z"))), w);
    }

    @Test
    void aWindowInTheSpringForwardGapStartsWhenTheClockResumesAndIsShorter() {
        Schedule s = Schedule.parse("Europe/London", List.of(new Schedule.Weekly("SUN", "00:30", "03:00")), List.of());
        List<Availability.Span> w = Availability.scheduled(s, Instant.parse("2027-03-28T00:00:00Z"), Instant.parse("2027-03-28T06:00:00Z"));
        // 00:30 GMT is 00:30Z; 03:00 BST is 02:00Z: the window is 1.5 hours long that day.
        assertEquals(List.of(new Availability.Span(Instant.parse("2027-03-28T00:30:00Z"), Instant.parse("2027-03-28T02:00:00Z"))), w);
    }

    @Test
    void theAutumnOverlapMakesAWindowAcrossItLongerByTheRepeatedHour() {
        Schedule s = Schedule.parse("Europe/London", List.of(new Schedule.Weekly("SUN", "00:00", "03:00")), List.of());
        List<Availability.Span> w = Availability.scheduled(s, Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T06:00:00Z"));
        assertEquals(List.of(new Availability.Span(Instant.parse("2026-10-24T23:00:00Z"), Instant.parse("2026-10-25T03:00:00Z"))), w);
    }

    @Test
    void aHalfHourZoneGridStartsAtTheWindowsLocalStart() {
        Schedule s = daily("Asia/Kolkata", "09:00", "10:00");
        Instant from = Instant.parse("2026-12-10T00:00:00Z");
        Instant to = Instant.parse("2026-12-11T00:00:00Z");
        List<Availability.Span> starts = Availability.starts(Availability.windows(s, List.of(), from, to), List.of(),
                rules(Duration.ofMinutes(30), from, Duration.ZERO), from, to);
        // 09:00 IST is 03:30Z; a 30-minute booking fits at 03:30, 03:45 and 04:00.
        assertEquals(List.of(Instant.parse("2026-12-10T03:30:00Z"), Instant.parse("2026-12-10T03:45:00Z"), Instant.parse("2026-12-10T04:00:00Z")),
                starts.stream().map(Availability.Span::start).toList());
    }

    @Test
    void startsKeepClearOfBookingsByTheBufferAndBackToBackIsAllowedWithout() {
        Instant from = Instant.parse("2026-12-10T10:00:00Z");
        List<Availability.Span> window = List.of(new Availability.Span(from, from.plus(Duration.ofHours(2))));
        List<Availability.Span> busy = List.of(new Availability.Span(from.plus(Duration.ofMinutes(60)), from.plus(Duration.ofMinutes(75))));
        List<Instant> none = Availability.starts(window, busy, rules(MIN15, from, Duration.ZERO), from, from.plus(Duration.ofHours(2)))
                .stream().map(Availability.Span::start).toList();
        assertTrue(none.contains(from.plus(Duration.ofMinutes(45))), "back-to-back before: " + none);
        assertTrue(none.contains(from.plus(Duration.ofMinutes(75))), "back-to-back after: " + none);
        assertTrue(!none.contains(from.plus(Duration.ofMinutes(60))), none::toString);
        List<Instant> buffered = Availability.starts(window, busy, rules(MIN15, from, MIN15), from, from.plus(Duration.ofHours(2)))
                .stream().map(Availability.Span::start).toList();
        assertTrue(!buffered.contains(from.plus(Duration.ofMinutes(45))) && !buffered.contains(from.plus(Duration.ofMinutes(75))), buffered::toString);
        assertTrue(buffered.contains(from.plus(Duration.ofMinutes(30))) && buffered.contains(from.plus(Duration.ofMinutes(90))), buffered::toString);
    }

    @Test
    void startsHonourTheEarliestAndTheGridAfterIt() {
        Instant w = Instant.parse("2026-12-10T10:00:00Z");
        List<Availability.Span> window = List.of(new Availability.Span(w, w.plus(Duration.ofHours(1))));
        Instant earliest = w.plus(Duration.ofMinutes(20));
        List<Instant> starts = Availability.starts(window, List.of(), rules(MIN15, earliest, Duration.ZERO), w, w.plus(Duration.ofHours(1)))
                .stream().map(Availability.Span::start).toList();
        assertEquals(List.of(w.plus(Duration.ofMinutes(30)), w.plus(Duration.ofMinutes(45))), starts);
    }

    @Test
    void aStartOffTheGridOutsideTheWindowsOrTooSoonIsRefusedWithItsReason() {
        Instant w = Instant.parse("2026-12-10T10:00:00Z");
        List<Availability.Span> window = List.of(new Availability.Span(w, w.plus(Duration.ofHours(1))));
        Availability.Rules r = rules(MIN15, w, Duration.ZERO);
        assertNull(Availability.refusal(window, w.plus(Duration.ofMinutes(45)), r));
        assertTrue(Availability.refusal(window, w.plus(Duration.ofMinutes(10)), r).contains("grid"));
        assertTrue(Availability.refusal(window, w.plus(Duration.ofMinutes(50)), r).contains("availability"));
        assertTrue(Availability.refusal(window, w.minus(Duration.ofMinutes(15)), r).contains("earliest"));
    }

    @Test
    void touchingWindowsMergeAndTheGridCountsFromTheFirst() {
        Schedule s = Schedule.parse("UTC", List.of(new Schedule.Weekly("THU", "10:00", "11:00")), List.of());
        Availability.Span slot = new Availability.Span(Instant.parse("2026-12-10T11:00:00Z"), Instant.parse("2026-12-10T11:40:00Z"));
        List<Availability.Span> w = Availability.windows(s, List.of(slot), Instant.parse("2026-12-10T00:00:00Z"), Instant.parse("2026-12-11T00:00:00Z"));
        assertEquals(List.of(new Availability.Span(Instant.parse("2026-12-10T10:00:00Z"), Instant.parse("2026-12-10T11:40:00Z"))), w);
    }

    @Test
    void anOverrideReplacesTheDaysWeeklyWindowsAndUnavailableRemovesThem() {
        Schedule s = Schedule.parse("UTC", List.of(new Schedule.Weekly("THU", "10:00", "11:00"), new Schedule.Weekly("FRI", "10:00", "11:00")),
                List.of(new Schedule.DateOverride("2026-12-10", "14:00", "24:00", null), new Schedule.DateOverride("2026-12-11", null, null, true)));
        List<Availability.Span> w = Availability.scheduled(s, Instant.parse("2026-12-10T00:00:00Z"), Instant.parse("2026-12-12T00:00:00Z"));
        assertEquals(List.of(new Availability.Span(Instant.parse("2026-12-10T14:00:00Z"), Instant.parse("2026-12-11T00:00:00Z"))), w);
    }

    @Test
    void aMalformedScheduleIsA400AndANonsensicalOneA422WithTheFieldAtFault() {
        DomainException zone = assertThrows(DomainException.class, () -> Schedule.parse("Mars/Olympus", List.of(), List.of()));
        assertEquals(400, zone.status());
        assertEquals("timezone", zone.errors().get(0).field());
        DomainException day = assertThrows(DomainException.class, () -> Schedule.parse("UTC", List.of(new Schedule.Weekly("MONDAYS", "25:00", "10:00")), List.of()));
        assertEquals(400, day.status());
        assertEquals(List.of("weekly[0].day", "weekly[0].from"), day.errors().stream().map(DomainException.FieldError::field).toList());
        DomainException backwards = assertThrows(DomainException.class, () -> Schedule.parse("UTC", List.of(new Schedule.Weekly("MON", "18:00", "09:00")), List.of()));
        assertEquals(422, backwards.status());
        DomainException overlap = assertThrows(DomainException.class, () -> Schedule.parse("UTC",
                List.of(new Schedule.Weekly("MON", "09:00", "12:00"), new Schedule.Weekly("MON", "11:00", "13:00")), List.of()));
        assertEquals(422, overlap.status());
        DomainException both = assertThrows(DomainException.class, () -> Schedule.parse("UTC", List.of(),
                List.of(new Schedule.DateOverride("2026-12-10", "10:00", "11:00", true))));
        assertEquals(422, both.status());
        assertNotNull(Schedule.parse("Asia/Kolkata", List.of(new Schedule.Weekly("mon", "09:30", "24:00")), List.of()));
    }
}
