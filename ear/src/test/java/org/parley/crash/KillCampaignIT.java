package org.parley.crash;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.LiveClient;
import org.parley.it.support.Razorpay;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WildFly killed with SIGKILL at random moments, again and again, while users hold billed chat sessions, chat, pay in
 * through the gateway (webhooks, delivered twice), admins refund and settlement runs; restarted each time. Clients do
 * what real ones do: a request that got no answer is retried with the same Idempotency-Key (or, for ending a session,
 * simply again) once the server is back; a dropped socket is reopened. Proves, over every session of the run: each
 * period charged exactly once (1..n with n the periods begun between start and end), nothing due after the end
 * charged, every chat line the server acknowledged in the history, every deposit credited once, every refund paid once,
 * billing resumed within two periods of each restart, and the ledger check balanced after each restart and at the end.
 *
 * <p>Size: {@code parley.faults.kills} (3) over {@code parley.faults.sessions} (40) sessions, {@code
 * parley.faults.concurrent} (10) at a time, seed {@code parley.faults.seed}; the {@code faults} profile runs 20 kills
 * over 1,000 sessions.
 */
class KillCampaignIT {

    private static final int KILLS = Integer.getInteger("parley.faults.kills", 3);
    private static final int SESSIONS = Integer.getInteger("parley.faults.sessions", 40);
    private static final int CONCURRENT = Integer.getInteger("parley.faults.concurrent", 10);
    private static final long SEED = Long.getLong("parley.faults.seed", System.nanoTime());
    private static final long RATE = 100;
    private static final long FUNDING = 5_000_000;

    private OwnServer server;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean down;
    private volatile boolean killsOver;
    private Api api;
    private String admin;

    private record Acked(String sessionId, long seq, String body) {
    }

    private record Deposit(String id, long amount) {
    }

    @Test
    void killedTwentyTimesUnderSessionsChatDepositsRefundsAndSettlementNothingIsLostOrDoubled() throws Exception {
        System.out.println("kill campaign seed " + SEED + " (replay the kill timings with -Dparley.faults.seed=" + SEED + ")");
        Random random = new Random(SEED);
        server = OwnServer.withRazorpay("kill-campaign-server", 200);
        server.start();
        api = server.api("192.0.2.30");
        admin = OwnServer.adminToken(api);
        assertEquals(200, api.patch("/admin/config", admin, Map.of("billingPeriodSeconds", 1, "graceSeconds", 30,
                "maxSessionMinutes", 120, "disconnectTimeoutSeconds", 600)).status());
        List<String[]> experts = new ArrayList<>();
        List<String[]> users = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            String[] expert = OwnServer.expert(api, admin, RATE);
            assertEquals(200, api.put("/experts/me/presence", expert[1], Map.of("online", true)).status());
            experts.add(expert);
            users.add(OwnServer.fundedUser(api, admin, FUNDING));
        }

        List<String> sessions = Collections.synchronizedList(new ArrayList<>());
        List<Acked> acked = Collections.synchronizedList(new ArrayList<>());
        List<Deposit> deposits = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> refunds = new ConcurrentHashMap<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger settlementRuns = new AtomicInteger();
        ExecutorService workers = Executors.newCachedThreadPool();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            String[] user = users.get(i);
            String[] expert = experts.get(i);
            Random r = new Random(SEED + i + 1);
            futures.add(workers.submit(() -> {
                // sessions keep starting until there have been SESSIONS and the kills are over, so each kill finds some live
                while (running.get() && (started.getAndIncrement() < SESSIONS || !killsOver)) {
                    String id = startSession(user, expert);
                    sessions.add(id);
                    chatFor(id, user[1], Duration.ofMillis(2_000 + r.nextInt(8_000)), acked);
                    retry(() -> api.post("/sessions/" + id + "/end", user[1], null), 200);
                }
                return null;
            }));
        }
        futures.add(workers.submit(() -> {
            Random r = new Random(SEED - 1);
            while (running.get()) {
                String[] user = users.get(r.nextInt(users.size()));
                deposits.add(deposit(user, 10_000 + deposits.size()));
                pause(300);
            }
            return null;
        }));
        futures.add(workers.submit(() -> {
            while (running.get()) {
                refundSome(sessions, users, refunds);
                pause(1_000);
            }
            return null;
        }));
        futures.add(workers.submit(() -> {
            while (running.get()) {
                settle();
                settlementRuns.incrementAndGet();
                pause(4_000);
            }
            return null;
        }));

        List<Long> resumeMillis = new ArrayList<>();
        List<Long> readyLagMillis = new ArrayList<>();
        int kills = 0;
        while (kills < KILLS || started.get() < SESSIONS) {
            TimeUnit.MILLISECONDS.sleep(3_000 + random.nextInt(7_000));
            if (kills < KILLS) {
                down = true;
                server.killMinus9();
                kills++;
                TimeUnit.MILLISECONDS.sleep(random.nextInt(3_000));
                Instant restart = Instant.now();
                Instant ready = server.start();
                down = false;
                if (Db.count("select count(*) from live_session where status <> 'ENDED'") > 0) {
                    Instant resumed = firstChargeAfter(restart);
                    resumeMillis.add(Duration.between(restart, resumed).toMillis());
                    readyLagMillis.add(Duration.between(ready, resumed).toMillis());
                }
                JsonNode check = api.get("/admin/ledger/check", admin).json();
                assertTrue(check.get("balanced").asBoolean(), "after restart " + kills + ": " + check);
            }
        }
        killsOver = true;
        running.set(false);
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        workers.shutdown();
        JsonNode settled = settle();
        assertEquals("COMPLETED", settled.path("status").asText(), settled::toString);
        assertEquals("BALANCED", settled.path("exitStatus").asText(), "the day reconciles, refunds after settlement included: " + settled);

        // every session: periods 1..n, n = the periods begun between its start and its end, nothing due after the end
        long periods = 0;
        for (String id : sessions) {
            JsonNode s = api.get("/sessions/" + id, admin).json();
            assertEquals("ENDED", s.get("status").asText(), id);
            long expected = Duration.between(Instant.parse(s.get("startedAt").asText()), Instant.parse(s.get("endedAt").asText())).toSeconds() + 1;
            assertEquals(expected, s.get("minutesBilled").asLong(), () -> "one charge per period begun: " + s + " charges (period@due/charged): "
                    + Db.string("select string_agg(period || '@' || due_at || '/' || charged_at, ', ' order by period) from session_charge where session_id = ?::uuid", id));
            assertEquals(expected, Db.count("select count(*) from session_charge where session_id = ?::uuid", id), id);
            assertEquals(expected, Db.count("select coalesce(max(period), 0) from session_charge where session_id = ?::uuid", id), "no gap: " + id);
            assertEquals(expected * RATE, s.get("amountCharged").asLong(), id);
            periods += expected;
        }
        assertEquals(0, Db.count("select count(*) from session_charge c join live_session s on s.id = c.session_id where c.due_at > s.ended_at"),
                "nothing due after a session's end was charged");
        assertEquals(periods, Db.count("select count(*) from ledger_transfer where kind = 'SESSION_CHARGE' and reference in (select c.session_id || ':' || c.period"
                + " from session_charge c where c.session_id = any(?::uuid[]))", (Object) sessions.toArray(String[]::new)), "one SESSION_CHARGE per period");
        Map<String, String> history = pairs("select session_id || ':' || seq, body from chat_message where session_id = any(?::uuid[])", sessions);
        for (Acked a : acked) {
            assertEquals(a.body(), history.get(a.sessionId() + ":" + a.seq()), "an acknowledged line is in the history");
        }
        Map<String, String> credited = pairs("select reference, count(*) || ' x ' || sum(amount) from ledger_transfer where kind = 'DEPOSIT'"
                + " and reference = any(?) group by reference", deposits.stream().map(Deposit::id).toList());
        for (Deposit d : deposits) {
            assertEquals("1 x " + d.amount(), credited.get(d.id()), "credited once, its amount: " + d);
        }
        Map<String, String> refunded = pairs("select reference, count(*)::text from ledger_transfer where kind = 'REFUND' and reference = any(?)"
                + " group by reference", refunds.entrySet().stream().map(r -> r.getKey() + ":refund:" + r.getValue()).toList());
        for (Map.Entry<String, Long> refund : refunds.entrySet()) {
            assertEquals("1", refunded.get(refund.getKey() + ":refund:" + refund.getValue()), "refunded once: " + refund.getKey());
        }
        for (String[] user : users) {
            long charged = Db.count("select coalesce(sum(amount_charged - amount_refunded), 0) from live_session where user_id = ?::uuid", user[0]);
            long paidIn = Db.count("select coalesce(sum(amount), 0) from deposit where account_id = ?::uuid and status = 'PAID'", user[0]);
            assertEquals(FUNDING + paidIn - charged, api.get("/wallet", user[1]).json().get("balance").asLong(), "wallet of " + user[0]);
        }
        JsonNode check = api.get("/admin/ledger/check", admin).json();
        assertTrue(check.get("balanced").asBoolean(), check::toString);
        List<Long> sorted = resumeMillis.stream().sorted().toList();
        List<Long> lag = readyLagMillis.stream().sorted().toList();
        System.out.printf("kill campaign: %d kills survived, %d sessions, %d periods charged and checked, %d chat lines acknowledged and found,"
                        + " %d deposits, %d refunds, %d settlement runs; billing resumed p50 %d ms, max %d ms after the restart command"
                        + " (WildFly boot and deployment included), p50 %d ms, max %d ms after the API served again (negative: before)%n",
                kills, sessions.size(), periods, acked.size(), deposits.size(), refunds.size(), settlementRuns.get(),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), lag.get(lag.size() / 2), lag.get(lag.size() - 1));
        assertTrue(lag.get(lag.size() - 1) <= 2_000, "billing resumed within two periods of the server coming back: " + lag);
    }

    /** Two text columns of a query over many ids at once (one round trip, not one per id), keyed by the first. */
    private static Map<String, String> pairs(String sql, List<String> ids) throws java.sql.SQLException {
        try (Db.Kept db = Db.keep()) {
            return db.pairs(sql, (Object) ids.toArray(String[]::new));
        }
    }

    /** The first charge made after {@code restart} (none can be made while the server is dead): when billing resumed. */
    private static Instant firstChargeAfter(Instant restart) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        String after = restart.toString();
        while (Instant.now().isBefore(deadline)) {
            String first = Db.string("select (extract(epoch from min(charged_at)) * 1000)::bigint from session_charge where charged_at >= ?::timestamptz", after);
            if (first != null) {
                return Instant.ofEpochMilli(Long.parseLong(first));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("no charge within 30 s of the restart");
    }

    /** Starts a session, retrying through a dead server; a start whose answer was lost is found as the user's live one. */
    private String startSession(String[] user, String[] expert) {
        while (true) {
            Api.Resp r = quietly(() -> api.post("/sessions", user[1], Map.of("expertId", expert[0], "channel", "CHAT")));
            if (r != null && r.status() == 201) {
                return r.json().get("id").asText();
            }
            if (r != null && r.status() == 409) {
                String live = Db.string("select id::text from live_session where user_id = ?::uuid and status <> 'ENDED'", user[0]);
                if (live != null) {
                    return live;
                }
            }
            pause(200);
        }
    }

    /** Chats in {@code session} for {@code length}: a line every 250 ms, each acknowledged by its stored echo. */
    private void chatFor(String session, String token, Duration length, List<Acked> acked) {
        Instant end = Instant.now().plus(length);
        LiveClient socket = null;
        while (Instant.now().isBefore(end) && running.get()) {
            try {
                if (socket == null || socket.closed.isDone()) {
                    if (down) {
                        pause(100);
                        continue;
                    }
                    socket = LiveClient.open(server.websocketUrl() + "?access_token=" + token, null, null);
                }
                String clientMsgId = UUID.randomUUID().toString();
                String body = "line " + clientMsgId;
                socket.send(Map.of("type", "chat-message", "sessionId", session, "body", body, "clientMsgId", clientMsgId));
                JsonNode echo = socket.await("new-message", f -> clientMsgId.equals(f.path("clientMsgId").asText()), Duration.ofSeconds(3));
                acked.add(new Acked(session, echo.get("seq").asLong(), body));
                pause(250);
            } catch (AssertionError | RuntimeException lost) {
                // the server died under the socket (or the line's echo never came): a new socket once it is back
                if (socket != null) {
                    socket.close();
                }
                socket = null;
                pause(100);
            }
        }
        if (socket != null) {
            socket.close();
        }
    }

    /** A deposit created (retried with its key) and paid by a webhook delivered until accepted, then once more. */
    private Deposit deposit(String[] user, long amount) {
        String orderId = Razorpay.nextOrder(amount);
        String key = UUID.randomUUID().toString();
        JsonNode created = retry(() -> api.sendWithHeaders("POST", "/wallet/deposits", Map.of("amount", amount, "gateway", "razorpay"),
                "application/json", "Authorization", "Bearer " + user[1], "Idempotency-Key", key), 201).json();
        String paymentId = Razorpay.newPaymentId();
        String event = Razorpay.paymentEvent("payment.captured", orderId, paymentId, amount, "INR");
        String eventId = Razorpay.newEventId();
        retry(() -> Razorpay.deliver(api, eventId, event, Razorpay.webhookSignature(event)), 200);
        retry(() -> Razorpay.deliver(api, eventId, event, Razorpay.webhookSignature(event)), 200);
        return new Deposit(created.get("id").asText(), amount);
    }

    /** Refunds 100 paise of an ended session not refunded yet, retrying with its key. */
    private void refundSome(List<String> sessions, List<String[]> users, Map<String, Long> refunds) {
        String candidate;
        synchronized (sessions) {
            candidate = sessions.stream().filter(s -> !refunds.containsKey(s))
                    .filter(s -> Db.count("select count(*) from live_session where id = ?::uuid and status = 'ENDED' and amount_charged >= 200", s) == 1)
                    .findFirst().orElse(null);
        }
        if (candidate == null) {
            return;
        }
        String key = UUID.randomUUID().toString();
        refunds.put(candidate, 100L);
        retry(() -> api.sendWithHeaders("POST", "/admin/sessions/" + candidate + "/refund", Map.of("amount", 100, "reason", "campaign"),
                "application/json", "Authorization", "Bearer " + admin, "Idempotency-Key", key), 200);
    }

    /** Starts today's settlement and waits for it; a run the kill interrupted is left as it is, the next one redoes it. */
    private JsonNode settle() {
        String today = LocalDate.now(ZoneId.of("Asia/Kolkata")).toString();
        JsonNode started = retry(() -> api.post("/admin/batch/jobs/nightly-settlement/executions", admin,
                Map.of("parameters", Map.of("businessDate", today))), 202).json();
        long id = started.get("executionId").asLong();
        Instant deadline = Instant.now().plusSeconds(60);
        boolean last = !running.get();
        while (Instant.now().isBefore(deadline) && (running.get() || last)) {
            Api.Resp r = quietly(() -> api.get("/admin/batch/executions/" + id, admin));
            if (r == null || r.status() != 200 || Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(r.json().path("status").asText())) {
                return r == null ? null : r.json(); // finished, or the server died under it
            }
            pause(200);
        }
        return null;
    }

    /** Sends until the server answers {@code status} (a lost answer is retried as it is, with the same key). */
    private Api.Resp retry(Supplier<Api.Resp> request, int status) {
        Instant deadline = Instant.now().plusSeconds(300);
        Api.Resp last = null;
        while (Instant.now().isBefore(deadline)) {
            last = quietly(request);
            if (last != null && last.status() == status) {
                return last;
            }
            if (last != null && last.status() < 500 && last.status() != 404) {
                throw new AssertionError("refused: " + last);
            }
            pause(200);
        }
        throw new AssertionError("no " + status + " within 5 minutes; last " + last);
    }

    private static Api.Resp quietly(Supplier<Api.Resp> request) {
        try {
            return request.get();
        } catch (AssertionError noAnswer) {
            return null;
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        if (server != null) {
            server.close();
        }
    }
}
