package org.parley.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Live;
import org.parley.it.support.LiveClient;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence by socket: experts online while connected, offline after the disconnect timeout; sessions that lose their people end. */
class PresenceIT extends SystemTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private String admin;

    @BeforeEach
    void shortDisconnectTimeout() {
        admin = Accounts.admin(api);
        Live.fastBilling(api, admin, 1, 30);
        api.patch("/admin/config", admin, Map.of("disconnectTimeoutSeconds", 2));
    }

    @AfterEach
    void restoreTimeout() {
        api.patch("/admin/config", admin, Map.of("disconnectTimeoutSeconds", 60));
    }

    private Person approvedOfflineExpert() {
        return Accounts.approvedExpert(api, admin, "Presence Expert", Accounts.profile("Mentor", List.of("presence"),
                List.of("en"), Map.of("CHAT", 100L)));
    }

    @Test
    void anApprovedExpertIsOnlineWhileConnectedAndOfflineAfterTheDisconnectTimeoutAsHeardBySocketsThatAskedForTheList() {
        Person expert = approvedOfflineExpert();
        Person watcher = Accounts.user(api);
        Person bystander = Accounts.user(api);
        try (LiveClient w = LiveClient.connect(watcher.token()); LiveClient b = LiveClient.connect(bystander.token())) {
            w.send(Map.of("type", "get-online-experts"));
            w.await("online-experts");
            LiveClient e = LiveClient.connect(expert.token());
            assertEquals(expert.id(), w.await("expert-online", f -> expert.id().equals(f.get("expert").get("id").asText()), WAIT)
                    .get("expert").get("id").asText());
            assertTrue(api.get("/experts/" + expert.id(), null).json().get("online").asBoolean());
            e.close();
            w.await("expert-offline", f -> expert.id().equals(f.get("expertId").asText()), WAIT);
            assertEquals(false, api.get("/experts/" + expert.id(), null).json().get("online").asBoolean());
            assertTrue(b.all("expert-online", Duration.ZERO).isEmpty() && b.all("expert-offline", Duration.ZERO).isEmpty(),
                    "a socket that never asked for the online experts is not sent presence changes");
        }
    }

    @Test
    void presenceSetByRestReachesListenersBothWaysAndAnExpertOffByRestStaysOfflineWhileItsSocketsStayOpen() {
        Person expert = approvedOfflineExpert();
        Person watcher = Accounts.user(api);
        try (LiveClient e = LiveClient.connect(expert.token()); LiveClient w = LiveClient.connect(watcher.token())) {
            e.send(Map.of("type", "ping"));
            e.await("pong");
            w.send(Map.of("type", "get-online-experts"));
            w.await("online-experts");
            assertEquals(200, api.put("/experts/me/presence", expert.token(), Map.of("online", false)).status());
            w.await("expert-offline", f -> expert.id().equals(f.get("expertId").asText()), WAIT);

            try (LiveClient again = LiveClient.connect(expert.token())) {
                again.send(Map.of("type", "ping"));
                again.await("pong");
                e.send(Map.of("type", "ping"));
                e.await("pong");
                assertEquals(false, api.get("/experts/" + expert.id(), null).json().get("online").asBoolean(),
                        "a socket opened during the break does not end it");
            }
            assertTrue(w.all("expert-online", Duration.ZERO).stream().noneMatch(f -> expert.id().equals(f.get("expert").get("id").asText())),
                    "nobody heard the expert come back while it was away");

            assertEquals(200, api.put("/experts/me/presence", expert.token(), Map.of("online", true)).status());
            assertEquals(expert.id(), w.await("expert-online", f -> expert.id().equals(f.get("expert").get("id").asText()), WAIT)
                    .get("expert").get("id").asText());
            assertEquals(true, api.get("/experts/" + expert.id(), null).json().get("online").asBoolean());
        }
    }

    @Test
    void anExpertAwayByRestWhoClosedTheAppComesOnlineWhenItConnectsAgainAfterTheDisconnectTimeout() {
        Person expert = approvedOfflineExpert();
        Person watcher = Accounts.user(api);
        try (LiveClient w = LiveClient.connect(watcher.token())) {
            w.send(Map.of("type", "get-online-experts"));
            w.await("online-experts");
            LiveClient e = LiveClient.connect(expert.token());
            w.await("expert-online", f -> expert.id().equals(f.get("expert").get("id").asText()), WAIT);
            assertEquals(200, api.put("/experts/me/presence", expert.token(), Map.of("online", false)).status());
            e.close();
            Eventually.until(WAIT, () -> Db.string("select away::text from expert_profile where account_id = ?::uuid", expert.id()),
                    "false"::equals, "the break ends once the expert's sockets have been gone for the disconnect timeout");
            try (LiveClient back = LiveClient.connect(expert.token())) {
                w.await("expert-online", f -> expert.id().equals(f.get("expert").get("id").asText()), WAIT);
            }
        }
    }

    @Test
    void anApplicantWhoConnectsStaysOffline() {
        Person applicant = Accounts.expertApplicant(api);
        try (LiveClient a = LiveClient.connect(applicant.token())) {
            a.send(Map.of("type", "ping"));
            a.await("pong");
            assertEquals("false", Db.string("select online::text from expert_profile where account_id = ?::uuid", applicant.id()));
        }
    }

    @Test
    void aSessionWhoseTwoSidesBothDisconnectEndsAsDisconnectedButOneSideLeavingIsNotEnough() {
        Person expert = approvedOfflineExpert();
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 100_000);
        LiveClient e = LiveClient.connect(expert.token());
        LiveClient u = LiveClient.connect(user.token());
        u.send(Map.of("type", "request-session", "expertId", expert.id(), "channel", "CHAT"));
        String sessionId = u.await("session-started").get("sessionId").asText();
        u.close();
        sleep(3_500);
        assertEquals("ACTIVE", Live.session(api, user.token(), sessionId).get("status").asText(), "the expert is still there");
        e.close();
        assertEquals("disconnected", Live.awaitEnded(api, user.token(), sessionId, WAIT).get("endReason").asText());
    }

    @Test
    void anExpertGoingOfflineEndsTheirSession() {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 100_000);
        try (LiveClient u = LiveClient.connect(user.token())) {
            u.send(Map.of("type", "request-session", "expertId", expert.id(), "channel", "CHAT"));
            String sessionId = u.await("session-started").get("sessionId").asText();
            assertEquals(200, api.put("/experts/me/presence", expert.token(), Map.of("online", false)).status());
            assertEquals("expert-offline", u.await("session-ended", f -> true, WAIT).get("reason").asText());
            assertEquals("expert-offline", Live.session(api, user.token(), sessionId).get("endReason").asText());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
