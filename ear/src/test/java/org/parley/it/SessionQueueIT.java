package org.parley.it;

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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Waiting for a busy expert: FIFO positions, leaving, hand-over at the end of a session, expiry. */
class SessionQueueIT extends SystemTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private String admin;

    @BeforeEach
    void fastBilling() {
        admin = Accounts.admin(api);
        Live.fastBilling(api, admin, 60, 30);
    }

    private Person funded(long amount) {
        Person p = Accounts.user(api);
        Money.fund(api, admin, p.id(), "WALLET", amount);
        return p;
    }

    private static void request(LiveClient c, Person expert) {
        c.send(Map.of("type", "request-session", "expertId", expert.id(), "channel", "CHAT"));
    }

    @Test
    void waitingUsersGetPositionsLeavingMovesOthersUpAndTheEndHandsOverToTheNext() {
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person a = funded(10_000);
        Person b = funded(10_000);
        Person c = funded(10_000);
        try (LiveClient ca = LiveClient.connect(a.token()); LiveClient cb = LiveClient.connect(b.token());
             LiveClient cc = LiveClient.connect(c.token())) {
            request(ca, expert);
            String first = ca.await("session-started").get("sessionId").asText();
            request(cb, expert);
            assertEquals(1, cb.await("queue-joined").get("position").asInt());
            request(cc, expert);
            assertEquals(2, cc.await("queue-joined").get("position").asInt());

            cb.send(Map.of("type", "leave-queue", "expertId", expert.id()));
            assertEquals(1, cc.await("queue-status", f -> f.get("position").asInt() == 1, WAIT).get("position").asInt());

            ca.send(Map.of("type", "end-session", "sessionId", first));
            ca.await("session-ended");
            String second = cc.await("session-started").get("sessionId").asText();
            assertEquals(c.id(), Live.session(api, c.token(), second).get("userId").asText());
            assertEquals(0, Db.count("select count(*) from session_queue where expert_id = ?::uuid", expert.id()));
            api.post("/sessions/" + second + "/end", c.token(), null);
        }
    }

    @Test
    void aWaitingUserWhoseWalletNoLongerCoversAPeriodKeepsTheirPlaceWhileTheNextIsStarted() {
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person a = funded(10_000);
        Person b = funded(1_000);
        Person c = funded(10_000);
        try (LiveClient ca = LiveClient.connect(a.token()); LiveClient cb = LiveClient.connect(b.token());
             LiveClient cc = LiveClient.connect(c.token())) {
            request(ca, expert);
            String first = ca.await("session-started").get("sessionId").asText();
            request(cb, expert);
            cb.await("queue-joined");
            request(cc, expert);
            cc.await("queue-joined");
            Money.fund(api, admin, b.id(), "WALLET", -1_000);

            api.post("/sessions/" + first + "/end", a.token(), null);
            String second = cc.await("session-started").get("sessionId").asText();
            assertEquals(1, cb.await("queue-status", f -> f.get("position").asInt() == 1, WAIT).get("position").asInt());
            assertEquals(1, Db.count("select count(*) from session_queue where user_id = ?::uuid", b.id()));
            api.post("/sessions/" + second + "/end", c.token(), null);
            cb.send(Map.of("type", "leave-queue", "expertId", expert.id()));
        }
    }

    @Test
    void queueingNeedsAPeriodOfBalanceAndOneQueueAtATime() {
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person other = Live.onlineExpert(api, admin, 1_000);
        Person a = funded(10_000);
        Person poor = funded(999);
        Person b = funded(10_000);
        try (LiveClient ca = LiveClient.connect(a.token()); LiveClient cp = LiveClient.connect(poor.token());
             LiveClient cb = LiveClient.connect(b.token())) {
            request(ca, expert);
            String first = ca.await("session-started").get("sessionId").asText();
            request(cp, expert);
            assertEquals("insufficient-balance", cp.await("error").get("code").asText());
            request(cb, expert);
            cb.await("queue-joined");
            cb.send(Map.of("type", "request-session", "expertId", other.id(), "channel", "CHAT"));
            cb.await("session-started");
            assertEquals(0, Db.count("select count(*) from session_queue where user_id = ?::uuid", poor.id()));
            api.post("/sessions/" + first + "/end", a.token(), null);
            cb.send(Map.of("type", "leave-queue", "expertId", expert.id()));
            for (var s : api.get("/sessions?status=ACTIVE", b.token()).json().get("items")) {
                api.post("/sessions/" + s.get("id").asText() + "/end", b.token(), null);
            }
        }
    }

    @Test
    void anEntryExpiresAfterTheQueueTimeout() {
        api.patch("/admin/config", admin, Map.of("queueTimeoutSeconds", 10));
        try {
            Person expert = Live.onlineExpert(api, admin, 1_000);
            Person a = funded(10_000);
            Person b = funded(10_000);
            try (LiveClient ca = LiveClient.connect(a.token()); LiveClient cb = LiveClient.connect(b.token())) {
                request(ca, expert);
                String first = ca.await("session-started").get("sessionId").asText();
                request(cb, expert);
                cb.await("queue-joined");
                Eventually.until(Duration.ofSeconds(20), () -> Db.count("select count(*) from session_queue where user_id = ?::uuid", b.id()),
                        n -> n == 0, "the entry to expire");
                api.post("/sessions/" + first + "/end", a.token(), null);
                assertEquals(0, Db.count("select count(*) from live_session where user_id = ?::uuid", b.id()));
            }
        } finally {
            api.patch("/admin/config", admin, Map.of("queueTimeoutSeconds", 600));
        }
    }
}
