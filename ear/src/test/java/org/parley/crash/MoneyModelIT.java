package org.parley.crash;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.Razorpay;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded, randomised model test of the money rules against the real EAR on a WildFly of its own: a model of every
 * wallet, every expert's pending and available earnings and every session, and a random sequence of deposits (paid by
 * webhooks, some delivered twice), adjustments (some overdrawing), session starts (some refused), ends, billing
 * ticks, refunds (some too large), payout requests (some over the balance or while one is active) and rejections,
 * settlement runs and kill -9 restarts. Each step's answer must be the one the model predicts (status and amounts),
 * and after every step the ledger check must balance and every balance must equal the model's.
 *
 * <p>Billing runs on the server's real clock, so a live session's charges are read (with the wallet, in one snapshot)
 * rather than predicted; once it ends, its charges must be one per period begun. The sequence of actions is exactly
 * that of the seed: {@code -Dparley.model.seed=S -Dparley.model.steps=N} replays a failing run, which prints its seed,
 * its step and the actions before it. {@code parley.model.seeds} random seeds (2) of {@code parley.model.steps} steps
 * (1,000) run by default, with a kill -9 restart per 1,000 steps; the {@code faults} profile runs more.
 */
class MoneyModelIT {

    private static final int STEPS = Integer.getInteger("parley.model.steps", 1_000);
    private static final int SEEDS = Integer.getInteger("parley.model.seeds", 2);
    private static final int FEE_PERCENT = 20;
    private static final int USERS = 4;

    private OwnServer server;
    private final Db.Kept sql = Db.keep(); // a step reads a dozen times: one connection, not one per read
    private Api api;
    private String admin;

    @Test
    void randomInterleavingsOfMoneyOperationsAnswerAsTheModelSaysAndKeepEveryBalanceAndTheLedgerExact() throws Exception {
        List<Long> seeds = new ArrayList<>();
        if (System.getProperty("parley.model.seed") != null) {
            seeds.add(Long.getLong("parley.model.seed"));
        } else {
            Random pick = new Random();
            for (int i = 0; i < SEEDS; i++) {
                seeds.add(pick.nextLong());
            }
        }
        server = OwnServer.withRazorpay("model-server", 200);
        server.start();
        api = server.api("192.0.2.40");
        admin = OwnServer.adminToken(api);
        assertEquals(200, api.patch("/admin/config", admin, Map.of("billingPeriodSeconds", 1, "graceSeconds", 2, "maxSessionMinutes", 120,
                "disconnectTimeoutSeconds", 3_600, "payoutMin", 100, "payoutMax", 100_000_000, "freeFirstMinutes", 0, "feePercent", FEE_PERCENT)).status());
        long steps = 0;
        int restarts = 0;
        for (long seed : seeds) {
            Run run = new Run(seed);
            long began = System.nanoTime();
            try {
                run.go(STEPS);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("model seed " + seed + " failed at step " + run.step + " (replay: -Dparley.model.seed=" + seed
                        + " -Dparley.model.steps=" + (run.step + 1) + "); the last actions:\n  " + String.join("\n  ", run.log), e);
            }
            steps += run.step;
            restarts += run.restarts;
            System.out.printf("model seed %d: %d steps, %d restarts, %d sessions in %d s, answers %s%n", seed, run.step, run.restarts, run.sessions,
                    (System.nanoTime() - began) / 1_000_000_000L, run.answers);
        }
        System.out.printf("model: %d seeds, %d steps, %d restarts, the ledger checked after every step%n", seeds.size(), steps, restarts);
    }

    private static long fee(long amount) {
        return (amount * FEE_PERCENT + 50) / 100;
    }

    /** One user of the model. */
    private static final class User {
        String id;
        String token;
        long wallet;
        Session live;
    }

    /** One expert of the model. */
    private static final class Expert {
        String id;
        String token;
        long rate;
        long pending;
        long available;
        String payout;
        long payoutAmount;
        Session live;
    }

    private static final class Session {
        String id;
        User user;
        Expert expert;
        long charged;
        long refunded;
        boolean settled;
    }

    /** One seed's run: its own users and experts, its random sequence. */
    private final class Run {
        final long seed;
        final Random random;
        final List<User> users = new ArrayList<>();
        final List<Expert> experts = new ArrayList<>();
        final List<Session> ended = new ArrayList<>();
        final Deque<String> log = new ArrayDeque<>();
        final Map<String, Integer> answers = new HashMap<>();
        int step;
        int restarts;
        int sessions;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        /** Kill -9 restarts: one per 1,000 steps (at least one), at steps the seed picks. */
        final Set<Integer> restartAt = new java.util.HashSet<>();

        void go(int steps) throws Exception {
            for (int i = 0; i < Math.max(1, steps / 1_000); i++) {
                restartAt.add(1 + random.nextInt(Math.max(1, steps - 1)));
            }
            for (int i = 0; i < USERS; i++) {
                User u = new User();
                u.id = OwnServer.register(api, "model-user-" + UUID.randomUUID() + "@it.parley.test", "USER");
                u.token = OwnServer.login(api, sql.string("select email from account where id = ?::uuid", u.id), "fault test password");
                users.add(u);
            }
            for (long rate : List.of(100L, 250L)) {
                Expert e = new Expert();
                String[] created = OwnServer.expert(api, admin, rate);
                e.id = created[0];
                e.token = created[1];
                e.rate = rate;
                experts.add(e);
            }
            online();
            for (step = 0; step < steps; step++) {
                act();
                verify();
            }
            for (User u : users) {
                if (u.live != null) {
                    end(u);
                }
            }
            settle();
            verify();
            for (Session s : ended) {
                JsonNode v = api.get("/sessions/" + s.id, admin).json();
                long periods = Duration.between(Instant.parse(v.get("startedAt").asText()), Instant.parse(v.get("endedAt").asText())).toSeconds() + 1;
                String reason = v.get("endReason").asText();
                if (!"insufficient-balance".equals(reason)) {
                    assertEquals(periods, v.get("minutesBilled").asLong(), "one charge per period begun: " + s.id);
                }
                assertEquals(v.get("minutesBilled").asLong(), sql.count("select count(*) from session_charge where session_id = ?::uuid", s.id));
                assertEquals(v.get("minutesBilled").asLong(), sql.count("select coalesce(max(period), 0) from session_charge where session_id = ?::uuid", s.id));
            }
        }

        private void note(String action, int status) {
            log.addLast(step + ": " + action + " -> " + status);
            if (log.size() > 25) {
                log.removeFirst();
            }
            answers.merge(action.split(" ")[0] + " " + status, 1, Integer::sum);
        }

        private void online() {
            for (Expert e : experts) {
                assertEquals(200, api.put("/experts/me/presence", e.token, Map.of("online", true)).status());
            }
        }

        private void act() throws Exception {
            if (restartAt.contains(step)) {
                restart();
                return;
            }
            absorbEnded();
            int roll = random.nextInt(1000);
            User u = users.get(random.nextInt(users.size()));
            Expert e = experts.get(random.nextInt(experts.size()));
            if (roll < 150) {
                deposit(u, 100 + random.nextInt(30_000));
            } else if (roll < 280) {
                adjust(u);
            } else if (roll < 430) {
                if (u.live == null) {
                    start(u, e);
                } else {
                    end(u);
                }
            } else if (roll < 520) {
                if (u.live != null) {
                    end(u);
                }
            } else if (roll < 600) {
                TimeUnit.MILLISECONDS.sleep(100 + random.nextInt(500));
                note("tick", 0);
            } else if (roll < 720) {
                refund();
            } else if (roll < 840) {
                payout(e);
            } else if (roll < 900) {
                reject(e);
            } else if (roll < 940) {
                settle();
            } else {
                // a read that changes nothing: the wallet's page
                assertEquals(200, api.get("/wallet/transactions", u.token).status());
                note("read", 200);
            }
        }

        /** Sessions the server ended by itself (a wallet that could not pay past the grace) become ended in the model. */
        private void absorbEnded() {
            for (User u : users) {
                if (u.live != null && "ENDED".equals(sql.string("select status from live_session where id = ?::uuid", u.live.id))) {
                    JsonNode v = api.get("/sessions/" + u.live.id, admin).json();
                    assertEquals("insufficient-balance", v.get("endReason").asText(), "only an empty wallet ends a session by itself here");
                    closed(u, v.get("amountCharged").asLong(), v.get("minutesBilled").asLong());
                    note("ended-by-itself", 0);
                }
            }
        }

        private void closed(User u, long charged, long minutes) {
            Session s = u.live;
            assertEquals(minutes * s.expert.rate, charged, "charged = periods x rate");
            s.charged = charged;
            u.wallet -= charged;
            s.expert.pending += charged - fee(charged);
            u.live = null;
            s.expert.live = null;
            ended.add(s);
        }

        private void deposit(User u, long amount) {
            String orderId = Razorpay.nextOrder(amount);
            Api.Resp created = api.sendWithHeaders("POST", "/wallet/deposits", Map.of("amount", amount, "gateway", "razorpay"), "application/json",
                    "Authorization", "Bearer " + u.token, "Idempotency-Key", UUID.randomUUID().toString());
            assertEquals(201, created.status(), created::toString);
            String paymentId = Razorpay.newPaymentId();
            String event = Razorpay.paymentEvent("payment.captured", orderId, paymentId, amount, "INR");
            String eventId = Razorpay.newEventId();
            int deliveries = 1 + random.nextInt(2);
            for (int i = 0; i < deliveries; i++) {
                Api.Resp hook = Razorpay.deliver(api, eventId, event, Razorpay.webhookSignature(event));
                assertEquals(200, hook.status(), hook::toString);
            }
            u.wallet += amount;
            note("deposit " + amount + " x" + deliveries, 201);
        }

        private void adjust(User u) {
            long amount = random.nextInt(40_001) - 20_000;
            if (amount == 0 || (u.live != null && amount < 0)) {
                amount = Math.abs(amount) + 1; // a live session moves the wallet: only credits are predictable then
            }
            Api.Resp r = api.sendWithHeaders("POST", "/admin/wallets/" + u.id + "/adjustments", Map.of("amount", amount, "reason", "model"),
                    "application/json", "Authorization", "Bearer " + admin, "Idempotency-Key", UUID.randomUUID().toString());
            note("adjust " + amount, r.status());
            if (u.wallet + amount >= 0) {
                assertEquals(201, r.status(), r::toString);
                u.wallet += amount;
            } else {
                assertEquals(422, r.status(), r::toString);
                assertEquals("insufficient-funds", slug(r));
            }
        }

        private void start(User u, Expert e) {
            Api.Resp r = api.post("/sessions", u.token, Map.of("expertId", e.id, "channel", "CHAT"));
            note("start " + e.rate, r.status());
            if (e.live != null) {
                assertEquals(409, r.status(), r::toString);
                assertEquals("expert-busy", slug(r));
            } else if (u.wallet < e.rate) {
                assertEquals(422, r.status(), r::toString);
                assertEquals("insufficient-balance", slug(r));
            } else {
                assertEquals(201, r.status(), r::toString);
                Session s = new Session();
                s.id = r.json().get("id").asText();
                s.user = u;
                s.expert = e;
                u.live = s;
                e.live = s;
                sessions++;
            }
        }

        private void end(User u) {
            Api.Resp r = api.post("/sessions/" + u.live.id + "/end", u.token, null);
            note("end", r.status());
            assertEquals(200, r.status(), r::toString);
            closed(u, r.json().get("amountCharged").asLong(), r.json().get("minutesBilled").asLong());
        }

        private void refund() {
            if (ended.isEmpty()) {
                return;
            }
            Session s = ended.get(random.nextInt(ended.size()));
            long refundable = s.charged - s.refunded;
            long amount = 1 + random.nextInt((int) Math.min(refundable, 5_000) + 50);
            Api.Resp r = api.sendWithHeaders("POST", "/admin/sessions/" + s.id + "/refund", Map.of("amount", amount, "reason", "model"),
                    "application/json", "Authorization", "Bearer " + admin, "Idempotency-Key", UUID.randomUUID().toString());
            note("refund " + amount + " of " + refundable, r.status());
            if (amount <= refundable) {
                assertEquals(200, r.status(), r::toString);
                s.refunded += amount;
                s.user.wallet += amount;
                long share = amount - fee(amount);
                if (!s.settled) {
                    s.expert.pending -= share; // not settled yet: back from pending
                } else if (s.expert.available >= share) {
                    s.expert.available -= share; // settled: from available earnings
                } // settled and no longer in available (paid out): the platform bears it
            } else {
                assertEquals(422, r.status(), r::toString);
                assertEquals("refund-out-of-range", slug(r));
            }
        }

        private void payout(Expert e) {
            long amount = 100 + random.nextInt((int) Math.min(e.available, 200_000) + 1_000);
            Api.Resp r = api.sendWithHeaders("POST", "/payouts", Map.of("amount", amount), "application/json",
                    "Authorization", "Bearer " + e.token, "Idempotency-Key", UUID.randomUUID().toString());
            note("payout " + amount + " of " + e.available, r.status());
            boolean over = amount > e.available;
            if (e.payout == null && !over) {
                assertEquals(201, r.status(), r::toString);
                e.payout = r.json().get("id").asText();
                e.payoutAmount = amount;
                e.available -= amount;
            } else if (e.payout != null && !over) {
                assertEquals(409, r.status(), r::toString);
            } else if (e.payout == null) {
                assertEquals(422, r.status(), r::toString);
            } else {
                assertTrue(r.status() == 409 || r.status() == 422, r::toString);
            }
        }

        private void reject(Expert e) {
            if (e.payout == null) {
                return;
            }
            Api.Resp r = api.post("/admin/payouts/" + e.payout + "/reject", admin, Map.of("reason", "model"));
            note("reject", r.status());
            assertEquals(200, r.status(), r::toString);
            e.available += e.payoutAmount;
            e.payout = null;
        }

        private void settle() throws InterruptedException {
            for (User u : users) {
                if (u.live != null) {
                    end(u); // the run settles what ended before it; ending first keeps the model exact
                }
            }
            String today = LocalDate.now(ZoneId.of("Asia/Kolkata")).toString();
            Api.Resp r = api.post("/admin/batch/jobs/nightly-settlement/executions", admin, Map.of("parameters", Map.of("businessDate", today)));
            assertEquals(202, r.status(), r::toString);
            long id = r.json().get("executionId").asLong();
            Instant deadline = Instant.now().plusSeconds(60);
            String status = "";
            while (Instant.now().isBefore(deadline)) {
                status = api.get("/admin/batch/executions/" + id, admin).json().path("status").asText();
                if (Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(status)) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            note("settle", 202);
            assertEquals("COMPLETED", status, "settlement " + id);
            for (Expert e : experts) {
                e.available += e.pending;
                e.pending = 0;
            }
            ended.forEach(s -> s.settled = true);
        }

        private void restart() throws Exception {
            server.killMinus9();
            server.start();
            online(); // the experts' apps put them back online
            restarts++;
            note("restart", 0);
        }

        /** The ledger check, and every balance as the model has it (a live session's charges read with its wallet). */
        private void verify() {
            absorbEnded();
            JsonNode check = api.get("/admin/ledger/check", admin).json();
            assertTrue(check.get("balanced").asBoolean(), check::toString);
            for (User u : users) {
                String live = u.live == null ? null : u.live.id;
                long balance = sql.count("select a.balance + coalesce((select s.amount_charged from live_session s where s.id = cast(? as uuid)), 0)"
                        + " from ledger_account a where a.owner_id = ?::uuid and a.kind = 'WALLET'", live, u.id);
                assertEquals(u.wallet, balance, "wallet of user " + users.indexOf(u) + " (plus its live session's charges)");
            }
            for (Expert e : experts) {
                String live = e.live == null ? null : e.live.id;
                // a session that ended between the last look and this read has added its net to pending already
                long pending = sql.count("select coalesce((select balance from ledger_account where owner_id = ?::uuid and kind = 'EARNINGS_PENDING'), 0)"
                        + " - coalesce((select s.amount_charged - (s.amount_charged * " + FEE_PERCENT + " + 50) / 100 from live_session s"
                        + " where s.id = cast(? as uuid) and s.status = 'ENDED'), 0)", e.id, live);
                assertEquals(e.pending, pending, "pending earnings of expert " + experts.indexOf(e));
                assertEquals(e.available, sql.count("select coalesce((select balance from ledger_account where owner_id = ?::uuid"
                        + " and kind = 'EARNINGS_AVAILABLE'), 0)", e.id), "available earnings of expert " + experts.indexOf(e));
            }
        }
    }

    private static String slug(Api.Resp r) {
        String type = r.json().path("type").asText();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    @AfterEach
    void stop() throws Exception {
        sql.close();
        if (server != null) {
            server.close();
        }
    }
}
