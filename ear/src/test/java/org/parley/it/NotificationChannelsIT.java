package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Bookings;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Money;
import org.parley.it.support.Orders;
import org.parley.it.support.ServerProperties;
import org.parley.it.support.SystemTest;
import org.parley.it.support.TestEnvironment;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertProblem;

/**
 * SMS (MSG91) and WhatsApp (Cloud API) beside in-app and email, over HTTP against the deployed EAR with WireMock as both
 * providers: the request each provider gets, preferences and marketing consent, the daytime window of marketing SMS,
 * delivery reports with their signatures, retries and the FAILED list, and a broadcast stopped and restarted.
 */
class NotificationChannelsIT extends SystemTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FLOW = "/api/v5/flow";
    private static final String MESSAGES = "/v21.0/1055/messages";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private String admin;

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
    }

    private static WireMockServer providers() {
        return TestEnvironment.providers();
    }

    /** A user with a phone of its own (10 digits, so Parley adds India's 91) whose SMS and WhatsApp messages the providers accept. */
    private Person userWithPhone(String mobile) {
        Person p = Accounts.user(api);
        Api.Resp r = api.put("/me/profile", p.token(), Map.of("name", "Phone User", "phone", "+91 " + mobile.substring(2)));
        assertEquals(200, r.status(), r::toString);
        accept(mobile);
        return p;
    }

    private static String newMobile() {
        return "919" + String.format("%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
    }

    /** Both providers accept messages to {@code mobile}, answering ids named after it. */
    private static void accept(String mobile) {
        providers().stubFor(post(urlEqualTo(FLOW)).withRequestBody(matchingJsonPath("$.recipients[0].mobiles", equalTo(mobile)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"type\":\"success\",\"message\":\"req-" + mobile + "-{{randomValue length=8 type='ALPHANUMERIC'}}\"}")
                        .withTransformers("response-template")));
        providers().stubFor(post(urlEqualTo(MESSAGES)).withRequestBody(matchingJsonPath("$.to", equalTo(mobile)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid." + mobile + "-{{randomValue length=8 type='ALPHANUMERIC'}}\"}]}")
                        .withTransformers("response-template")));
    }

    private static List<LoggedRequest> requests(String path, String field, String value) {
        return providers().findAll(postRequestedFor(urlEqualTo(path)).withRequestBody(matchingJsonPath(field, equalTo(value))));
    }

    private static String row(String accountId, String channel, String kind, String column) {
        return Db.string("select " + column + " from notification where account_id = ?::uuid and channel = ? and kind = ? order by created_at desc limit 1",
                accountId, channel, kind);
    }

    private static String awaitStatus(String accountId, String channel, String kind, String status) {
        return Eventually.until(WAIT, () -> row(accountId, channel, kind, "status"), status::equals, channel + " " + kind + " " + status);
    }

    @Test
    void aPaidDepositReachesEveryChannelTheUserAllowsSmsWithItsDltTemplateAndWhatsAppWithItsTemplate() throws Exception {
        String mobile = newMobile();
        Person p = userWithPhone(mobile);
        Money.paidDeposit(api, p, 20_000, null);
        awaitStatus(p.id(), "SMS", "DEPOSIT_PAID", "SENT");
        awaitStatus(p.id(), "WHATSAPP", "DEPOSIT_PAID", "SENT");
        assertEquals("SENT", row(p.id(), "IN_APP", "DEPOSIT_PAID", "status"));
        assertTrue(List.of("PENDING", "SENT").contains(row(p.id(), "EMAIL", "DEPOSIT_PAID", "status")));

        List<LoggedRequest> sms = requests(FLOW, "$.recipients[0].mobiles", mobile);
        assertEquals(1, sms.size());
        JsonNode smsBody = Api.JSON.readTree(sms.get(0).getBodyAsString());
        assertEquals("1207170000000000101", smsBody.get("template_id").asText(), "the DLT template id");
        assertEquals("Rs 200.00", smsBody.get("recipients").get(0).get("VAR1").asText(), "GSM-7: no rupee sign in an SMS");
        assertEquals("Rs 200.00 has been added to your Parley wallet.", row(p.id(), "SMS", "DEPOSIT_PAID", "body"));
        assertEquals("PARLEY", smsBody.get("sender").asText());
        assertEquals("it-msg91-key", sms.get(0).getHeader("authkey"));
        assertTrue(row(p.id(), "SMS", "DEPOSIT_PAID", "provider_message_id").startsWith("req-" + mobile));

        List<LoggedRequest> wa = requests(MESSAGES, "$.to", mobile);
        assertEquals(1, wa.size());
        JsonNode template = Api.JSON.readTree(wa.get(0).getBodyAsString()).get("template");
        assertEquals("deposit_paid", template.get("name").asText());
        assertEquals("en", template.get("language").get("code").asText());
        assertEquals("₹200.00", template.get("components").get(0).get("parameters").get(0).get("text").asText());
        assertEquals("Bearer it-wa-token", wa.get(0).getHeader("Authorization"));

        JsonNode prefs = api.put("/me/notification-preferences", p.token(), Map.of("email", false, "sms", false, "whatsapp", false,
                "marketing", false)).json();
        assertFalse(prefs.get("sms").asBoolean());
        assertEquals(prefs, api.get("/me/notification-preferences", p.token()).json());
        String second = Money.paidDeposit(api, p, 30_000, null).get("id").asText();
        assertEquals(1, Db.count("select count(*) from notification where account_id = ?::uuid and dedupe_key = ?", p.id(),
                "deposit:" + second + ":paid"), "in-app only, as the user asked");
        assertProblem(api.put("/me/notification-preferences", p.token(), Map.of("email", true)), 400, "validation");
    }

    @Test
    void aCancelledOrderAndADeclinedBookingReachSmsAndWhatsAppWithTheirOwnTemplatesAndValues() throws Exception {
        String mobile = newMobile();
        Person p = userWithPhone(mobile);
        Money.fund(api, admin, p.id(), "WALLET", 50_000);
        JsonNode service = Orders.service(api, admin, 10_000, 5);
        String orderId = Orders.order(api, p, service.get("id").asText()).get("id").asText();
        assertEquals(200, api.post("/orders/" + orderId + "/cancel", p.token(), Map.of("reason", "ordered by mistake")).status());
        awaitStatus(p.id(), "SMS", "ORDER_CANCELLED", "SENT");
        awaitStatus(p.id(), "WHATSAPP", "ORDER_CANCELLED", "SENT");
        String name = service.get("name").asText();
        JsonNode sms = Api.JSON.readTree(requests(FLOW, "$.template_id", "1207170000000000114").stream()
                .filter(r -> r.getBodyAsString().contains(mobile)).findFirst().orElseThrow().getBodyAsString());
        assertEquals(name, sms.get("recipients").get(0).get("VAR1").asText(), "the service named in the SMS");
        assertEquals("Your Parley order for " + name + " was cancelled. Any refund is in your wallet.", row(p.id(), "SMS", "ORDER_CANCELLED", "body"));
        JsonNode wa = Api.JSON.readTree(requests(MESSAGES, "$.template.name", "order_cancelled").stream()
                .filter(r -> r.getBodyAsString().contains(mobile)).findFirst().orElseThrow().getBodyAsString());
        assertEquals(name, wa.get("template").get("components").get(0).get("parameters").get(0).get("text").asText());

        Person expert = Bookings.expert(api, admin, 100);
        JsonNode booking = Bookings.pendingUnderCurrentSettings(api, admin, p, expert, 15);
        String bookingId = booking.get("id").asText();
        Instant start = Instant.parse(booking.get("startsAt").asText());
        Api.Resp rejected = api.put("/bookings/" + bookingId + "/decision", expert.token(), Map.of("decision", "REJECT", "reason", "away"));
        assertEquals(200, rejected.status(), rejected::toString);
        awaitStatus(p.id(), "SMS", "booking-rejected", "SENT");
        awaitStatus(p.id(), "WHATSAPP", "booking-rejected", "SENT");
        String when = Api.JSON.readTree(Db.string("select cast(variables as text) from notification where account_id = ?::uuid and channel = 'SMS'"
                + " and kind = 'booking-rejected'", p.id())).get(0).asText();
        assertTrue(when.contains(String.valueOf(start.atZone(ZoneId.of("Asia/Kolkata")).getYear())), "the booking's time: " + when);
        JsonNode bookingSms = Api.JSON.readTree(requests(FLOW, "$.template_id", "1207170000000000111").stream()
                .filter(r -> r.getBodyAsString().contains(mobile)).findFirst().orElseThrow().getBodyAsString());
        assertEquals(when, bookingSms.get("recipients").get(0).get("VAR1").asText());
        assertEquals(1, requests(MESSAGES, "$.template.name", "booking_rejected").stream().filter(r -> r.getBodyAsString().contains(mobile)).count());
    }

    @Test
    void deliveryReportsMoveAMessageForwardOnlyAndUnsignedOrWronglySignedOnesAreRefused() throws Exception {
        String mobile = newMobile();
        Person p = userWithPhone(mobile);
        Money.paidDeposit(api, p, 10_000, null);
        awaitStatus(p.id(), "WHATSAPP", "DEPOSIT_PAID", "SENT");
        awaitStatus(p.id(), "SMS", "DEPOSIT_PAID", "SENT");
        String wamid = row(p.id(), "WHATSAPP", "DEPOSIT_PAID", "provider_message_id");
        assertEquals("SENT", row(p.id(), "WHATSAPP", "DEPOSIT_PAID", "delivery_status"));

        assertEquals(200, whatsAppStatus(wamid, "read", "it-wa-secret").statusCode());
        assertEquals("READ", row(p.id(), "WHATSAPP", "DEPOSIT_PAID", "delivery_status"));
        assertEquals(200, whatsAppStatus(wamid, "delivered", "it-wa-secret").statusCode(), "a late report is accepted");
        assertEquals("READ", row(p.id(), "WHATSAPP", "DEPOSIT_PAID", "delivery_status"), "and changes nothing");
        assertEquals(401, whatsAppStatus(wamid, "failed", "not-the-secret").statusCode());
        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(Api.API + "/notifications/webhooks/whatsapp"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode());
        assertEquals("READ", row(p.id(), "WHATSAPP", "DEPOSIT_PAID", "delivery_status"));

        assertEquals("challenge-42", api.get("/notifications/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=it-wa-verify&hub.challenge=challenge-42",
                null).body());
        assertEquals(403, api.get("/notifications/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", null).status());

        String requestId = row(p.id(), "SMS", "DEPOSIT_PAID", "provider_message_id");
        String report = "[{\"requestId\":\"" + requestId + "\",\"report\":[{\"status\":\"1\",\"desc\":\"DELIVERED\",\"number\":\"" + mobile + "\"}]}]";
        assertEquals(401, api.send("POST", "/notifications/webhooks/msg91/wrong-token", null, report, "application/json").status());
        assertEquals("SENT", row(p.id(), "SMS", "DEPOSIT_PAID", "delivery_status"));
        Api.Resp applied = api.send("POST", "/notifications/webhooks/msg91/it-msg91-token", null, report, "application/json");
        assertEquals(200, applied.status(), applied::toString);
        assertEquals(1, applied.json().get("applied").asInt());
        assertEquals("DELIVERED", row(p.id(), "SMS", "DEPOSIT_PAID", "delivery_status"));
        assertTrue(row(p.id(), "SMS", "DEPOSIT_PAID", "delivered_at") != null);
    }

    private static HttpResponse<String> whatsAppStatus(String wamid, String status, String secret) throws Exception {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":"
                + "{\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + Instant.now().getEpochSecond() + "\"}]}}]}]}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        return HTTP.send(HttpRequest.newBuilder(URI.create(Api.API + "/notifications/webhooks/whatsapp")).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aProviderThatKeepsFailingIsRetriedWithBackoffAndAfterTheLastAttemptTheMessageIsListedAsFailed() {
        String mobile = newMobile();
        Person p = userWithPhone(mobile);
        providers().stubFor(post(urlEqualTo(MESSAGES)).withRequestBody(matchingJsonPath("$.to", equalTo(mobile))).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"try later\"}}")));
        providers().stubFor(post(urlEqualTo(FLOW)).withRequestBody(matchingJsonPath("$.recipients[0].mobiles", equalTo(mobile))).atPriority(1)
                .willReturn(aResponse().withStatus(400).withBody("{\"type\":\"error\",\"message\":\"template not approved\"}")));
        Money.paidDeposit(api, p, 10_000, null);

        awaitStatus(p.id(), "SMS", "DEPOSIT_PAID", "FAILED");
        assertEquals("1", row(p.id(), "SMS", "DEPOSIT_PAID", "attempts"), "a message the provider refuses as such is not sent again");
        String id = Eventually.until(WAIT, () -> Db.string("select id from notification where account_id = ?::uuid and channel = 'WHATSAPP'"
                + " and last_error is not null", p.id()), x -> x != null, "a first failed attempt");
        assertEquals("PENDING", row(p.id(), "WHATSAPP", "DEPOSIT_PAID", "status"));
        long wait = Db.count("select extract(epoch from next_attempt_at - now())::bigint from notification where id = ?::uuid", id);
        assertTrue(wait > 15 && wait <= 30, "the next attempt waits about 30 s: " + wait);
        Db.exec("update notification set attempts = 5, next_attempt_at = now() where id = ?::uuid", id); // skip to the last attempt
        awaitStatus(p.id(), "WHATSAPP", "DEPOSIT_PAID", "FAILED");
        assertEquals(2, requests(MESSAGES, "$.to", mobile).size(), "the first attempt and the last (the four between were skipped)");

        JsonNode failed = api.get("/admin/notifications?status=FAILED&channel=WHATSAPP&size=100", admin).json();
        assertTrue(failed.get("items").findValuesAsText("id").contains(id), failed::toString);
        assertTrue(failed.get("items").findValuesAsText("channel").stream().allMatch("WHATSAPP"::equals));
        assertTrue(api.get("/admin/notifications?status=FAILED&channel=SMS&size=100", admin).json().get("items").findValuesAsText("lastError")
                .stream().anyMatch(e -> e.contains("template not approved")));
        assertProblem(api.get("/admin/notifications?status=FAILED", p.token()), 403, "forbidden");
        assertProblem(api.get("/admin/notifications?status=LOST", admin), 400, "validation");
    }

    @Test
    void marketingReachesOnlyThoseWhoAllowItAndItsSmsWaitsForIndiasDaytimeWindow() throws Exception {
        String consenting = newMobile();
        Person yes = userWithPhone(consenting);
        api.put("/me/notification-preferences", yes.token(), Map.of("email", true, "sms", true, "whatsapp", false, "marketing", true));
        Person no = userWithPhone(newMobile());
        DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss");
        Instant opens = Instant.now().plusSeconds(8);
        String window = hms.format(opens.atZone(ZoneId.of("Asia/Kolkata"))) + "-" + hms.format(opens.plusSeconds(3600).atZone(ZoneId.of("Asia/Kolkata")));
        ServerProperties.set("parley.sms.marketing-window", window);
        try {
            JsonNode started = api.post("/admin/broadcasts", admin, Map.of("audience", "USERS", "channels", List.of("IN_APP", "SMS", "WHATSAPP"),
                    "templateKey", "announcement", "variables", Map.of("title", "Diwali offer", "body", "20% off reports"), "marketing", true,
                    "chunkSize", 500)).json();
            awaitExecution(started.get("executionId").asLong(), "COMPLETED");
            String key = "broadcast:" + started.get("broadcastId").asText();
            assertEquals(0, Db.count("select count(*) from notification where account_id = ?::uuid and dedupe_key = ?", no.id(), key),
                    "no consent, no marketing, not even in-app");
            assertEquals(1, Db.count("select count(*) from notification where account_id = ?::uuid and dedupe_key = ? and channel = 'IN_APP'", yes.id(), key));
            assertEquals(0, Db.count("select count(*) from notification where account_id = ?::uuid and dedupe_key = ? and channel = 'WHATSAPP'", yes.id(), key),
                    "WhatsApp switched off by the user");
            Instant held = Instant.parse(Db.string("select to_char(next_attempt_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from notification"
                    + " where account_id = ?::uuid and dedupe_key = ? and channel = 'SMS'", yes.id(), key));
            if (Instant.now().isBefore(opens.minusSeconds(1))) {
                assertEquals("PENDING", Db.string("select status from notification where account_id = ?::uuid and dedupe_key = ? and channel = 'SMS'",
                        yes.id(), key), "held until the window opens");
            }
            assertEquals(opens.getEpochSecond(), held.getEpochSecond(), 1, "held until " + opens);
            Eventually.until(WAIT, () -> Db.string("select status from notification where account_id = ?::uuid and dedupe_key = ? and channel = 'SMS'",
                    yes.id(), key), "SENT"::equals, "the SMS once the window opened");
            JsonNode sms = Api.JSON.readTree(requests(FLOW, "$.recipients[0].mobiles", consenting).get(0).getBodyAsString());
            assertEquals("1207170000000000108", sms.get("template_id").asText());
            assertEquals("Diwali offer", sms.get("recipients").get(0).get("VAR1").asText());
            assertEquals("20% off reports", sms.get("recipients").get(0).get("VAR2").asText());
        } finally {
            ServerProperties.remove("parley.sms.marketing-window");
        }
    }

    private JsonNode awaitExecution(long id, String status) {
        return Eventually.until(Duration.ofSeconds(120), () -> api.get("/admin/batch/executions/" + id, admin).json(),
                e -> Set.of("COMPLETED", "FAILED", "STOPPED").contains(e.path("status").asText()) && (status == null || status.equals(e.path("status").asText())),
                "execution " + id + " " + status);
    }

    @Test
    void aBroadcastStoppedMidwayAndRestartedReachesEveryRecipientExactlyOnce() throws Exception {
        for (int i = 0; i < 30; i++) {
            Accounts.user(api);
        }
        Api.Resp r = api.post("/admin/broadcasts", admin, Map.of("audience", "ALL", "channels", List.of("IN_APP"), "templateKey", "announcement",
                "variables", Map.of("title", "Maintenance", "body", "Parley restarts at 02:00"), "chunkSize", 1));
        assertEquals(202, r.status(), r::toString);
        long execution = r.json().get("executionId").asLong();
        String broadcast = r.json().get("broadcastId").asText();
        String key = "broadcast:" + broadcast;
        // the next chunk waits on the broadcast's row (each chunk counts itself there) while the stop is asked: it stops midway
        // however few accounts the database holds
        try (AutoCloseable held = Db.lock("select id from broadcast where id = ?::uuid for update", broadcast)) {
            assertEquals(202, api.post("/admin/batch/executions/" + execution + "/stop", admin, null).status());
        }
        awaitExecution(execution, "STOPPED");
        long audience = api.get("/admin/broadcasts/" + broadcast, admin).json().get("audienceSize").asLong();
        long before = Db.count("select count(*) from notification where dedupe_key = ?", key);
        assertTrue(before < audience, "stopped midway: " + before + " of " + audience);

        Api.Resp restarted = api.post("/admin/batch/executions/" + execution + "/restart", admin, null);
        assertEquals(202, restarted.status(), restarted::toString);
        JsonNode done = awaitExecution(restarted.json().get("executionId").asLong(), "COMPLETED");
        assertEquals(audience, Db.count("select count(*) from notification where dedupe_key = ?", key), "everyone: " + done);
        assertEquals(audience, Db.count("select count(distinct account_id) from notification where dedupe_key = ?", key), "each once");
        assertEquals(100, done.get("progress").get("percent").asInt(), done::toString);
        assertProblem(api.post("/admin/broadcasts", admin, Map.of("audience", "ALL", "channels", List.of("IN_APP"), "templateKey", "no-such-template")),
                400, "validation");
        assertProblem(api.post("/admin/broadcasts", admin, Map.of("audience", "ALL", "channels", List.of("IN_APP"), "templateKey", "announcement",
                "variables", Map.of("title", "no body"))), 400, "validation");
    }
}
