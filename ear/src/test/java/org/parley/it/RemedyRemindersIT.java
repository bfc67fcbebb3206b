package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Jobs;
import org.parley.it.support.SystemTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parley.it.support.Problems.assertProblem;

/**
 * The remedy-reminders job, driven at chosen instants through its {@code at} parameter (its injectable clock): a
 * London remedy's 07:30 reminder is due at 07:30 UTC before the spring DST change and at 06:30 UTC after it, once
 * per local day; an Asia/Kolkata remedy keeps its own day.
 */
class RemedyRemindersIT extends SystemTest {

    private String admin;

    private JsonNode runAt(String instant) {
        JsonNode done = Jobs.awaitFinished(api, admin, Jobs.start(api, admin, "remedy-reminders", Map.of("at", instant)), Duration.ofSeconds(30));
        assertEquals("COMPLETED", done.get("status").asText(), done::toString);
        return done;
    }

    private List<String> reminderDays(Person user) {
        List<String> days = new ArrayList<>();
        api.get("/notifications", user.token()).json().get("items").forEach(n -> {
            if ("remedy-reminder".equals(n.get("kind").asText())) {
                days.add(n.get("body").asText().replaceAll(".*\\((\\d{4}-\\d{2}-\\d{2})\\).*", "$1"));
            }
        });
        days.sort(null);
        return days;
    }

    private Person userWithRemedy(String zone, String start, int days) {
        Person user = Accounts.user(api);
        Api.Resp r = api.post("/remedies", admin, Map.of("userId", user.id(), "kind", "AFFIRMATION", "title", "Morning words",
                "instructions", "Say them aloud.", "durationDays", days, "startDate", start,
                "reminder", Map.of("enabled", true, "localTime", "07:30", "timezone", zone)));
        assertEquals(201, r.status(), r::toString);
        return user;
    }

    @Test
    void remindersComeAtTheLocalTimeOncePerLocalDayAcrossTheSpringDstChange() {
        admin = Accounts.admin(api);
        Person london = userWithRemedy("Europe/London", "2026-03-27", 4);
        Person kolkata = userWithRemedy("Asia/Kolkata", "2026-03-28", 1);

        runAt("2026-03-28T01:59:00Z");
        assertEquals(List.of(), reminderDays(london), "07:30 GMT has not come");
        assertEquals(List.of(), reminderDays(kolkata), "07:30 IST is 02:00 UTC");
        runAt("2026-03-28T02:00:00Z");
        assertEquals(List.of("2026-03-28"), reminderDays(kolkata));
        runAt("2026-03-28T07:29:00Z");
        assertEquals(List.of(), reminderDays(london));
        runAt("2026-03-28T07:30:00Z");
        runAt("2026-03-28T20:00:00Z");
        assertEquals(List.of("2026-03-28"), reminderDays(london), "once per day");

        runAt("2026-03-29T06:29:00Z");
        assertEquals(List.of("2026-03-28"), reminderDays(london), "06:29 UTC is 07:29 BST");
        runAt("2026-03-29T06:30:00Z");
        assertEquals(List.of("2026-03-28", "2026-03-29"), reminderDays(london), "07:30 BST is 06:30 UTC");
        assertEquals(List.of("2026-03-28"), reminderDays(kolkata), "the one-day remedy is over");

        JsonNode finished = runAt("2026-03-31T12:00:00Z");
        assertEquals("FINISHED", api.get("/remedies", london.token()).json().get("items").get(0).get("status").asText(), finished::toString);
        assertEquals(List.of("2026-03-28", "2026-03-29"), reminderDays(london), "no reminder after the last day");
        assertProblem(api.post("/admin/batch/jobs/remedy-reminders/executions", admin, Map.of("parameters", Map.of("at", "tomorrow"))), 400, "validation");
    }
}
