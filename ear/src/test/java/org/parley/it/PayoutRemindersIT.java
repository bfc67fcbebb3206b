package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Jobs;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;
import org.parley.it.support.TestEnvironment;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertProblem;

/** The payout-reminders job and the in-app notifications it leaves. */
class PayoutRemindersIT extends SystemTest {

    private Person expertWithAvailable(String admin, long available) {
        Person expert = Accounts.expertApplicant(api);
        Accounts.approve(api, admin, expert.id());
        Money.fund(api, admin, expert.id(), "EARNINGS_AVAILABLE", available);
        return expert;
    }

    private String requestPayout(Person expert, long amount) {
        Api.Resp r = Money.postIdempotent(api, "/payouts", expert.token(), Money.key(), Map.of("amount", amount));
        assertEquals(201, r.status(), r::toString);
        return r.json().get("id").asText();
    }

    private JsonNode runReminders(String admin) {
        return Jobs.awaitFinished(api, admin, Jobs.start(api, admin, "payout-reminders", Map.of("minAgeHours", "24")), Duration.ofSeconds(30));
    }

    private List<JsonNode> inbox(Person who, String kind) {
        List<JsonNode> out = new ArrayList<>();
        api.get("/notifications?unread=true", who.token()).json().get("items").forEach(n -> {
            if (kind.equals(n.get("kind").asText())) {
                out.add(n);
            }
        });
        return out;
    }

    private static long emailsTo(String address) {
        long n = 0;
        for (MimeMessage m : TestEnvironment.mail().getReceivedMessages()) {
            try {
                for (Address to : m.getAllRecipients()) {
                    if (address.equalsIgnoreCase(((InternetAddress) to).getAddress()) && "Your earnings are ready for payout".equals(m.getSubject())) {
                        n++;
                    }
                }
            } catch (MessagingException e) {
                throw new AssertionError(e);
            }
        }
        return n;
    }

    @Test
    void adminsHearOfLongWaitingRequestsAndExpertsOfIdleEarningsOncePerDayInAppAndByEmail() {
        String adminToken = Accounts.admin(api);
        Person admin = new Person(Accounts.me(api, adminToken).get("id").asText(), null, adminToken);
        long min = api.get("/admin/config", adminToken).json().get("payoutMin").asLong();
        Person waiting = expertWithAvailable(adminToken, 2 * min);
        String old = requestPayout(waiting, min);
        Db.exec("update payout set created_at = now() - interval '2 days' where id = ?::uuid", old);
        Person recent = expertWithAvailable(adminToken, 2 * min);
        String young = requestPayout(recent, min);
        Person idle = expertWithAvailable(adminToken, min);
        Person short1 = expertWithAvailable(adminToken, min - 1);

        JsonNode run = runReminders(adminToken);
        assertEquals("COMPLETED", run.get("status").asText(), run::toString);
        assertEquals(1, inbox(admin, "payout-waiting").stream().filter(n -> n.get("body").asText().contains(old)).count());
        assertEquals(0, inbox(admin, "payout-waiting").stream().filter(n -> n.get("body").asText().contains(young)).count(),
                "a request younger than minAgeHours is not nagged about");
        assertEquals(1, inbox(idle, "payout-available").size());
        assertEquals(0, inbox(short1, "payout-available").size(), "below the payout minimum");
        assertEquals(0, inbox(waiting, "payout-available").size(), "a request is already open");

        Eventually.until(Duration.ofSeconds(20), () -> emailsTo(idle.email()), n -> n == 1, "the idle expert's email through SMTP");
        runReminders(adminToken);
        assertEquals(1, inbox(admin, "payout-waiting").stream().filter(n -> n.get("body").asText().contains(old)).count(), "once per day");
        assertEquals(1, inbox(idle, "payout-available").size(), "once per day");
        assertEquals(0, emailsTo(short1.email()));
        Eventually.until(Duration.ofSeconds(20), () -> Db.count("select count(*) from notification where account_id = ?::uuid"
                + " and channel = 'EMAIL' and status = 'SENT'", idle.id()), n -> n == 1, "the email row marked sent");
        try {
            Thread.sleep(6_000); // more than one dispatcher round after the second run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertEquals(1, emailsTo(idle.email()), "each notification is emailed once");

        String notification = inbox(idle, "payout-available").get(0).get("id").asText();
        assertProblem(api.post("/notifications/" + notification + "/read", short1.token(), null), 404, "not-found");
        assertEquals(204, api.post("/notifications/" + notification + "/read", idle.token(), null).status());
        assertTrue(inbox(idle, "payout-available").isEmpty(), "read notifications leave the unread list");
        assertEquals(1, api.get("/notifications", idle.token()).json().get("items").size());
        assertProblem(api.post("/admin/batch/jobs/payout-reminders/executions", adminToken,
                Map.of("parameters", Map.of("minAgeHours", "1000"))), 400, "validation");
    }
}
