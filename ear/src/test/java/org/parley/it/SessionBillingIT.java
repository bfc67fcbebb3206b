package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Live;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertProblem;

/** Per-period billing of live sessions, with a 1-second "minute", over REST. */
class SessionBillingIT extends SystemTest {

    private String admin;

    @BeforeEach
    void fastBilling() {
        admin = Accounts.admin(api);
        Live.fastBilling(api, admin, 1, 2);
    }

    private long charges(String sessionId) {
        return Db.count("select count(*) from ledger_transfer where kind = 'SESSION_CHARGE' and reference like ?", sessionId + ":%");
    }

    @Test
    void aSessionRunsUntilTheWalletIsEmptyThenEndsWithInsufficientBalanceAndSettlesExactly() {
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 3_500);
        Api.Resp started = Live.start(api, user, expert, "CHAT");
        assertEquals(201, started.status(), started::toString);
        String id = started.json().get("id").asText();
        assertEquals(1_000, started.json().get("ratePerMinute").asLong());
        assertEquals(1, started.json().get("minutesBilled").asInt());

        JsonNode ended = Live.awaitEnded(api, user.token(), id, Duration.ofSeconds(20));
        assertEquals("insufficient-balance", ended.get("endReason").asText());
        assertEquals(3, ended.get("minutesBilled").asInt());
        assertEquals(3_000, ended.get("amountCharged").asLong());
        assertEquals(500, Money.walletBalance(api, user.token()));
        assertEquals(3, charges(id));
        assertEquals(3, Db.count("select count(*) from session_charge where session_id = ?::uuid", id));
        assertEquals(2_400, Db.count("select balance from ledger_account where owner_id = ?::uuid and kind = 'EARNINGS_PENDING'", expert.id()));
        assertEquals(600, Db.count("select amount from ledger_transfer where kind = 'PLATFORM_FEE' and reference = ?", id));
        assertEquals(2_400, api.get("/earnings/summary", expert.token()).json().get("pending").asLong());
    }

    @Test
    void periodsAreChargedOnTheScheduleFromTheStartWithoutDrift() {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 100_000);
        String id = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        Eventually.until(Duration.ofSeconds(15), () -> Live.session(api, user.token(), id), s -> s.get("minutesBilled").asInt() >= 5, "5 periods");
        api.post("/sessions/" + id + "/end", user.token(), null);
        long offSchedule = Db.count("select count(*) from session_charge c join live_session s on s.id = c.session_id"
                + " where c.session_id = ?::uuid and c.due_at <> s.started_at + (c.period - 1) * interval '1 second'", id);
        assertEquals(0, offSchedule, "period n is due exactly n-1 periods after the start");
        long late = Db.count("select count(*) from session_charge where session_id = ?::uuid and charged_at > due_at + interval '2 seconds'", id);
        assertEquals(0, late, "no charge more than 2 s after it was due");
    }

    @Test
    void manySessionsBilledSideBySideAreChargedOncePerPeriodAndOnlyTheDryWalletsGoIntoGrace() {
        List<Person> users = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Person expert = Live.onlineExpert(api, admin, 1_000);
            Person user = Accounts.user(api);
            Money.fund(api, admin, user.id(), "WALLET", i % 2 == 0 ? 100_000 : 2_000);
            users.add(user);
            ids.add(Live.start(api, user, expert, "CHAT").json().get("id").asText());
        }
        for (int i = 1; i < 12; i += 2) {
            JsonNode ended = Live.awaitEnded(api, users.get(i).token(), ids.get(i), Duration.ofSeconds(20));
            assertEquals("insufficient-balance", ended.get("endReason").asText());
            assertEquals(2, ended.get("minutesBilled").asInt(), "a wallet of two periods pays exactly two");
            assertEquals(0, Money.walletBalance(api, users.get(i).token()));
        }
        for (int i = 0; i < 12; i += 2) {
            JsonNode live = Live.session(api, users.get(i).token(), ids.get(i));
            assertEquals("ACTIVE", live.get("status").asText(), "a funded wallet never enters grace");
            assertTrue(live.get("minutesBilled").asInt() >= 3, live::toString);
            api.post("/sessions/" + ids.get(i) + "/end", users.get(i).token(), null);
            JsonNode ended = Live.session(api, users.get(i).token(), ids.get(i));
            long periods = ended.get("minutesBilled").asLong();
            assertEquals(periods, charges(ids.get(i)));
            assertEquals(periods, Db.count("select count(distinct period) from session_charge where session_id = ?::uuid and period between 1 and ?",
                    ids.get(i), periods), "periods 1..n, each once");
            assertEquals(100_000 - 1_000 * periods, Money.walletBalance(api, users.get(i).token()));
        }
    }

    @Test
    void aTopUpDuringTheGraceKeepsTheSessionGoing() {
        Live.fastBilling(api, admin, 1, 4);
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 1_500);
        String id = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        Eventually.until(Duration.ofSeconds(10), () -> Live.session(api, user.token(), id), s -> "GRACE".equals(s.get("status").asText()), "grace");
        Money.fund(api, admin, user.id(), "WALLET", 5_000);
        JsonNode resumed = Eventually.until(Duration.ofSeconds(10), () -> Live.session(api, user.token(), id),
                s -> s.get("minutesBilled").asInt() >= 2, "a charge after the top-up");
        assertEquals("ACTIVE", resumed.get("status").asText());
        JsonNode summary = api.post("/sessions/" + id + "/end", user.token(), null).json();
        assertEquals("user-ended", summary.get("reason").asText());
        JsonNode ended = Live.session(api, user.token(), id);
        assertEquals(ended.get("minutesBilled").asLong(), charges(id));
        assertEquals(6_500 - ended.get("amountCharged").asLong(), Money.walletBalance(api, user.token()));
    }

    @Test
    void startingNeedsOneMinuteOfBalanceAnOnlineExpertAndAUserAccount() {
        Person expert = Live.onlineExpert(api, admin, 2_000);
        Person poor = Accounts.user(api);
        Money.fund(api, admin, poor.id(), "WALLET", 1_999);
        assertProblem(Live.start(api, poor, expert, "CHAT"), 422, "insufficient-balance");
        assertProblem(Live.start(api, poor, expert, "VIDEO"), 422, "channel-not-offered");
        assertEquals(0, Db.count("select count(*) from live_session where user_id = ?::uuid", poor.id()));
        assertEquals(1_999, Money.walletBalance(api, poor.token()));

        Person otherExpert = Live.onlineExpert(api, admin, 100);
        assertProblem(api.post("/sessions", otherExpert.token(), Map.of("expertId", expert.id(), "channel", "CHAT")), 403, "forbidden");
        api.put("/experts/me/presence", otherExpert.token(), Map.of("online", false));
        assertProblem(Live.start(api, poor, otherExpert, "CHAT"), 422, "expert-offline");
    }

    @Test
    void anExpertAtCapacityIsBusyAndAUserHasOneSessionAtATime() {
        Person expert = Live.onlineExpert(api, admin, 500);
        Person other = Live.onlineExpert(api, admin, 500);
        Person first = Accounts.user(api);
        Person second = Accounts.user(api);
        Money.fund(api, admin, first.id(), "WALLET", 50_000);
        Money.fund(api, admin, second.id(), "WALLET", 50_000);
        String id = Live.start(api, first, expert, "CHAT").json().get("id").asText();
        assertProblem(Live.start(api, second, expert, "CHAT"), 409, "expert-busy");
        assertProblem(Live.start(api, first, other, "CHAT"), 409, "already-in-session");
        assertEquals(200, api.post("/sessions/" + id + "/end", expert.token(), null).status());
        assertEquals("expert-ended", Live.session(api, first.token(), id).get("endReason").asText());
        assertEquals(201, Live.start(api, second, expert, "CHAT").status());
    }

    @Test
    void onlyParticipantsSeeOrEndASessionAndAdminsCanRefund() {
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person user = Accounts.user(api);
        Person stranger = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 10_000);
        String id = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        assertProblem(api.get("/sessions/" + id, stranger.token()), 404, "not-found");
        assertProblem(api.post("/sessions/" + id + "/end", stranger.token(), null), 404, "not-found");
        assertEquals(0, api.get("/sessions", stranger.token()).json().get("total").asInt());
        assertEquals(1, api.get("/sessions?role=expert", expert.token()).json().get("total").asInt());
        assertProblem(Money.refund(api, admin, id, Map.of("reason", "too early")), 409, "session-live");

        JsonNode summary = api.post("/sessions/" + id + "/end", user.token(), null).json();
        long charged = summary.get("amountCharged").asLong();
        long balanceBefore = Money.walletBalance(api, user.token());
        assertProblem(Money.refund(api, admin, id, Map.of("amount", charged + 1, "reason", "x")), 422, "refund-out-of-range");
        Api.Resp partial = Money.refund(api, admin, id, Map.of("amount", 500, "reason", "poor line"));
        assertEquals(200, partial.status(), partial::toString);
        assertEquals(balanceBefore + 500, Money.walletBalance(api, user.token()));
        Api.Resp rest = Money.refund(api, admin, id, Map.of("reason", "make it whole"));
        assertEquals(charged, rest.json().get("amountRefunded").asLong());
        assertEquals(balanceBefore + charged, Money.walletBalance(api, user.token()));
        assertEquals(0, Db.count("select balance from ledger_account where owner_id = ?::uuid and kind = 'EARNINGS_PENDING'", expert.id()));
        assertProblem(Money.refund(api, admin, id, Map.of("reason", "again")), 422, "refund-out-of-range");
    }

    @Test
    void theUserReviewsOnceAfterTheEndAndTheExpertsRatingFollows() {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 10_000);
        String id = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        assertProblem(api.post("/sessions/" + id + "/review", user.token(), Map.of("rating", 5)), 409, "session-live");
        api.post("/sessions/" + id + "/end", user.token(), null);
        assertProblem(api.post("/sessions/" + id + "/review", expert.token(), Map.of("rating", 5)), 403, "forbidden");
        assertProblem(api.post("/sessions/" + id + "/review", user.token(), Map.of("rating", 6)), 400, "validation");
        assertEquals(204, api.post("/sessions/" + id + "/review", user.token(), Map.of("rating", 4, "comment", "kind")).status());
        assertProblem(api.post("/sessions/" + id + "/review", user.token(), Map.of("rating", 1)), 409, "already-reviewed");
        JsonNode card = api.get("/experts/" + expert.id(), null).json();
        assertEquals(4.0, card.get("rating").asDouble(), 0.001);
        assertEquals(1, card.get("reviewCount").asInt());
        assertTrue(Db.count("select sessions_completed from expert_profile where account_id = ?::uuid", expert.id()) == 1);
    }

    @Test
    void chatLinesAreStoredInOrderAndOnlyParticipantsPostOrRead() {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Person stranger = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 10_000);
        String id = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        for (int i = 1; i <= 5; i++) {
            Person sender = i % 2 == 0 ? expert : user;
            Api.Resp r = api.post("/sessions/" + id + "/messages", sender.token(), Map.of("body", "line " + i, "clientMsgId", "c" + i));
            assertEquals(201, r.status(), r::toString);
            assertEquals(i, r.json().get("seq").asInt());
        }
        assertEquals(3, api.post("/sessions/" + id + "/messages", user.token(), Map.of("body", "line 3", "clientMsgId", "c3")).json().get("seq").asInt(),
                "a repeated clientMsgId returns the stored line");
        assertProblem(api.post("/sessions/" + id + "/messages", stranger.token(), Map.of("body", "hi")), 404, "not-found");
        assertProblem(api.get("/sessions/" + id + "/messages", stranger.token()), 404, "not-found");
        JsonNode after2 = api.get("/sessions/" + id + "/messages?afterSeq=2", expert.token()).json().get("items");
        assertEquals(3, after2.size());
        assertEquals("line 3", after2.get(0).get("body").asText());
        assertEquals(5, after2.get(2).get("seq").asInt());
        assertEquals(5, Db.count("select count(*) from chat_message where session_id = ?::uuid", id));
        api.post("/sessions/" + id + "/end", user.token(), null);
        assertProblem(api.post("/sessions/" + id + "/messages", user.token(), Map.of("body", "late")), 409, "session-ended");
    }
}
