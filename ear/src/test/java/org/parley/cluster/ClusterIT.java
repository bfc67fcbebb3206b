package org.parley.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.parley.crash.OwnServer;
import org.parley.devserver.LoadBalancer;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Razorpay;
import org.parley.it.support.TestEnvironment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real WildFly nodes of the clustered profile ({@code parley-ha.xml}: JGroups discovering through the Parley
 * database, Artemis clustered) on one PostgreSQL, HAProxy in front of them as an operator runs it: cross-node chat,
 * signalling and billing frames; billing swept by both nodes with one charge per period; a scheduled job and the
 * payment janitor once per period; a rolling restart; then a node killed with SIGKILL mid-session. The nodes start once
 * for the class and are stopped after it (no process left behind); the tests run in order, the last two restart or kill
 * nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    /** The billing period of these tests (the platform setting), in seconds. */
    private static final int PERIOD = 2;
    private static final int JANITOR_SECONDS = 2;
    private static final int REMINDER_SLOT_SECONDS = 3;

    private static OwnServer a;
    private static OwnServer b;
    private static LoadBalancer balancer;
    private static int balancerPort;
    private static Path haproxyLog;
    private static Api api;
    private static String admin;

    @BeforeAll
    static void twoNodesBehindHaproxy() throws Exception {
        var haproxy = LoadBalancer.executable();
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(haproxy.isPresent(), "no haproxy: apt-get install haproxy to run the cluster tests");
        }
        Path work = Path.of(System.getProperty("parley.it.work", "target/it")).toAbsolutePath();
        Path shared = work.resolve("cluster-data");
        TestEnvironment.deleteRecursively(shared);
        String[] settings = {"parley.payment.janitor-seconds=" + JANITOR_SECONDS, "parley.remedy.reminder-slot-seconds=" + REMINDER_SLOT_SECONDS};
        a = OwnServer.withRazorpay("cluster-a", 400).clustered("node-a", shared, settings);
        b = OwnServer.withRazorpay("cluster-b", 500).clustered("node-b", shared, settings);
        CompletableFuture<Instant> startA = CompletableFuture.supplyAsync(() -> start(a));
        CompletableFuture<Instant> startB = CompletableFuture.supplyAsync(() -> start(b));
        startA.join();
        startB.join();
        awaitOneCluster();
        balancerPort = TestEnvironment.freePort();
        haproxyLog = work.resolve("haproxy/haproxy.log");
        Files.deleteIfExists(haproxyLog);
        balancer = LoadBalancer.start(haproxy.orElseThrow(), work.resolve("haproxy/haproxy.cfg"),
                LoadBalancer.configuration("127.0.0.1", balancerPort, List.of(
                        new LoadBalancer.Node("node-a", "127.0.0.1", a.httpPort(), a.managementPort()),
                        new LoadBalancer.Node("node-b", "127.0.0.1", b.httpPort(), b.managementPort()))),
                haproxyLog);
        api = new Api("192.0.2.40", "http://127.0.0.1:" + balancerPort);
        awaitBalancer();
        admin = OwnServer.adminToken(api);
        assertEquals(200, api.patch("/admin/config", admin, Map.of("billingPeriodSeconds", PERIOD, "graceSeconds", 30,
                "maxSessionMinutes", 300, "disconnectTimeoutSeconds", 30)).status());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (OwnServer s : new OwnServer[]{a, b}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    @Order(1)
    void theNodesFormOneClusterThroughTheDatabase() throws Exception {
        assertEquals(2, Db.count("select count(*) from live_node"), "both nodes registered");
        for (OwnServer node : List.of(a, b)) {
            assertEquals(List.of("node-a", "node-b"), node.clusterMembers().stream().sorted().toList(),
                    "one JGroups view of both members on each node (JDBC_PING found the other node)");
            assertEquals(1, node.artemisPeers(), "Artemis bridged to the other node");
        }
        assertTrue(Db.count("select count(*) from jgroupsping") >= 2, "both nodes listed in the discovery table");
    }

    @Test
    @Order(2)
    void aUserOnOneNodeAndAnExpertOnTheOtherChatSignalAndSeeBillingInOrderWithNothingLostOrDoubled() throws Exception {
        String[] expert = OwnServer.expert(api, admin, 100);
        String[] user = OwnServer.fundedUser(api, admin, 1_000_000);
        assertEquals(200, api.put("/experts/me/presence", expert[1], Map.of("online", true)).status());
        try (Peer onB = Peer.connect(b.websocketUrl(), expert[1]); Peer onA = Peer.connect(a.websocketUrl(), user[1])) {
            awaitSockets(expert[0], 1);
            awaitSockets(user[0], 1);
            onA.send(Map.of("type", "request-session", "expertId", expert[0], "channel", "CHAT"));
            String sessionId = onB.await("session-started", null, l -> !l.isEmpty(), Duration.ofSeconds(15),
                    "the expert on node B told of the session the user on node A started").get(0).get("sessionId").asText();
            onA.await("session-started", sessionId, l -> !l.isEmpty(), Duration.ofSeconds(10), "the user told too");

            int lines = 20;
            CompletableFuture<Void> userTalks = CompletableFuture.runAsync(() -> talk(onA, sessionId, "u", lines));
            CompletableFuture<Void> expertTalks = CompletableFuture.runAsync(() -> talk(onB, sessionId, "e", lines));
            userTalks.join();
            expertTalks.join();
            for (Peer p : List.of(onA, onB)) {
                List<JsonNode> got = p.await("new-message", sessionId, l -> l.size() >= 2 * lines, Duration.ofSeconds(20),
                        "every line on both nodes");
                TimeUnit.MILLISECONDS.sleep(300);
                got = p.frames("new-message", sessionId);
                assertEquals(2 * lines, got.size(), "each line once: " + got);
                List<Integer> seqs = got.stream().map(f -> f.get("seq").asInt()).toList();
                assertEquals(java.util.stream.IntStream.rangeClosed(1, 2 * lines).boxed().toList(), seqs,
                        "every line once, in the session's order, whichever node stored it");
                assertEquals(bodies("u", lines), bodiesFrom(got, user[0]), "the user's lines in the order sent");
                assertEquals(bodies("e", lines), bodiesFrom(got, expert[0]), "the expert's lines in the order sent");
            }
            JsonNode history = api.get("/sessions/" + sessionId + "/messages?afterSeq=0", user[1]).json().get("items");
            assertEquals(2 * lines, history.size(), "every relayed line is in the history");

            // signalling: offer from the user on A, answer from the expert on B, candidates both ways, each once, in order
            onA.send(Map.of("type", "call-offer", "sessionId", sessionId, "sdp", "offer-sdp", "callType", "audio"));
            JsonNode offer = onB.await("call-offer", sessionId, l -> !l.isEmpty(), Duration.ofSeconds(10), "the offer crossed").get(0);
            assertEquals(user[0], offer.get("fromId").asText());
            assertEquals("offer-sdp", offer.get("sdp").asText());
            onB.send(Map.of("type", "call-answer", "sessionId", sessionId, "sdp", "answer-sdp"));
            onA.await("call-answer", sessionId, l -> !l.isEmpty(), Duration.ofSeconds(10), "the answer crossed back");
            for (int i = 0; i < 10; i++) {
                onA.send(Map.of("type", "ice-candidate", "sessionId", sessionId, "candidate", "u-cand-" + i));
                onB.send(Map.of("type", "ice-candidate", "sessionId", sessionId, "candidate", "e-cand-" + i));
            }
            List<JsonNode> toB = onB.await("ice-candidate", sessionId, l -> l.size() >= 10, Duration.ofSeconds(10), "candidates to B");
            List<JsonNode> toA = onA.await("ice-candidate", sessionId, l -> l.size() >= 10, Duration.ofSeconds(10), "candidates to A");
            assertEquals(bodies("u-cand", 10), toB.stream().map(f -> f.get("candidate").asText()).toList());
            assertEquals(bodies("e-cand", 10), toA.stream().map(f -> f.get("candidate").asText()).toList());

            // billing: whichever node charges, the user on A sees every period once, in order
            List<JsonNode> updates = onA.await("billing-update", sessionId, l -> l.size() >= 4, Duration.ofSeconds(6 * PERIOD + 10),
                    "billing updates for four periods");
            assertEquals(200, api.post("/sessions/" + sessionId + "/end", user[1], null).status());
            onB.await("session-ended", sessionId, l -> !l.isEmpty(), Duration.ofSeconds(10), "the end crossed to B");
            updates = onA.frames("billing-update", sessionId);
            List<Integer> minutes = updates.stream().map(f -> f.get("minutesBilled").asInt()).toList();
            for (int i = 0; i < minutes.size(); i++) {
                assertEquals(i + 1, minutes.get(i), "billing updates 1, 2, 3, ... each once, in order: " + minutes);
            }
            assertExactCharges(List.of(sessionId));
        }
        assertLedgerBalanced();
    }

    @Test
    @Order(3)
    void bothNodesSweepBillingAndEveryPeriodIsChargedExactlyOnce() throws Exception {
        double chargedByA = a.metric("parley_charges_total");
        double chargedByB = b.metric("parley_charges_total");
        List<String[]> users = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String[] expert = OwnServer.expert(api, admin, 100);
            assertEquals(200, api.put("/experts/me/presence", expert[1], Map.of("online", true)).status());
            String[] user = OwnServer.fundedUser(api, admin, 1_000_000);
            Api viaNode = (i % 2 == 0 ? a : b).api("192.0.2.41");
            Api.Resp started = viaNode.post("/sessions", user[1], Map.of("expertId", expert[0], "channel", "CHAT"));
            assertEquals(201, started.status(), started::toString);
            sessions.add(started.json().get("id").asText());
            users.add(user);
            TimeUnit.MILLISECONDS.sleep(PERIOD * 1000L / 8); // due instants spread over the period
        }
        TimeUnit.SECONDS.sleep(5L * PERIOD);
        for (int i = 0; i < sessions.size(); i++) {
            assertEquals(200, api.post("/sessions/" + sessions.get(i) + "/end", users.get(i)[1], null).status());
        }
        assertExactCharges(sessions);
        double byA = a.metric("parley_charges_total") - chargedByA;
        double byB = b.metric("parley_charges_total") - chargedByB;
        long total = Db.count("select count(*) from session_charge where session_id = any(?::uuid[])", (Object) sessions.toArray(String[]::new));
        System.out.printf("billing on two nodes: %d charges, node A %.0f, node B %.0f%n", total, byA, byB);
        assertTrue(byA > 0 && byB > 0, "both nodes charged (A " + byA + ", B " + byB + ")");
        assertLedgerBalanced();
    }

    @Test
    @Order(4)
    void aScheduledJobIsStartedOncePerPeriodWithBothNodesFiring() throws Exception {
        Instant from = midSlot(REMINDER_SLOT_SECONDS);
        TimeUnit.SECONDS.sleep(4L * REMINDER_SLOT_SECONDS);
        Instant to = midSlot(REMINDER_SLOT_SECONDS);
        Map<String, Long> claims = new LinkedHashMap<>();
        try (Db.Kept db = Db.keep()) {
            db.pairs("select period_key, execution_id::text from job_schedule_claim where job_name = 'remedy-reminders'"
                    + " and claimed_at between ?::timestamptz and ?::timestamptz", from.toString(), to.toString()).forEach((period, execution) -> {
                assertTrue(execution != null, "the claim of " + period + " carries the execution it started");
                claims.put(period, Long.parseLong(execution));
            });
            long executions = db.count("select count(*) from job_execution e join job_instance i on i.jobinstanceid = e.jobinstanceid"
                    + " where i.jobname = 'remedy-reminders' and e.createtime between ?::timestamptz and ?::timestamptz", from.toString(), to.toString());
            assertTrue(claims.size() >= 3, "periods claimed in the window: " + claims);
            assertEquals(claims.size(), executions, "one execution per claimed period: " + claims);
        }
        String logA = Files.readString(a.log());
        String logB = Files.readString(b.log());
        for (String period : claims.keySet()) {
            String won = "remedy-reminders for " + period + " started as execution";
            String lost = "remedy-reminders for " + period + " was started by another node";
            assertTrue(logA.contains(won) && logB.contains(lost) || logB.contains(won) && logA.contains(lost),
                    "both nodes fired for " + period + "; one started it, the other found it claimed");
        }
    }

    @Test
    @Order(5)
    void thePaymentJanitorRunsOncePerPeriodAcrossBothNodes() throws Exception {
        String[] user = OwnServer.fundedUser(api, admin, 100);
        String orderId = Razorpay.nextOrder(50_000);
        Api.Resp created = api.sendWithHeaders("POST", "/wallet/deposits", Map.of("amount", 50_000, "gateway", "razorpay"),
                "application/json", "Authorization", "Bearer " + user[1], "Idempotency-Key", UUID.randomUUID().toString());
        assertEquals(201, created.status(), created::toString);
        assertEquals(orderId, created.json().get("gatewayOrderId").asText());
        Razorpay.orderPayments(orderId, "{\"entity\":\"collection\",\"count\":0,\"items\":[]}");
        // an open deposit old enough for the janitor to ask about it every period (never captured: it stays open)
        Db.exec("update deposit set created_at = now() - interval '11 minutes' where id = ?::uuid", created.json().get("id").asText());
        Instant from = midSlot(JANITOR_SECONDS);
        TimeUnit.SECONDS.sleep(5L * JANITOR_SECONDS);
        Instant to = midSlot(JANITOR_SECONDS);
        long asked = Razorpay.server().findAll(getRequestedFor(urlEqualTo("/v1/orders/" + orderId + "/payments"))).stream()
                .filter(r -> !r.getLoggedDate().toInstant().isBefore(from) && !r.getLoggedDate().toInstant().isAfter(to)).count();
        Map<String, Long> byNode = new HashMap<>();
        try (Db.Kept db = Db.keep()) {
            db.pairs("select claimed_by, count(*)::text from job_schedule_claim where job_name = 'payment-janitor'"
                    + " and claimed_at between ?::timestamptz and ?::timestamptz group by claimed_by", from.toString(), to.toString())
                    .forEach((node, n) -> byNode.put(node, Long.parseLong(n)));
        }
        long periods = byNode.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("payment janitor: %d periods claimed %s, the gateway asked %d times%n", periods, byNode, asked);
        assertTrue(periods >= 4, "the janitor ran every period: " + byNode);
        assertEquals(periods, asked, "the gateway asked once per period, not once per node");
    }

    @Test
    @Order(7)
    void aNodeKilledMidSessionLeavesItsSessionsBilledByTheSurvivorAndItsClientsCatchUpThroughTheBalancer() throws Exception {
        List<Pair> pairs = pairs(6);
        try {
            java.util.Set<String> onA = accountsOn(a);
            assertTrue(pairs.stream().anyMatch(p -> onA.contains(p.userId) || onA.contains(p.expertId)),
                    "the balancer put some of the sockets on node A");
            for (Pair p : pairs) {
                sendAcked(p.user, p.sessionId, "before-" + p.sessionId);
            }

            Instant killed = Instant.now();
            a.killMinus9();
            // the expert side keeps talking (resending with the same clientMsgId until echoed) while the dead node's clients
            // reconnect through the balancer to the survivor
            for (Pair p : pairs) {
                sendAcked(p.expert, p.sessionId, "during-" + p.sessionId);
            }
            for (Pair p : pairs) {
                if (onA.contains(p.userId)) {
                    until(() -> p.user.connections.get() >= 2, "the user of " + p.sessionId + " reconnected");
                }
                if (onA.contains(p.expertId)) {
                    until(() -> p.expert.connections.get() >= 2, "the expert of " + p.sessionId + " reconnected");
                }
            }
            until(() -> accountsOn(b).containsAll(List.of(parties(pairs))), "every party connected to node B");
            TimeUnit.SECONDS.sleep(2L * PERIOD);
            for (Pair p : pairs) {
                // the user catches up from the last line it was sent: what it missed is in the history
                int lastSeen = p.user.frames("new-message", p.sessionId).stream().filter(f -> f.get("body").asText().startsWith("before-"))
                        .mapToInt(f -> f.get("seq").asInt()).max().orElse(0);
                JsonNode missed = awaitHistory(p, lastSeen);
                assertEquals("during-" + p.sessionId, missed.get(0).get("body").asText(), "the line after " + lastSeen + " in the history");
                assertEquals(1, missed.size(), "once: " + missed);
                // charged by the survivor within two periods of the kill
                assertTrue(Db.count("select count(*) from session_charge where session_id = ?::uuid and charged_at > ?::timestamptz"
                        + " and charged_at <= ?::timestamptz", p.sessionId, killed.toString(), killed.plusSeconds(2L * PERIOD).toString()) > 0,
                        "session " + p.sessionId + " charged within two periods of the kill");
            }
            assertEquals(0, Db.count("select count(*) from live_session where id = any(?::uuid[]) and status = 'ENDED'",
                    (Object) ids(pairs)), "no session ended because a node died");
            for (Pair p : pairs) {
                assertEquals(200, api.post("/sessions/" + p.sessionId + "/end", p.userToken, null).status());
            }
            assertExactCharges(List.of(ids(pairs)));
            assertLedgerBalanced();
        } finally {
            pairs.forEach(Pair::close); // the last test: node A stays dead, the class stops node B and HAProxy
        }
    }

    @Test
    @Order(6)
    void aRollingRestartEndsNoSessionAndMissesOrDoublesNoCharge() throws Exception {
        List<Pair> pairs = pairs(4);
        try {
            for (OwnServer node : List.of(a, b)) {
                node.close(); // in order: SIGTERM, the node suspends and leaves the cluster
                assertTrue(!node.isAlive(), "stopped");
                node.start();
                awaitBalancerSees(node);
                awaitOneCluster(); // as an operator would: the node back in the cluster before the next one stops
            }
            TimeUnit.SECONDS.sleep(2L * PERIOD);
            assertEquals(0, Db.count("select count(*) from live_session where id = any(?::uuid[]) and status = 'ENDED'",
                    (Object) ids(pairs)), "no session ended for the restarts");
            for (Pair p : pairs) {
                // each socket was on one of the two nodes, so each client had to reconnect at least once
                until(() -> p.user.connections.get() >= 2 && p.expert.connections.get() >= 2, "the parties of " + p.sessionId + " reconnected");
            }
            until(() -> accountsOn(a).size() + accountsOn(b).size() >= 2 * pairs.size(), "every party connected again");
            for (Pair p : pairs) {
                sendAcked(p.user, p.sessionId, "after-restarts");
                assertEquals(200, api.post("/sessions/" + p.sessionId + "/end", p.userToken, null).status());
            }
            assertExactCharges(List.of(ids(pairs)));
            assertLedgerBalanced();
        } finally {
            pairs.forEach(Pair::close);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** A user and an expert in a live session, both connected through the balancer. */
    private record Pair(String sessionId, String userId, String userToken, String expertId, Peer user, Peer expert) implements AutoCloseable {
        @Override
        public void close() {
            user.close();
            expert.close();
        }
    }

    private static List<Pair> pairs(int n) {
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] expert = OwnServer.expert(api, admin, 100);
            String[] user = OwnServer.fundedUser(api, admin, 1_000_000);
            assertEquals(200, api.put("/experts/me/presence", expert[1], Map.of("online", true)).status());
            Peer e = Peer.connect(balancerWs(), expert[1]);
            Peer u = Peer.connect(balancerWs(), user[1]);
            Api.Resp started = api.post("/sessions", user[1], Map.of("expertId", expert[0], "channel", "CHAT"));
            assertEquals(201, started.status(), started::toString);
            out.add(new Pair(started.json().get("id").asText(), user[0], user[1], expert[0], u, e));
        }
        return out;
    }

    private static String[] ids(List<Pair> pairs) {
        return pairs.stream().map(Pair::sessionId).toArray(String[]::new);
    }

    private static String[] parties(List<Pair> pairs) {
        return pairs.stream().flatMap(p -> java.util.stream.Stream.of(p.userId, p.expertId)).toArray(String[]::new);
    }

    /** The accounts with a socket on {@code node} (its live_node row is named after its JVM: pid@host). */
    private static java.util.Set<String> accountsOn(OwnServer node) {
        try (Db.Kept db = Db.keep()) {
            return db.pairs("select ns.account_id::text, '' from node_socket ns join live_node n on n.id = ns.node_id"
                    + " where n.name like ? and ns.sockets > 0", node.pid() + "@%").keySet();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a chat line and resends it (same clientMsgId: stored once) until its echo comes back on this peer. */
    private static void sendAcked(Peer p, String sessionId, String body) throws InterruptedException {
        String clientMsgId = UUID.randomUUID().toString();
        Instant deadline = Instant.now().plusSeconds(45);
        while (true) {
            try {
                p.send(Map.of("type", "chat-message", "sessionId", sessionId, "body", body, "clientMsgId", clientMsgId));
            } catch (RuntimeException notConnectedYet) {
                // reconnecting
            }
            Instant echo = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(echo)) {
                if (p.frames("new-message", sessionId).stream().anyMatch(f -> clientMsgId.equals(f.path("clientMsgId").asText()))) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertTrue(Instant.now().isBefore(deadline), "the line '" + body + "' acknowledged");
        }
    }

    private static JsonNode awaitHistory(Pair p, int afterSeq) {
        return Eventually.until(Duration.ofSeconds(20), () -> api.get("/sessions/" + p.sessionId + "/messages?afterSeq=" + afterSeq, p.userToken),
                r -> r.status() == 200 && r.json().get("items").size() > 0, "history after " + afterSeq + " through the balancer")
                .json().get("items");
    }

    private static void until(java.util.function.BooleanSupplier done, String what) {
        Eventually.until(Duration.ofSeconds(45), done::getAsBoolean, Boolean::booleanValue, what);
    }

    private static Map<String, Object> chat(String sessionId, String body) {
        return Map.of("type", "chat-message", "sessionId", sessionId, "body", body, "clientMsgId", UUID.randomUUID().toString());
    }

    /** Lines at 20 a second: within a socket's rate limit (a burst of 20, 10 a second after it) for 20 lines. */
    private static void talk(Peer p, String sessionId, String prefix, int lines) {
        for (int i = 0; i < lines; i++) {
            p.send(chat(sessionId, prefix + "-" + i));
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<String> bodies(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + "-" + i);
        }
        return out;
    }

    private static List<String> bodiesFrom(List<JsonNode> frames, String senderId) {
        return frames.stream().filter(f -> senderId.equals(f.get("senderId").asText())).map(f -> f.get("body").asText()).toList();
    }

    /** Every session: periods 1..n charged once each, n the periods begun between start and end, one ledger charge each. */
    private static void assertExactCharges(List<String> sessions) {
        for (String id : sessions) {
            JsonNode s = api.get("/sessions/" + id, admin).json();
            Instant startedAt = Instant.parse(s.get("startedAt").asText());
            Instant endedAt = Instant.parse(s.get("endedAt").asText());
            long begun = (Duration.between(startedAt, endedAt).toMillis() / 1000) / PERIOD + 1;
            assertEquals(begun, s.get("minutesBilled").asLong(), "session " + id + ": one charge per period begun");
            assertEquals(begun, Db.count("select count(*) from session_charge where session_id = ?::uuid", id));
            assertEquals(begun, Db.count("select coalesce(max(period), 0) from session_charge where session_id = ?::uuid", id), "periods 1..n");
            assertEquals(begun, Db.count("select count(*) from ledger_transfer where kind = 'SESSION_CHARGE' and reference like ?", id + ":%"));
        }
    }

    private static void assertLedgerBalanced() {
        JsonNode check = api.get("/admin/ledger/check", admin).json();
        assertTrue(check.get("balanced").asBoolean(), check::toString);
    }

    private static void awaitSockets(String accountId, int n) {
        Eventually.until(Duration.ofSeconds(10), () -> Db.count("select coalesce(max(sockets), 0) from socket_presence where account_id = ?::uuid",
                accountId), count -> count >= n, "socket of " + accountId + " registered");
    }

    /** The middle of the current slot of {@code seconds} (well away from the instants the timers fire). */
    private static Instant midSlot(int seconds) throws InterruptedException {
        long now = System.currentTimeMillis();
        long slot = seconds * 1000L;
        long mid = now - Math.floorMod(now, slot) + slot / 2;
        if (mid < now) {
            mid += slot;
        }
        TimeUnit.MILLISECONDS.sleep(mid - now);
        return Instant.ofEpochMilli(mid);
    }

    private static String balancerWs() {
        return "ws://127.0.0.1:" + balancerPort + "/ws/live";
    }

    private static Instant start(OwnServer node) {
        try {
            return node.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until both nodes have one JGroups view of both and Artemis has bridged them: started at the same moment,
     * each node may have formed a cluster of its own first (each read the discovery table before the other wrote it),
     * which MERGE3 joins within seconds (cluster.cli). Frames cross between nodes only once this holds.
     */
    private static void awaitOneCluster() {
        Eventually.until(Duration.ofSeconds(60), () -> List.of(a.clusterMembers().size(), b.clusterMembers().size(), a.artemisPeers(), b.artemisPeers()),
                sizes -> sizes.equals(List.of(2, 2, 1, 1)), "one cluster of both nodes (JGroups members on a and b, Artemis peers of a and b)");
    }

    private static void awaitBalancer() {
        Eventually.until(Duration.ofSeconds(30), () -> OwnServer.status("http://127.0.0.1:" + balancerPort + "/api/v1/experts"),
                status -> status == 200, "HAProxy serving; see " + haproxyLog);
    }

    /** Waits until HAProxy's health check has marked {@code node} up again (its last word on the node in its log). */
    private static void awaitBalancerSees(OwnServer node) {
        String name = node == a ? "node-a" : "node-b";
        Eventually.until(Duration.ofSeconds(30), () -> {
            try {
                return Files.readString(haproxyLog);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, log -> log.lastIndexOf("nodes/" + name + " is UP") > log.lastIndexOf("nodes/" + name + " is DOWN"),
                "HAProxy seeing " + name + " up again; see " + haproxyLog);
    }
}
