package org.parley.crash;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.parley.it.support.Api;
import org.parley.it.support.Db;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 WildFly in the middle of a billed session, start it again, and prove the session's charges are exactly one
 * per elapsed period: none lost while the server was down (the sweep catches up from the recorded due instant), none
 * doubled. Runs its own WildFly (ports +200) against the suite's embedded PostgreSQL, in a failsafe execution of its
 * own after the Arquillian suite, so no other node can charge while this one is dead. Also: a dead node's sockets, and
 * a booking reminder that falls due while the server is dead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingCrashIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** One server for the class (each boot is half a minute): the tests kill and restart it; the last stops it in order. */
    private static OwnServer server;

    @BeforeAll
    static void oneServer() throws Exception {
        server = OwnServer.prepare("crash-server", 200, null);
        server.start();
    }

    @Test
    @Order(1)
    void aSessionBilledAcrossAKillMinus9AndRestartIsChargedExactlyOncePerElapsedPeriod() throws Exception {
        Api api = server.api("192.0.2.10");
        String admin = login(api);
        api.patch("/admin/config", admin, Map.of("billingPeriodSeconds", 1, "graceSeconds", 30, "maxSessionMinutes", 120));

        String[] expertIdAndToken = expert(api, admin);
        String expertId = expertIdAndToken[0];
        String expert = expertIdAndToken[1];
        assertEquals(200, api.put("/experts/me/presence", expert, Map.of("online", true)).status());
        String[] userIdAndToken = fundedUser(api, admin);
        String userId = userIdAndToken[0];
        String user = userIdAndToken[1];

        Api.Resp started = api.post("/sessions", user, Map.of("expertId", expertId, "channel", "CHAT"));
        assertEquals(201, started.status(), started::toString);
        String sessionId = started.json().get("id").asText();

        TimeUnit.MILLISECONDS.sleep(3_500);
        server.killMinus9();
        TimeUnit.SECONDS.sleep(6);
        server.start();
        TimeUnit.MILLISECONDS.sleep(3_500);

        JsonNode summary = api.post("/sessions/" + sessionId + "/end", user, null).json();
        JsonNode session = api.get("/sessions/" + sessionId, user).json();
        Instant startedAt = Instant.parse(session.get("startedAt").asText());
        Instant endedAt = Instant.parse(session.get("endedAt").asText());
        long elapsedPeriods = Duration.between(startedAt, endedAt).toSeconds() + 1;
        int billed = summary.get("minutesBilled").asInt();
        assertTrue(Duration.between(startedAt, endedAt).toSeconds() >= 14, "the session spanned the crash and the restart");
        assertEquals(elapsedPeriods, billed, "one charge per period begun between start and end");
        assertEquals(billed * 100L, summary.get("amountCharged").asLong());
        assertEquals(billed, Db.count("select count(*) from session_charge where session_id = ?::uuid", sessionId));
        assertEquals(billed, Db.count("select max(period) from session_charge where session_id = ?::uuid", sessionId), "periods 1..n, no gap");
        assertEquals(billed, Db.count("select count(*) from ledger_transfer where kind = 'SESSION_CHARGE' and reference like ?", sessionId + ":%"));
        assertEquals(1_000_000 - billed * 100L, Db.count("select balance from ledger_account where owner_id = ?::uuid and kind = 'WALLET'", userId));
        JsonNode check = api.get("/admin/ledger/check", admin).json();
        assertTrue(check.get("balanced").asBoolean(), check::toString);
    }

    @Test
    @Order(3)
    void anExpertWhoseSocketDiedWithAKilledServerGoesOfflineOnceTheDeadNodeIsReapedAndAnOrderlyStopLeavesNoNodeBehind() throws Exception {
        Api api = server.api("192.0.2.11");
        String admin = login(api);
        api.patch("/admin/config", admin, Map.of("disconnectTimeoutSeconds", 2));
        String[] expertIdAndToken = expert(api, admin);
        String expertId = expertIdAndToken[0];
        String expert = expertIdAndToken[1];
        HTTP.newWebSocketBuilder().buildAsync(URI.create(server.websocketUrl() + "?access_token=" + expert),
                new java.net.http.WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
        Instant connected = Instant.now().plusSeconds(10);
        while (!online(api, expertId) && Instant.now().isBefore(connected)) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertTrue(online(api, expertId), "connecting a socket puts an approved expert online");

        server.killMinus9(); // the socket dies with the server: no close, no disconnect recorded
        server.start();
        Instant deadline = Instant.now().plusSeconds(60);
        while (online(api, expertId) && Instant.now().isBefore(deadline)) {
            TimeUnit.MILLISECONDS.sleep(250);
        }
        assertTrue(!online(api, expertId), "the dead node's socket no longer keeps the expert online");
        assertEquals(0, Db.count("select sockets from socket_presence where account_id = ?::uuid", expertId));
        assertEquals(0, Db.count("select count(*) from node_socket where account_id = ?::uuid", expertId), "the dead node's rows are gone");
        assertEquals(1, Db.count("select count(*) from live_node where heartbeat_at > now() - interval '10 seconds'"), "only the new node beats");

        assertEquals(1, Db.count("select count(*) from live_node"), "the dead node was reaped, the live one is registered");
        server.close(); // SIGTERM: an orderly stop
        assertTrue(!server.isAlive(), "the server stopped");
        assertEquals(0, Db.count("select count(*) from live_node"), "a node stopping in order removes itself, without waiting to be reaped");
    }

    @Test
    @Order(2)
    void aBookingReminderThatFellDueWhileTheServerWasDeadIsSentOnceAfterTheRestart() throws Exception {
        Api api = server.api("192.0.2.12");
        String admin = login(api);
        api.patch("/admin/config", admin, Map.of("billingPeriodSeconds", 1, "bookingMinNoticeMinutes", 0));
        String[] expert = expert(api, admin);
        String[] user = fundedUser(api, admin);
        // a 1 s period: the booking starts in 1,460 s, its 24-"hour" (1,440 s) reminder is due in 20 s (a reminder that
        // comes due only after its booking has started is dropped, so not the 15-"minute" one)
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1_460);
        assertEquals(201, api.post("/experts/me/availability", expert[1], Map.of("startsAt", start.toString(),
                "endsAt", start.plusSeconds(15).toString())).status());
        Api.Resp booked = api.sendWithHeaders("POST", "/bookings", Map.of("expertId", expert[0], "startsAt", start.toString(),
                "minutes", 15, "channel", "CHAT"), "application/json", "Authorization", "Bearer " + user[1],
                "Idempotency-Key", UUID.randomUUID().toString());
        assertEquals(201, booked.status(), booked::toString);
        String bookingId = booked.json().get("id").asText();
        assertEquals(200, api.put("/bookings/" + bookingId + "/decision", expert[1], Map.of("decision", "ACCEPT")).status());
        Instant due = Instant.ofEpochSecond(Db.count("select extract(epoch from due_at)::bigint from booking_reminder"
                + " where booking_id = ?::uuid and kind = '24h'", bookingId));

        server.killMinus9();
        String reminders = "select count(*) from notification where dedupe_key like ? and channel = ?";
        assertEquals(0, Db.count(reminders, "booking:" + bookingId + ":reminder:%", "IN_APP"), "not due before the crash");
        while (!Instant.now().isAfter(due.plusSeconds(1))) {
            TimeUnit.MILLISECONDS.sleep(200); // the server stays dead past the due instant
        }
        server.start();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Db.count(reminders, "booking:" + bookingId + ":reminder:%", "IN_APP") < 2 && Instant.now().isBefore(deadline)) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertEquals(2, Db.count(reminders, "booking:" + bookingId + ":reminder:%", "IN_APP"), "one in-app reminder to each side");
        assertEquals(2, Db.count(reminders, "booking:" + bookingId + ":reminder:%", "EMAIL"), "one email to each side");
        // this server has no SMTP host configured: email runs in its logged mock mode, which marks them sent
        Instant mailed = Instant.now().plusSeconds(20);
        while (Db.count(reminders + " and status = 'SENT'", "booking:" + bookingId + ":reminder:%", "EMAIL") < 2 && Instant.now().isBefore(mailed)) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertEquals(2, Db.count(reminders + " and status = 'SENT'", "booking:" + bookingId + ":reminder:%", "EMAIL"));
        assertTrue(Files.readString(server.base().resolve("console.log")).contains("MOCK email"), "each mocked email is logged");
        assertEquals(1, Db.count("select count(*) from booking_reminder where booking_id = ?::uuid and kind = '24h' and sent_at > ?::timestamptz",
                bookingId, due.toString()), "sent after the restart, once");
    }

    private static boolean online(Api api, String expertId) {
        Api.Resp r = api.get("/experts/" + expertId, null);
        assertEquals(200, r.status(), r::toString);
        return r.json().get("online").asBoolean();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private static String[] expert(Api api, String admin) {
        return OwnServer.expert(api, admin, 100);
    }

    private static String[] fundedUser(Api api, String admin) {
        return OwnServer.fundedUser(api, admin, 1_000_000);
    }

    private static String login(Api api) {
        return OwnServer.adminToken(api);
    }
}
