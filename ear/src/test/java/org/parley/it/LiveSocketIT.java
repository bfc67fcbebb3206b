package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Concurrently;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Live;
import org.parley.it.support.LiveClient;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /ws/live with real WebSocket clients: the handshake's rules, chat relay, signalling, billing frames. */
class LiveSocketIT extends SystemTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private String admin;

    @BeforeEach
    void fastBilling() {
        admin = Accounts.admin(api);
        Live.fastBilling(api, admin, 1, 2);
    }

    @Test
    void aMissingBadOrRevokedTokenGetsNoWorkingSocket() {
        assertEquals(1008, LiveClient.open(LiveClient.URL, null, null).awaitClose(WAIT));
        assertEquals(1008, LiveClient.connect("not.a.token").awaitClose(WAIT));
        Person p = Accounts.user(api);
        api.post("/auth/logout", p.token(), null);
        assertEquals(1008, LiveClient.connect(p.token()).awaitClose(WAIT));
    }

    @Test
    void theTokenMayComeAsTheSubprotocol() {
        Person p = Accounts.user(api);
        try (LiveClient c = LiveClient.open(LiveClient.URL, null, p.token())) {
            c.send(Map.of("type", "ping"));
            c.await("pong");
        }
    }

    @Test
    void aForeignOriginIsRefusedAndAnAllowedOneOrThePublicUrlsOwnAccepted() {
        Person p = Accounts.user(api);
        assertThrows(CompletionException.class, () -> LiveClient.open(LiveClient.URL + "?access_token=" + p.token(), "https://evil.example", null));
        // one of PARLEY_ALLOWED_ORIGINS (the default's), then the test server's PARLEY_PUBLIC_URL, where its console is served
        for (String origin : List.of("http://localhost:8080", "http://127.0.0.1:8180")) {
            try (LiveClient c = LiveClient.open(LiveClient.URL + "?access_token=" + p.token(), origin, null)) {
                c.send(Map.of("type", "ping"));
                c.await("pong");
            }
        }
    }

    @Test
    void aFrameOver64KiBClosesTheSocketWith1009() {
        Person p = Accounts.user(api);
        LiveClient c = LiveClient.connect(p.token());
        c.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
        assertEquals(1009, c.awaitClose(WAIT));
    }

    @Test
    void aFloodOfFramesIsRateLimitedThenClosed() {
        Person p = Accounts.user(api);
        LiveClient c = LiveClient.connect(p.token());
        for (int i = 0; i < 60; i++) {
            try {
                c.sendRaw("{\"type\":\"ping\"}");
            } catch (java.util.concurrent.CompletionException closedByServer) {
                break; // the server may close the socket before the flood is over: that is the point
            }
        }
        c.await("error", f -> "rate-limited".equals(f.path("code").asText()), WAIT);
        assertEquals(1008, c.awaitClose(WAIT));
    }

    @Test
    void onlyUsersRequestSessionsAndTheWholeSessionIsBilledOverTheSocket() {
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 4_500);
        try (LiveClient e = LiveClient.connect(expert.token()); LiveClient u = LiveClient.connect(user.token())) {
            e.send(Map.of("type", "request-session", "expertId", expert.id(), "channel", "CHAT"));
            e.await("error", f -> "not-allowed".equals(f.path("code").asText()), WAIT);

            u.send(Map.of("type", "get-online-experts"));
            JsonNode online = u.await("online-experts");
            boolean listed = false;
            for (JsonNode x : online.get("experts")) {
                listed |= x.get("id").asText().equals(expert.id());
            }
            assertTrue(listed, "the online expert is offered");

            u.send(Map.of("type", "request-session", "expertId", expert.id(), "channel", "CHAT"));
            JsonNode started = u.await("session-started");
            String sessionId = started.get("sessionId").asText();
            assertEquals(1_000, started.get("ratePerMinute").asLong());
            assertEquals(sessionId, e.await("session-started").get("sessionId").asText());

            JsonNode low = u.await("session-warning", f -> "low-balance".equals(f.path("kind").asText()), WAIT);
            assertTrue(low.get("minutesLeft").asLong() < 3);
            JsonNode zero = u.await("session-warning", f -> "zero-balance".equals(f.path("kind").asText()), WAIT);
            assertEquals(2, zero.get("graceSeconds").asInt());
            JsonNode ended = u.await("session-ended", f -> true, Duration.ofSeconds(15));
            assertEquals("insufficient-balance", ended.get("reason").asText());
            assertEquals(4, ended.get("minutesBilled").asInt());
            assertEquals(4_000, ended.get("amountCharged").asLong());
            assertEquals("insufficient-balance", e.await("session-ended").get("reason").asText());
            List<JsonNode> updates = u.all("billing-update", Duration.ZERO);
            assertTrue(updates.size() >= 3, "a billing-update after each periodic charge: " + updates);
            assertEquals(500, Money.walletBalance(api, user.token()));
        }
    }

    @Test
    void chatIsPersistedInOrderAndReachesEverySocketOfBothSides() {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 100_000);
        try (LiveClient e = LiveClient.connect(expert.token()); LiveClient phone = LiveClient.connect(user.token());
             LiveClient laptop = LiveClient.connect(user.token())) {
            phone.send(Map.of("type", "request-session", "expertId", expert.id(), "channel", "CHAT"));
            String sessionId = phone.await("session-started").get("sessionId").asText();
            laptop.await("session-started");
            for (int i = 1; i <= 3; i++) {
                LiveClient from = i == 2 ? e : phone;
                from.send(Map.of("type", "chat-message", "sessionId", sessionId, "body", "hello " + i, "clientMsgId", "m" + i));
                String body = "hello " + i;
                assertEquals(i, laptop.await("new-message", f -> body.equals(f.get("body").asText()), WAIT).get("seq").asInt(),
                        "sequence numbers follow the order the server received the lines in");
            }
            for (LiveClient c : List.of(e, phone)) {
                for (int i = 1; i <= 3; i++) {
                    int seq = i;
                    JsonNode m = c.await("new-message", f -> f.get("seq").asInt() == seq, WAIT);
                    assertEquals("hello " + i, m.get("body").asText());
                    assertEquals("m" + i, m.get("clientMsgId").asText());
                }
            }
            assertEquals(3, Db.count("select count(*) from chat_message where session_id = ?::uuid", sessionId));
            phone.send(Map.of("type", "end-session", "sessionId", sessionId));
            assertEquals("user-ended", e.await("session-ended").get("reason").asText());
        }
    }

    @Test
    void linesPostedOverRestAndOverTheSocketAtOnceReachEverySocketInNumberOrder() throws Exception {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 100_000);
        int perSide = 18;
        try (LiveClient e = LiveClient.connect(expert.token()); LiveClient phone = LiveClient.connect(user.token())) {
            phone.send(Map.of("type", "request-session", "expertId", expert.id(), "channel", "CHAT"));
            String sessionId = phone.await("session-started").get("sessionId").asText();
            e.await("session-started");
            AtomicInteger rest = new AtomicInteger();
            Thread socketSide = new Thread(() -> {
                for (int i = 0; i < perSide; i++) {
                    e.send(Map.of("type", "chat-message", "sessionId", sessionId, "body", "socket " + i, "clientMsgId", "s" + i));
                }
            });
            socketSide.start();
            Concurrently.run(3, () -> {
                for (int i = 0; i < perSide / 3; i++) {
                    int n = rest.getAndIncrement();
                    assertEquals(201, api.post("/sessions/" + sessionId + "/messages", user.token(),
                            Map.of("body", "rest " + n, "clientMsgId", "r" + n)).status());
                }
                return null;
            });
            socketSide.join();
            for (LiveClient c : List.of(e, phone)) {
                List<Integer> received = Eventually.until(WAIT,
                        () -> c.all("new-message", Duration.ofMillis(50)).stream().map(f -> f.get("seq").asInt()).toList(),
                        seqs -> seqs.size() >= 2 * perSide, "every line relayed");
                assertEquals(IntStream.rangeClosed(1, 2 * perSide).boxed().toList(), received,
                        "every socket gets the session's lines once each, in number order, whichever way they were posted");
            }
        }
    }

    @Test
    void strangersCannotPostOrSignalAndSignallingReachesOnlyTheOtherSide() {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Person stranger = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 100_000);
        try (LiveClient e = LiveClient.connect(expert.token()); LiveClient u = LiveClient.connect(user.token());
             LiveClient s = LiveClient.connect(stranger.token())) {
            u.send(Map.of("type", "request-session", "expertId", expert.id(), "channel", "VOICE"));
            String sessionId = u.await("session-started").get("sessionId").asText();

            s.send(Map.of("type", "chat-message", "sessionId", sessionId, "body", "let me in", "clientMsgId", "x1"));
            JsonNode refused = s.await("error");
            assertEquals("not-found", refused.get("code").asText());
            assertEquals("x1", refused.get("ref").asText());
            s.send(Map.of("type", "call-offer", "sessionId", sessionId, "sdp", "v=0 stranger", "callType", "audio"));
            s.await("error", f -> "not-found".equals(f.path("code").asText()), WAIT);

            u.send(Map.of("type", "call-offer", "sessionId", sessionId, "sdp", "v=0 offer", "callType", "audio"));
            JsonNode offer = e.await("call-offer");
            assertEquals(user.id(), offer.get("fromId").asText());
            assertEquals("v=0 offer", offer.get("sdp").asText());
            e.send(Map.of("type", "call-answer", "sessionId", sessionId, "sdp", "v=0 answer"));
            assertEquals(expert.id(), u.await("call-answer").get("fromId").asText());
            e.send(Map.of("type", "ice-candidate", "sessionId", sessionId, "candidate", "candidate:1 1 UDP 1 127.0.0.1 9 typ host"));
            u.await("ice-candidate");

            assertTrue(s.all("call-offer", Duration.ofMillis(500)).isEmpty(), "the stranger got no signalling");
            assertTrue(s.all("new-message", Duration.ZERO).isEmpty(), "nor chat");
            assertTrue(u.all("call-offer", Duration.ZERO).isEmpty(), "the sender does not get its own offer back");
            assertEquals(0, Db.count("select count(*) from chat_message where session_id = ?::uuid", sessionId));
            u.send(Map.of("type", "end-session", "sessionId", sessionId));
            u.await("session-ended");
        }
    }
}
