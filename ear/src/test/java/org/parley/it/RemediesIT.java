package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Live;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** Remedies: who may assign them to whom, check-ins, feedback, and the admin's completion report. */
class RemediesIT extends SystemTest {

    private static Map<String, Object> remedy(String userId, String kind, LocalDate start, String zone) {
        Map<String, Object> r = new HashMap<>();
        r.put("userId", userId);
        r.put("kind", kind);
        r.put("title", "Evening mantra");
        r.put("instructions", "Recite 108 times after sunset.");
        r.put("durationDays", 3);
        r.put("startDate", start.toString());
        r.put("reminder", Map.of("enabled", true, "localTime", "07:30", "timezone", zone));
        return r;
    }

    @Test
    void anExpertAssignsToTheirOwnClientWhoChecksInDailyAndGivesFeedbackOnce() {
        String admin = Accounts.admin(api);
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Person stranger = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 10_000);
        String session = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        api.post("/sessions/" + session + "/end", user.token(), null);
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Kolkata"));

        Map<String, Object> body = remedy(user.id(), "MANTRA", today.minusDays(1), "Asia/Kolkata");
        body.put("sessionId", session);
        Api.Resp created = api.post("/remedies", expert.token(), body);
        assertEquals(201, created.status(), created::toString);
        String id = created.json().get("id").asText();
        assertEquals("ACTIVE", created.json().get("status").asText());
        assertEquals("07:30", created.json().get("reminder").get("localTime").asText());

        assertProblem(api.post("/remedies", expert.token(), remedy(stranger.id(), "MANTRA", today, "Asia/Kolkata")), 422, "no-session-with-user");
        assertProblem(api.post("/remedies", user.token(), remedy(stranger.id(), "MANTRA", today, "Asia/Kolkata")), 403, "forbidden");
        assertProblem(api.post("/remedies", expert.token(), remedy(user.id(), "CRYSTAL", today, "Asia/Kolkata")), 400, "validation");
        assertFieldError(assertProblem(api.post("/remedies", expert.token(), remedy(user.id(), "MANTRA", today, "Mars/Olympus")), 400, "validation"),
                "reminder.timezone");
        Map<String, Object> tooLong = remedy(user.id(), "MANTRA", today, "Asia/Kolkata");
        tooLong.put("durationDays", 0);
        assertFieldError(assertProblem(api.post("/remedies", expert.token(), tooLong), 400, "validation"), "durationDays");
        assertEquals(201, api.post("/remedies", admin, remedy(stranger.id(), "PRACTICE", today, "Europe/London")).status(),
                "an admin may assign to any user");

        assertEquals(1, api.get("/remedies", user.token()).json().get("items").size());
        assertEquals(1, api.get("/remedies", expert.token()).json().get("items").size());
        assertEquals("PRACTICE", api.get("/remedies", stranger.token()).json().get("items").get(0).get("kind").asText());

        String checkins = "/remedies/" + id + "/checkins";
        assertEquals(201, api.post(checkins, user.token(), Map.of("date", today.minusDays(1).toString(), "done", true)).status());
        assertProblem(api.post(checkins, user.token(), Map.of("date", today.minusDays(1).toString(), "done", false)), 409, "already-checked-in");
        assertProblem(api.post(checkins, user.token(), Map.of("date", today.plusDays(1).toString(), "done", true)), 422, "day-out-of-range");
        assertProblem(api.post(checkins, user.token(), Map.of("date", today.minusDays(2).toString(), "done", true)), 422, "day-out-of-range");
        assertProblem(api.post(checkins, stranger.token(), Map.of("date", today.toString(), "done", true)), 404, "not-found");
        assertEquals(1, api.get("/remedies", user.token()).json().get("items").get(0).get("checkinsDone").asInt());

        assertEquals(204, api.post("/remedies/" + id + "/feedback", user.token(), Map.of("rating", 5, "comment", "calming")).status());
        assertProblem(api.post("/remedies/" + id + "/feedback", user.token(), Map.of("rating", 4)), 409, "already-given");
        assertProblem(api.post("/remedies/" + id + "/feedback", stranger.token(), Map.of("rating", 4)), 404, "not-found");

        JsonNode report = api.get("/admin/reports/remedies", admin).json().get("items");
        JsonNode mantra = null;
        for (JsonNode k : report) {
            if ("MANTRA".equals(k.get("kind").asText())) {
                mantra = k;
            }
        }
        assertTrue(mantra != null && mantra.get("checkinsDone").asLong() >= 1 && mantra.get("completionRate").asDouble() > 0, report::toString);
        assertProblem(api.get("/admin/reports/remedies", user.token()), 403, "forbidden");
    }

    @Test
    void theCompletionReportCountsEachRemedysDaysInItsOwnTimeZone() {
        String admin = Accounts.admin(api);
        Person user = Accounts.user(api);
        // UTC+14 and UTC-11 are 25 hours apart, so at any instant at least one of them is on another date than UTC:
        // each remedy starts today where its user lives, so exactly one day has begun for it
        for (String zone : List.of("Pacific/Kiritimati", "Pacific/Pago_Pago")) {
            long before = daysElapsed(admin, "AFFIRMATION");
            Api.Resp created = api.post("/remedies", admin, remedy(user.id(), "AFFIRMATION", LocalDate.now(ZoneId.of(zone)), zone));
            assertEquals(201, created.status(), created::toString);
            assertEquals(before + 1, daysElapsed(admin, "AFFIRMATION"), "one local day elapsed for the remedy in " + zone);
        }
    }

    private long daysElapsed(String admin, String kind) {
        for (JsonNode k : api.get("/admin/reports/remedies", admin).json().get("items")) {
            if (kind.equals(k.get("kind").asText())) {
                return k.get("daysElapsed").asLong();
            }
        }
        return 0;
    }
}
