package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Bookings;
import org.parley.it.support.Live;
import org.parley.it.support.SystemTest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/**
 * Experts' schedules and the bookable starts clients list, with the production period (a minute is a minute): wall-clock
 * windows across a real DST change and in a half-hour zone, overrides, one-off slots and their bad input.
 */
class BookingScheduleIT extends SystemTest {

    private static final List<String> WEEK = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
    private String admin;

    @BeforeEach
    void minutePeriod() {
        admin = Accounts.admin(api);
        Live.fastBilling(api, admin, 60, 30);
    }

    @AfterEach
    void defaults() {
        Bookings.config(api, admin, Bookings.DEFAULTS);
    }

    private static List<Map<String, String>> daily(String from, String to) {
        return WEEK.stream().map(d -> Map.of("day", d, "from", from, "to", to)).toList();
    }

    private JsonNode putSchedule(Person expert, String zone, List<Map<String, String>> weekly, List<Map<String, Object>> overrides) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("timezone", zone);
        body.put("weekly", weekly);
        body.put("overrides", overrides);
        Api.Resp r = api.put("/experts/me/schedule", expert.token(), body);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private List<Instant> slots(Person expert, Instant from, Instant to, int minutes) {
        Api.Resp r = api.get("/experts/" + expert.id() + "/slots?from=" + from + "&to=" + to + "&minutes=" + minutes, null);
        assertEquals(200, r.status(), r::toString);
        List<Instant> out = new ArrayList<>();
        r.json().get("items").forEach(i -> {
            assertEquals(Instant.parse(i.get("startsAt").asText()).plus(Duration.ofMinutes(minutes)), Instant.parse(i.get("endsAt").asText()));
            out.add(Instant.parse(i.get("startsAt").asText()));
        });
        return out;
    }

    @Test
    void aWeeklyEveningIsListedAtTheSameLocalTimeOnBothSidesOfTheNextDstChange() {
        ZoneId london = ZoneId.of("Europe/London");
        Instant change = london.getRules().nextTransition(Instant.now()).getInstant();
        LocalDate before = change.atZone(london).toLocalDate().minusDays(1);
        LocalDate after = before.plusDays(2);
        long days = ChronoUnit.DAYS.between(LocalDate.now(london), after) + 2;
        Bookings.config(api, admin, Map.of("bookingHorizonDays", Math.max(30, days), "bookingMinNoticeMinutes", 0));
        Person expert = Bookings.expert(api, admin, 500);
        JsonNode schedule = putSchedule(expert, "Europe/London", daily("18:00", "19:00"), List.of());
        assertEquals("Europe/London", schedule.get("timezone").asText());
        assertEquals(7, api.get("/experts/me/schedule", expert.token()).json().get("weekly").size());

        Instant from = before.atStartOfDay(london).toInstant();
        Instant to = after.plusDays(1).atStartOfDay(london).toInstant();
        List<Instant> starts = slots(expert, from, to, 30);
        // 18:00, 18:15 and 18:30 local on each of the three days, whatever the offset that day
        List<Instant> expected = new ArrayList<>();
        for (LocalDate d = before; !d.isAfter(after); d = d.plusDays(1)) {
            for (int m = 0; m <= 30; m += 15) {
                expected.add(ZonedDateTime.of(d, LocalTime.of(18, m), london).toInstant());
            }
        }
        assertEquals(expected, starts);
        long offsetBefore = london.getRules().getOffset(starts.get(0)).getTotalSeconds();
        long offsetAfter = london.getRules().getOffset(starts.get(6)).getTotalSeconds();
        assertTrue(offsetBefore != offsetAfter, "the two days straddle the change");
        assertEquals(Duration.ofHours(48).minusSeconds(offsetAfter - offsetBefore), Duration.between(starts.get(0), starts.get(6)),
                "the UTC instant moves by the change; the local time does not");
    }

    @Test
    void aHalfHourZoneScheduleStartsAtItsLocalTimeWithOverridesAndOneOffSlots() {
        Bookings.config(api, admin, Map.of("bookingMinNoticeMinutes", 0));
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        LocalDate day = LocalDate.now(kolkata).plusDays(3);
        LocalDate off = day.plusDays(1);
        LocalDate special = day.plusDays(2);
        Person expert = Bookings.expert(api, admin, 500);
        putSchedule(expert, "Asia/Kolkata", daily("09:00", "10:00"), List.of(
                Map.of("date", off.toString(), "unavailable", true),
                Map.of("date", special.toString(), "from", "21:30", "to", "22:00")));
        Instant from = day.atStartOfDay(kolkata).toInstant();
        List<Instant> starts = slots(expert, from, special.plusDays(1).atStartOfDay(kolkata).toInstant(), 30);
        Instant nine = ZonedDateTime.of(day, LocalTime.of(9, 0), kolkata).toInstant();
        assertEquals(0, nine.atZone(ZoneId.of("UTC")).getMinute() - 30, "09:00 IST is hh:30 UTC");
        assertEquals(List.of(nine, nine.plus(Duration.ofMinutes(15)), nine.plus(Duration.ofMinutes(30)),
                ZonedDateTime.of(special, LocalTime.of(21, 30), kolkata).toInstant()), starts);

        // a one-off slot that day, and the availability listing that names where each window comes from
        Instant extra = ZonedDateTime.of(off, LocalTime.of(15, 0), kolkata).toInstant();
        Api.Resp slot = api.post("/experts/me/availability", expert.token(), Map.of("startsAt", extra.toString(),
                "endsAt", extra.plus(Duration.ofMinutes(15)).toString()));
        assertEquals(201, slot.status(), slot::toString);
        assertEquals(List.of(extra), slots(expert, off.atStartOfDay(kolkata).toInstant(), special.atStartOfDay(kolkata).toInstant(), 15));
        JsonNode availability = api.get("/experts/" + expert.id() + "/availability?from=" + from + "&to="
                + special.plusDays(1).atStartOfDay(kolkata).toInstant(), null).json();
        assertEquals("Asia/Kolkata", availability.get("timezone").asText());
        List<String> sources = new ArrayList<>();
        availability.get("items").forEach(i -> sources.add(i.get("source").asText()));
        assertEquals(List.of("weekly", "slot", "override"), sources);
        assertEquals(slot.json().get("id").asText(), availability.get("items").get(1).get("slotId").asText());

        assertEquals(204, api.delete("/experts/me/availability/" + slot.json().get("id").asText(), expert.token()).status());
        assertEquals(List.of(), slots(expert, off.atStartOfDay(kolkata).toInstant(), special.atStartOfDay(kolkata).toInstant(), 15));
        assertProblem(api.delete("/experts/me/availability/" + slot.json().get("id").asText(), expert.token()), 404, "not-found");
    }

    @Test
    void slotsHonourTheMinimumNoticeTheHorizonAndTheBuffer() {
        Person expert = Bookings.expert(api, admin, 500);
        putSchedule(expert, "UTC", daily("00:00", "24:00"), List.of());
        Bookings.config(api, admin, Map.of("bookingMinNoticeMinutes", 120, "bookingHorizonDays", 2, "bookingBufferMinutes", 0));
        Instant now = Instant.now();
        List<Instant> starts = slots(expert, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(5)), 15);
        assertTrue(!starts.get(0).isBefore(now.plus(Duration.ofMinutes(120))), "no earlier than now + notice: " + starts.get(0));
        assertTrue(starts.get(0).isBefore(now.plus(Duration.ofMinutes(136))), "the first grid start after the notice: " + starts.get(0));
        assertTrue(!starts.get(starts.size() - 1).isAfter(now.plus(Duration.ofDays(2)).plusSeconds(5)), "no later than the horizon");
        assertEquals(0, starts.get(0).atZone(ZoneId.of("UTC")).getMinute() % 15, "on the 15-minute grid from midnight");

        Person user = Bookings.user(api, admin, 1_000_000);
        Instant booked = starts.get(8);
        Bookings.book(api, user, expert, booked, 30);
        Bookings.config(api, admin, Map.of("bookingBufferMinutes", 15));
        List<Instant> around = slots(expert, booked.minus(Duration.ofHours(1)), booked.plus(Duration.ofHours(1)), 15);
        assertEquals(List.of(booked.minus(Duration.ofMinutes(60)), booked.minus(Duration.ofMinutes(45)), booked.minus(Duration.ofMinutes(30)),
                booked.plus(Duration.ofMinutes(45))), around, "a 15-minute buffer before and after the 30-minute booking");
        assertProblem(Bookings.request(api, Bookings.user(api, admin, 1_000_000), expert, booked.plus(Duration.ofMinutes(30)), 15), 409, "slot-taken");
    }

    @Test
    void badSchedulesSlotsAndQueriesAreProblemsThatChangeNothing() {
        Person expert = Bookings.expert(api, admin, 500);
        putSchedule(expert, "Asia/Kolkata", daily("09:00", "10:00"), List.of());
        assertFieldError(assertProblem(api.put("/experts/me/schedule", expert.token(), Map.of("timezone", "Mars/Olympus_Mons",
                "weekly", List.of(), "overrides", List.of())), 400, null), "timezone");
        assertFieldError(assertProblem(api.put("/experts/me/schedule", expert.token(), Map.of("timezone", "UTC",
                "weekly", List.of(Map.of("day", "FUNDAY", "from", "9am", "to", "10:00")), "overrides", List.of())), 400, null), "weekly[0].day");
        assertProblem(api.put("/experts/me/schedule", expert.token(), Map.of("timezone", "UTC",
                "weekly", List.of(Map.of("day", "MON", "from", "18:00", "to", "09:00")), "overrides", List.of())), 422, "invalid-schedule");
        assertProblem(api.put("/experts/me/schedule", expert.token(), Map.of("timezone", "UTC",
                "weekly", List.of(Map.of("day", "MON", "from", "09:00", "to", "12:00"), Map.of("day", "MON", "from", "11:00", "to", "13:00")),
                "overrides", List.of())), 422, "invalid-schedule");
        assertProblem(api.put("/experts/me/schedule", Bookings.user(api, admin, 0).token(), Map.of("timezone", "UTC")), 403, null);
        assertEquals("Asia/Kolkata", api.get("/experts/me/schedule", expert.token()).json().get("timezone").asText(), "unchanged");

        Instant t = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
        assertProblem(api.post("/experts/me/availability", expert.token(), Map.of("startsAt", t.toString(), "endsAt", t.toString())), 422, "invalid-slot");
        assertProblem(api.post("/experts/me/availability", expert.token(), Map.of("startsAt", t.minus(Duration.ofHours(5)).toString(),
                "endsAt", t.toString())), 422, "invalid-slot");
        assertProblem(api.post("/experts/me/availability", expert.token(), Map.of("startsAt", t.plus(Duration.ofDays(40)).toString(),
                "endsAt", t.plus(Duration.ofDays(40)).plus(Duration.ofHours(1)).toString())), 422, "invalid-slot");
        assertProblem(api.post("/experts/me/availability", expert.token(), Map.of("startsAt", "soon", "endsAt", t.toString())), 400, null);
        Api.Resp first = api.post("/experts/me/availability", expert.token(), Map.of("startsAt", t.toString(),
                "endsAt", t.plus(Duration.ofHours(1)).toString()));
        assertEquals(201, first.status(), first::toString);
        assertProblem(api.post("/experts/me/availability", expert.token(), Map.of("startsAt", t.plus(Duration.ofMinutes(30)).toString(),
                "endsAt", t.plus(Duration.ofHours(2)).toString())), 409, "slot-overlap");
        Person other = Bookings.expert(api, admin, 500);
        assertProblem(api.delete("/experts/me/availability/" + first.json().get("id").asText(), other.token()), 404, "not-found");

        assertFieldError(assertProblem(api.get("/experts/" + expert.id() + "/slots?minutes=20", null), 400, null), "minutes");
        assertProblem(api.get("/experts/" + expert.id() + "/slots?from=" + t + "&to=" + t.minusSeconds(60), null), 400, null);
        assertProblem(api.get("/experts/" + expert.id() + "/slots?from=yesterday", null), 400, null);
        assertProblem(api.get("/experts/" + UUID.randomUUID() + "/slots", null), 404, "not-found");
        assertProblem(api.get("/experts/" + Accounts.expertApplicant(api).id() + "/availability", null), 404, "not-found");
    }
}
