package org.parley.crash;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Api;
import org.parley.it.support.Db;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
class BillingCrashIT {

    private static final int OFFSET = 200;
    private static final String BASE = "http://127.0.0.1:" + (8080 + OFFSET);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Process server;

    @Test
    void aSessionBilledAcrossAKillMinus9AndRestartIsChargedExactlyOncePerElapsedPeriod() throws Exception {
        Path base = prepareBaseDir();
        server = start(base);
        awaitReady();
        Api api = new Api("192.0.2.10", BASE);
        String admin = login(api, System.getProperty("parley.it.admin.email"), System.getProperty("parley.it.admin.password"));
        api.patch("/admin/config", admin, Map.of("billingPeriodSeconds", 1, "graceSeconds", 30, "maxSessionMinutes", 120));

        String[] expertIdAndToken = expert(api, admin, "Crash listener");
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
        killMinus9();
        TimeUnit.SECONDS.sleep(6);
        server = start(base);
        awaitReady();
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
    void anExpertWhoseSocketDiedWithAKilledServerGoesOfflineOnceTheDeadNodeIsReapedAndAnOrderlyStopLeavesNoNodeBehind() throws Exception {
        Path base = prepareBaseDir();
        server = start(base);
        awaitReady();
        Api api = new Api("192.0.2.11", BASE);
        String admin = login(api, System.getProperty("parley.it.admin.email"), System.getProperty("parley.it.admin.password"));
        api.patch("/admin/config", admin, Map.of("disconnectTimeoutSeconds", 2));
        String[] expertIdAndToken = expert(api, admin, "Socket listener");
        String expertId = expertIdAndToken[0];
        String expert = expertIdAndToken[1];
        HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + (8080 + OFFSET) + "/ws/live?access_token=" + expert),
                new java.net.http.WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
        Instant connected = Instant.now().plusSeconds(10);
        while (!online(api, expertId) && Instant.now().isBefore(connected)) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertTrue(online(api, expertId), "connecting a socket puts an approved expert online");

        killMinus9(); // the socket dies with the server: no close, no disconnect recorded
        server = start(base);
        awaitReady();
        Instant deadline = Instant.now().plusSeconds(60);
        while (online(api, expertId) && Instant.now().isBefore(deadline)) {
            TimeUnit.MILLISECONDS.sleep(250);
        }
        assertTrue(!online(api, expertId), "the dead node's socket no longer keeps the expert online");
        assertEquals(0, Db.count("select sockets from socket_presence where account_id = ?::uuid", expertId));
        assertEquals(0, Db.count("select count(*) from node_socket where account_id = ?::uuid", expertId), "the dead node's rows are gone");
        assertEquals(1, Db.count("select count(*) from live_node where heartbeat_at > now() - interval '10 seconds'"), "only the new node beats");

        assertEquals(1, Db.count("select count(*) from live_node"), "the dead node was reaped, the live one is registered");
        server.destroy(); // SIGTERM: an orderly stop
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stopped");
        assertEquals(0, Db.count("select count(*) from live_node"), "a node stopping in order removes itself, without waiting to be reaped");
    }

    @Test
    void aBookingReminderThatFellDueWhileTheServerWasDeadIsSentOnceAfterTheRestart() throws Exception {
        Path base = prepareBaseDir();
        server = start(base);
        awaitReady();
        Api api = new Api("192.0.2.12", BASE);
        String admin = login(api, System.getProperty("parley.it.admin.email"), System.getProperty("parley.it.admin.password"));
        api.patch("/admin/config", admin, Map.of("billingPeriodSeconds", 1, "bookingMinNoticeMinutes", 0));
        String[] expert = expert(api, admin, "Crash mentor");
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

        killMinus9();
        String reminders = "select count(*) from notification where dedupe_key like ? and channel = ?";
        assertEquals(0, Db.count(reminders, "booking:" + bookingId + ":reminder:%", "IN_APP"), "not due before the crash");
        while (!Instant.now().isAfter(due.plusSeconds(1))) {
            TimeUnit.MILLISECONDS.sleep(200); // the server stays dead past the due instant
        }
        server = start(base);
        awaitReady();
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
        assertTrue(Files.readString(base.resolve("console.log")).contains("MOCK email"), "each mocked email is logged");
        assertEquals(1, Db.count("select count(*) from booking_reminder where booking_id = ?::uuid and kind = '24h' and sent_at > ?::timestamptz",
                bookingId, due.toString()), "sent after the restart, once");
    }

    /** An approved expert offering CHAT at 100 paise: its id and token. */
    private static String[] expert(Api api, String admin, String title) {
        String email = "crash-expert-" + UUID.randomUUID() + "@it.parley.test";
        String id = register(api, email, "EXPERT");
        String token = login(api, email, "crash test password");
        api.put("/experts/me", token, Map.of("title", title, "specialties", List.of("x"), "languages", List.of("en"),
                "rates", Map.of("CHAT", 100)));
        for (String step : List.of("DOCUMENTS_VERIFIED", "CALL_SCHEDULED", "CALL_DONE", "APPROVED")) {
            assertEquals(200, api.put("/admin/expert-applications/" + id, admin, Map.of("status", step)).status());
        }
        return new String[]{id, token};
    }

    /** A user with ₹10,000 in the wallet: its id and token. */
    private static String[] fundedUser(Api api, String admin) {
        String email = "crash-user-" + UUID.randomUUID() + "@it.parley.test";
        String id = register(api, email, "USER");
        String token = login(api, email, "crash test password");
        assertEquals(201, api.sendWithHeaders("POST", "/admin/wallets/" + id + "/adjustments",
                Map.of("amount", 1_000_000, "reason", "crash test"), "application/json",
                "Authorization", "Bearer " + admin, "Idempotency-Key", UUID.randomUUID().toString()).status());
        return new String[]{id, token};
    }

    private static boolean online(Api api, String expertId) {
        Api.Resp r = api.get("/experts/" + expertId, null);
        assertEquals(200, r.status(), r::toString);
        return r.json().get("online").asBoolean();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            List<ProcessHandle> tree = server.descendants().toList();
            tree.forEach(ProcessHandle::destroy);
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void killMinus9() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(server.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
        server.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle p : tree) {
            p.onExit().join();
        }
    }

    private static Path prepareBaseDir() throws IOException {
        Path home = Path.of(System.getProperty("jboss.home"));
        Path base = Path.of(System.getProperty("parley.it.work", "target/it")).toAbsolutePath().resolve("crash-server");
        if (Files.exists(base)) {
            try (var old = Files.walk(base)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        try (var files = Files.list(home.resolve("standalone/configuration"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, base.resolve("configuration").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.copy(Path.of(System.getProperty("parley.ear")), base.resolve("deployments/parley.ear"), StandardCopyOption.REPLACE_EXISTING);
        return base;
    }

    private static Process start(Path base) throws IOException {
        Path home = Path.of(System.getProperty("jboss.home"));
        Path log = base.resolve("console.log");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(), "-c", "parley.xml",
                "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + OFFSET,
                "-Dparley.db.url=" + System.getProperty("parley.it.db.url"), "-Dparley.db.user=postgres",
                "-Dparley.data.dir=" + System.getProperty("parley.it.data.dir"),
                "-Dparley.admin.email=" + System.getProperty("parley.it.admin.email"),
                "-Dparley.admin.password=" + System.getProperty("parley.it.admin.password"),
                "-Dparley.password.bcrypt-cost=6", "-Dparley.live.node-timeout-seconds=5")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("JBOSS_HOME", home.toString());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        return pb.start();
    }

    private static void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/experts")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(300);
        }
        throw new AssertionError("the crash-test server did not become ready");
    }

    private static String register(Api api, String email, String role) {
        Api.Resp r = api.post("/auth/register", null, Map.of("email", email, "password", "crash test password", "name", "Crash", "role", role));
        assertEquals(201, r.status(), r::toString);
        return r.json().get("id").asText();
    }

    private static String login(Api api, String email, String password) {
        Api.Resp r = api.post("/auth/login", null, Map.of("email", email, "password", password));
        assertEquals(200, r.status(), r::toString);
        return r.json().get("accessToken").asText();
    }
}
