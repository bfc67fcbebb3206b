package org.parley.crash;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.devserver.EmbeddedDatabase;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.TestEnvironment;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL crashes under load ({@code pg_ctl stop -m immediate}: every backend killed, no checkpoint, recovery from
 * the WAL at the next start) and comes back, while WildFly keeps running. The database here is a durable one of the
 * test's own (fsync and synchronous_commit on, unlike the suite's throwaway one), so an acknowledged commit must
 * survive the crash. Proves: every adjustment answered 201 is in the ledger afterwards; every unanswered one is all or
 * nothing (retried with its key it lands exactly once); readiness says DOWN while the database is gone and UP after,
 * with the same WildFly process; the pool reconnects by itself; billing resumes and catches up exactly; the ledger
 * check balances.
 */
class DatabaseCrashIT {

    private static final int USERS = 8;
    private static final int WRITERS = 6;
    private static final long FUNDING = 1_000_000;

    private EmbeddedDatabase database;
    private Db.Kept db;
    private OwnServer server;

    private record Attempt(String key, int user, int status) {
    }

    @Test
    void aCrashedDatabaseLosesNoAcknowledgedWriteLeavesNoHalfWriteAndParleyRecoversWithoutARestart() throws Exception {
        Path work = Path.of(System.getProperty("parley.it.work", "target/it")).toAbsolutePath();
        Path data = work.resolve("pg-durable");
        Path runtime = work.getParent().resolve("pg-runtime");
        TestEnvironment.deleteRecursively(data);
        int port = TestEnvironment.freePort();
        database = EmbeddedDatabase.start(data, runtime, port, false, true);
        String url = database.jdbcUrl();
        try (Db.Kept settings = Db.keep(url)) {
            assertEquals("on", settings.string("show synchronous_commit"));
            assertEquals("on", settings.string("show fsync"));
        }

        server = OwnServer.prepare("db-crash-server", 300, url);
        server.start();
        long pid = server.pid();
        Api api = server.api("192.0.2.20");
        String admin = OwnServer.adminToken(api);
        api.patch("/admin/config", admin, Map.of("billingPeriodSeconds", 1, "graceSeconds", 30, "maxSessionMinutes", 120));
        List<String[]> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(OwnServer.fundedUser(api, admin, FUNDING));
        }
        // three billed sessions running through the crash
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String[] expert = OwnServer.expert(api, admin, 100);
            assertEquals(200, api.put("/experts/me/presence", expert[1], Map.of("online", true)).status());
            Api.Resp started = api.post("/sessions", users.get(i)[1], Map.of("expertId", expert[0], "channel", "CHAT"));
            assertEquals(201, started.status(), started::toString);
            sessions.add(started.json().get("id").asText());
        }

        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong succeeded = new java.util.concurrent.atomic.AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        Api impatient = api.impatient(Duration.ofSeconds(5));
        for (int w = 0; w < WRITERS; w++) {
            writers.submit(() -> {
                while (running.get()) {
                    int u = ThreadLocalRandom.current().nextInt(USERS);
                    String key = UUID.randomUUID().toString();
                    int status;
                    try {
                        Api.Resp r = adjust(impatient, admin, users.get(u)[0], key);
                        status = r.status();
                        if (status == 503 && !(r.contentType().startsWith("application/problem+json")
                                && r.body().contains("database-unavailable") && r.headers().firstValue("Retry-After").isPresent())) {
                            status = 599; // a 503 without its problem and Retry-After counts as a wrong answer
                        }
                    } catch (AssertionError noAnswer) {
                        status = -1;
                    }
                    attempts.add(new Attempt(key, u, status));
                    if (status == 201) {
                        succeeded.incrementAndGet();
                    }
                }
                return null;
            });
        }
        awaitAttempts(attempts, 200);

        Instant crashed = Instant.now();
        crashImmediately(data);
        Instant down = await(() -> server.readiness() == 503, Duration.ofSeconds(60), "readiness DOWN");
        TimeUnit.SECONDS.sleep(3); // the writers keep trying against a database that is not there
        release(database);
        database = EmbeddedDatabase.start(data, runtime, port, false, true);
        Instant restarted = Instant.now();
        Instant up = await(() -> server.readiness() == 200, Duration.ofSeconds(60), "readiness UP");
        long before = succeeded.get();
        await(() -> succeeded.get() >= before + 50,
                Duration.ofSeconds(60), "adjustments succeeding again");
        Instant recovered = Instant.now();
        running.set(false);
        writers.shutdown();
        assertTrue(writers.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(pid, server.pid(), "the same WildFly process throughout");
        System.out.printf("database crash: readiness DOWN %d ms after the crash, UP %d ms after the restart, writes succeeding %d ms after it;"
                        + " %d attempts, %d answered 201, %d not%n", Duration.between(crashed, down).toMillis(),
                Duration.between(restarted, up).toMillis(), Duration.between(restarted, recovered).toMillis(), attempts.size(),
                attempts.stream().filter(a -> a.status() == 201).count(), attempts.stream().filter(a -> a.status() != 201).count());

        Map<Integer, Long> answers = new java.util.TreeMap<>();
        List.copyOf(attempts).forEach(a -> answers.merge(a.status(), 1L, Long::sum));
        System.out.println("database crash: answers by status (-1: none within 5 s) " + answers);
        assertTrue(answers.getOrDefault(503, 0L) > 0, "requests while the database was down were answered 503: " + answers);
        assertEquals(Set.of(201, 503), new java.util.HashSet<>(answers.keySet()).stream().filter(k -> k != -1).collect(java.util.stream.Collectors.toSet()),
                "every answer is 201 or 503 database-unavailable with Retry-After, never a 500: " + answers);
        String log = Files.readString(server.base().resolve("console.log"));
        long outageSeconds = Duration.between(crashed, up).toSeconds() + 1;
        assertEquals(0, log.lines().filter(l -> l.contains("Unexpected error")).count(), "an outage is not an unexpected error per request");
        assertTrue(log.lines().filter(l -> l.contains("billing sweep failed")).count() <= outageSeconds / 10 + 2,
                "the failing sweep is logged once in ten seconds, not five times a second");

        String adminId = api.get("/auth/me", admin).json().get("id").asText();
        db = Db.keep(url); // opened after the restart: a connection from before the crash is dead
        long unanswered = 0;
        for (Attempt a : List.copyOf(attempts)) {
            String stored = db.string("select status::text from idempotency_record where account_id = ?::uuid and idem_key = ?", adminId, a.key());
            if (a.status() == 201) {
                assertEquals("201", stored, "an acknowledged adjustment is kept: " + a.key());
                assertEquals(1, db.count("select count(*) from ledger_transfer where kind = 'ADJUSTMENT' and reference ="
                        + " (select body::jsonb ->> 'id' from idempotency_record where account_id = ?::uuid and idem_key = ?)", adminId, a.key()));
            } else {
                unanswered++;
                // all or nothing: retried with its key, it answers 201 and lands exactly once
                Api.Resp retried = adjust(api, admin, users.get(a.user())[0], a.key());
                assertEquals(201, retried.status(), retried::toString);
            }
        }
        assertTrue(unanswered > 0, "some requests went unanswered while the database was down");
        long[] keysPerUser = new long[USERS];
        attempts.forEach(a -> keysPerUser[a.user()]++);
        for (String s : sessions) {
            assertEquals(200, api.post("/sessions/" + s + "/end", users.get(sessions.indexOf(s))[1], null).status());
        }
        for (int u = 0; u < USERS; u++) {
            long charged = u < sessions.size() ? api.get("/sessions/" + sessions.get(u), users.get(u)[1]).json().get("amountCharged").asLong() : 0;
            assertEquals(FUNDING + 100 * keysPerUser[u] - charged, api.get("/wallet", users.get(u)[1]).json().get("balance").asLong(),
                    "user " + u + ": the funding, one credit per key, the session's charges: nothing lost, nothing doubled");
        }
        for (String s : sessions) {
            JsonNode session = api.get("/sessions/" + s, admin).json();
            long periods = Duration.between(Instant.parse(session.get("startedAt").asText()), Instant.parse(session.get("endedAt").asText()))
                    .toSeconds() + 1;
            assertTrue(Instant.parse(session.get("startedAt").asText()).isBefore(crashed)
                    && Instant.parse(session.get("endedAt").asText()).isAfter(up), "the session spanned the outage");
            assertEquals(periods, session.get("minutesBilled").asLong(), "one charge per period begun, the outage's caught up: " + s);
            assertEquals(periods, db.count("select count(*) from session_charge where session_id = ?::uuid", s));
        }
        JsonNode check = api.get("/admin/ledger/check", admin).json();
        assertTrue(check.get("balanced").asBoolean(), check::toString);
    }

    private static Api.Resp adjust(Api api, String admin, String userId, String key) {
        return api.sendWithHeaders("POST", "/admin/wallets/" + userId + "/adjustments", Map.of("amount", 100, "reason", "crash load"),
                "application/json", "Authorization", "Bearer " + admin, "Idempotency-Key", key);
    }

    private static void awaitAttempts(List<Attempt> attempts, int n) throws InterruptedException {
        await(() -> attempts.size() >= n, Duration.ofSeconds(60), n + " attempts");
    }

    private static Instant await(java.util.function.BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return Instant.now();
    }

    /**
     * An immediate shutdown of the PostgreSQL on {@code data}, as {@code pg_ctl stop -m immediate} does it (pg_ctl
     * itself refuses to run as root): SIGQUIT to the postmaster whose pid is the first line of postmaster.pid, which
     * kills every backend at once, without a checkpoint; then waits until it is gone.
     */
    static void crashImmediately(Path data) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).redirectErrorStream(true).start();
        assertEquals(0, kill.waitFor(), new String(kill.getInputStream().readAllBytes()));
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    }

    /** Lets go of a crashed instance (its lock on the data folder), so the same folder can be started again. */
    private static void release(EmbeddedDatabase crashed) {
        try {
            crashed.close();
        } catch (RuntimeException alreadyDead) {
            // nothing to stop: it is the lock that is released
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
