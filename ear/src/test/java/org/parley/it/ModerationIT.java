package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Concurrently;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Live;
import org.parley.it.support.LiveClient;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/**
 * Moderation against the deployed EAR: who may report what, one open report per target, the admins' queue, and
 * actions with real effects (the test server's suspension "hour" is 2 s, parley.moderation.hour-seconds).
 */
class ModerationIT extends SystemTest {

    private static final String REASON = "rude and threatening in the chat";
    private String admin;

    @BeforeEach
    void fastBilling() {
        admin = Accounts.admin(api);
        Live.fastBilling(api, admin, 1, 2);
    }

    /** A user who has had a session with {@code expert} (started and ended): the session's id. */
    private String sessionOf(Person user, Person expert) {
        Money.fund(api, admin, user.id(), "WALLET", 10_000);
        Api.Resp started = Live.start(api, user, expert, "CHAT");
        assertEquals(201, started.status(), started::toString);
        String id = started.json().get("id").asText();
        Api.Resp line = api.post("/sessions/" + id + "/messages", expert.token(), Map.of("body", "a line from the expert"));
        assertEquals(201, line.status(), line::toString);
        assertEquals(200, api.post("/sessions/" + id + "/end", user.token(), null).status());
        return id;
    }

    private Api.Resp report(Person who, String type, String target) {
        return api.post("/reports", who.token(), Map.of("targetType", type, "targetId", target, "reason", REASON, "category", "HARASSMENT"));
    }

    private Api.Resp act(Map<String, Object> body) {
        return api.post("/admin/moderation/actions", admin, body);
    }

    @Test
    void onlyParticipantsReportNobodyReportsThemselvesAndOneReportPerTargetStaysOpen() {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Person stranger = Accounts.user(api);
        String session = sessionOf(user, expert);

        Api.Resp onSession = report(user, "SESSION", session);
        assertEquals(201, onSession.status(), onSession::toString);
        assertEquals("OPEN", onSession.json().get("status").asText());
        assertEquals(user.id(), onSession.json().get("reporterId").asText());
        assertProblem(report(stranger, "SESSION", session), 404, "not-found");
        assertEquals(201, report(user, "EXPERT", expert.id()).status());
        assertProblem(report(user, "EXPERT", expert.id()), 409, "duplicate-report");
        assertProblem(report(stranger, "EXPERT", expert.id()), 404, "not-found");
        assertProblem(report(user, "USER", user.id()), 422, "self-report");
        assertProblem(report(user, "USER", expert.id()), 404, "not-found");
        assertEquals(201, report(expert, "USER", user.id()).status());
        assertEquals(201, report(user, "MESSAGE", session + ":1").status());
        assertProblem(report(expert, "MESSAGE", session + ":1"), 422, "self-report");
        assertProblem(report(user, "MESSAGE", session + ":99"), 404, "not-found");
        assertFieldError(assertProblem(report(user, "MESSAGE", session + ":first"), 400, null), "targetId");
        assertProblem(report(user, "SESSION", "not-a-uuid"), 400, null);
        assertProblem(report(user, "ACCOUNT", expert.id()), 400, null);
        assertFieldError(assertProblem(api.post("/reports", user.token(), Map.of("targetType", "SESSION", "targetId", session,
                "reason", "bad")), 400, null), "reason");
        assertProblem(api.post("/reports", admin, Map.of("targetType", "SESSION", "targetId", session, "reason", REASON)), 403, null);
        assertEquals(3, api.get("/reports", user.token()).json().get("total").asInt());
        assertEquals(0, api.get("/reports", stranger.token()).json().get("total").asInt());
        assertEquals(4, Db.count("select count(*) from audit_entry where action = 'REPORT_CREATED' and actor_id in (?::uuid, ?::uuid)",
                user.id(), expert.id()));
    }

    @Test
    void tenConcurrentDuplicateReportsMakeOne() throws Exception {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        sessionOf(user, expert);
        List<Api.Resp> answers = Concurrently.run(10, () -> new Api().post("/reports", user.token(), Map.of("targetType", "EXPERT",
                "targetId", expert.id(), "reason", REASON)));
        assertEquals(1, answers.stream().filter(r -> r.status() == 201).count(), answers::toString);
        answers.stream().filter(r -> r.status() != 201).forEach(r -> assertProblem(r, 409, "duplicate-report"));
        assertEquals(1, Db.count("select count(*) from report where reporter_id = ?::uuid", user.id()));
    }

    @Test
    void theQueueComesMostReportedFirstAndReportsMoveOneLegalStepWithTheReporterToldTheOutcome() {
        Person busy = Live.onlineExpert(api, admin, 100);
        List<String> reportIds = new ArrayList<>();
        List<Person> reporters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Person u = Accounts.user(api);
            sessionOf(u, busy);
            reportIds.add(report(u, "EXPERT", busy.id()).json().get("id").asText());
            reporters.add(u);
        }
        Person quiet = Live.onlineExpert(api, admin, 100);
        Person u = Accounts.user(api);
        sessionOf(u, quiet);
        String lone = report(u, "EXPERT", quiet.id()).json().get("id").asText();

        JsonNode busyQueue = api.get("/admin/reports?targetType=EXPERT&targetId=" + busy.id(), admin).json();
        assertEquals(3, busyQueue.get("total").asInt());
        busyQueue.get("items").forEach(r -> assertEquals(3, r.get("reportCount").asInt()));
        assertEquals(busy.id(), busyQueue.get("items").get(0).get("subjectId").asText());
        assertEquals(reportIds.get(0), busyQueue.get("items").get(0).get("id").asText(), "oldest first among equals");
        List<String> order = new ArrayList<>();
        api.get("/admin/reports?status=OPEN&size=100", admin).json().get("items").forEach(r -> order.add(r.get("id").asText()));
        assertTrue(order.indexOf(reportIds.get(2)) < order.indexOf(lone), "three reporters before one: " + order);

        String id = reportIds.get(1);
        assertProblem(api.patch("/admin/reports/" + id, admin, Map.of("status", "ACTION_TAKEN")), 409, "illegal-report-transition");
        assertProblem(api.patch("/admin/reports/" + id, reporters.get(1).token(), Map.of("status", "UNDER_REVIEW")), 403, null);
        assertProblem(api.patch("/admin/reports/" + id, admin, Map.of("status", "CLOSED")), 400, null);
        assertProblem(api.patch("/admin/reports/" + UUID.randomUUID(), admin, Map.of("status", "UNDER_REVIEW")), 404, "not-found");
        assertEquals("UNDER_REVIEW", api.patch("/admin/reports/" + id, admin, Map.of("status", "UNDER_REVIEW")).json().get("status").asText());
        JsonNode dismissed = api.patch("/admin/reports/" + id, admin, Map.of("status", "DISMISSED", "resolution", "banter")).json();
        assertEquals("DISMISSED", dismissed.get("status").asText());
        assertProblem(api.patch("/admin/reports/" + id, admin, Map.of("status", "UNDER_REVIEW")), 409, "illegal-report-transition");
        JsonNode inbox = api.get("/notifications", reporters.get(1).token()).json().get("items");
        assertTrue(inbox.toString().contains("Your report was reviewed") && !inbox.toString().contains("banter"), inbox::toString);
        // a closed report no longer blocks a new one on the same target
        assertEquals(201, report(reporters.get(1), "EXPERT", busy.id()).status());
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'REPORT_DISMISSED'", id));
    }

    @Test
    void suspensionRevokesTheTokenClosesTheSocketsEndsAndSettlesTheSessionAndLiftsItselfAfterItsDuration() {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 10_000);
        String session = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        try (LiveClient socket = LiveClient.connect(user.token())) {
            socket.send(Map.of("type", "ping"));
            socket.await("pong");
            Api.Resp suspended = act(Map.of("accountId", user.id(), "action", "SUSPEND", "reason", REASON, "durationHours", 2));
            assertEquals(201, suspended.status(), suspended::toString);
            assertEquals("account-suspended", socket.await("error").get("code").asText());
            assertEquals(1008, socket.awaitClose(Duration.ofSeconds(10)));
        }
        JsonNode ended = Live.awaitEnded(api, expert.token(), session, Duration.ofSeconds(10));
        assertEquals("admin-ended", ended.get("endReason").asText());
        assertTrue(ended.get("amountCharged").asLong() >= 100, ended::toString);
        assertTrue(Db.count("select coalesce(balance, 0) from ledger_account where owner_id = ?::uuid and kind = 'EARNINGS_PENDING'",
                expert.id()) > 0, "settled to the expert");
        assertEquals(401, api.get("/auth/me", user.token()).status(), "the token is revoked");
        assertNotEquals(200, api.post("/auth/login", null, Map.of("email", user.email(), "password", Accounts.PASSWORD)).status());

        // two "hours" of 2 s later the timer lifts it
        Eventually.until(Duration.ofSeconds(20), () -> api.post("/auth/login", null, Map.of("email", user.email(), "password", Accounts.PASSWORD)),
                r -> r.status() == 200, "sign-in after the suspension ends");
        assertEquals(1, Db.count("select count(*) from moderation_action where account_id = ?::uuid and lifted_at is not null", user.id()));
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'MODERATION_LIFTED'", user.id()));
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'MODERATION_SUSPEND'", user.id()));
    }

    @Test
    void aSuspendedExpertGoesOfflineUntilUnsuspendedAndMovesOutOfOrderAre409() {
        Person expert = Live.onlineExpert(api, admin, 100);
        assertEquals(201, act(Map.of("accountId", expert.id(), "action", "SUSPEND", "reason", REASON)).status());
        assertEquals("f", Db.string("select online from expert_profile where account_id = ?::uuid", expert.id()), "taken offline");
        assertEquals(401, api.get("/auth/me", expert.token()).status());
        assertProblem(act(Map.of("accountId", expert.id(), "action", "SUSPEND", "reason", REASON)), 409, "not-active");
        assertEquals(201, act(Map.of("accountId", expert.id(), "action", "UNSUSPEND", "reason", "appeal upheld")).status());
        assertProblem(act(Map.of("accountId", expert.id(), "action", "UNSUSPEND", "reason", "again")), 409, "not-suspended");
        assertEquals(200, api.post("/auth/login", null, Map.of("email", expert.email(), "password", Accounts.PASSWORD)).status());
        JsonNode actions = api.get("/admin/moderation/actions?accountId=" + expert.id(), admin).json();
        assertEquals(2, actions.get("total").asInt());
        assertEquals("UNSUSPEND", actions.get("items").get(0).get("action").asText());
        assertTrue(actions.get("items").get(1).hasNonNull("liftedAt"), "the open-ended suspension was lifted by the UNSUSPEND");
    }

    @Test
    void aHiddenLineReadsAsAPlaceholderToBothParticipantsWhileAdminsReadTheOriginal() {
        Person expert = Live.onlineExpert(api, admin, 100);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 10_000);
        String session = Live.start(api, user, expert, "CHAT").json().get("id").asText();
        assertEquals(201, api.post("/sessions/" + session + "/messages", user.token(), Map.of("body", "something abusive")).status());
        assertEquals(201, api.post("/sessions/" + session + "/messages", user.token(), Map.of("body", "something fine")).status());
        try (LiveClient expertSocket = LiveClient.connect(expert.token())) {
            expertSocket.send(Map.of("type", "ping"));
            expertSocket.await("pong");
            assertProblem(act(Map.of("accountId", expert.id(), "action", "HIDE_MESSAGE", "reason", REASON, "messageRef", session + ":1")),
                    422, "not-their-message");
            assertProblem(act(Map.of("accountId", user.id(), "action", "HIDE_MESSAGE", "reason", REASON)), 400, null);
            assertProblem(act(Map.of("accountId", user.id(), "action", "HIDE_MESSAGE", "reason", REASON, "messageRef", session + ":7")),
                    404, "not-found");
            assertEquals(201, act(Map.of("accountId", user.id(), "action", "HIDE_MESSAGE", "reason", REASON, "messageRef", session + ":1")).status());
            JsonNode hidden = expertSocket.await("message-hidden");
            assertEquals(session, hidden.get("sessionId").asText());
            assertEquals(1, hidden.get("seq").asInt());
        }
        for (Person p : List.of(user, expert)) {
            JsonNode lines = api.get("/sessions/" + session + "/messages", p.token()).json().get("items");
            assertEquals("[removed by moderation]", lines.get(0).get("body").asText());
            assertEquals("something fine", lines.get(1).get("body").asText());
        }
        assertEquals("something abusive", api.get("/sessions/" + session + "/messages", admin).json().get("items").get(0).get("body").asText());
        assertProblem(act(Map.of("accountId", user.id(), "action", "HIDE_MESSAGE", "reason", REASON, "messageRef", session + ":1")),
                409, "already-hidden");
        api.post("/sessions/" + session + "/end", user.token(), null);
    }

    @Test
    void aWarningNotifiesReadAllClearsOnlyTheCallersAndBadActionsAreRefusedWithoutEffect() {
        Person user = Accounts.user(api);
        Api.Resp warned = act(Map.of("accountId", user.id(), "action", "WARN", "reason", "mind your language"));
        assertEquals(201, warned.status(), warned::toString);
        assertTrue(api.get("/notifications", user.token()).json().get("items").toString().contains("mind your language"));
        Person other = Accounts.user(api);
        assertEquals(201, act(Map.of("accountId", other.id(), "action", "WARN", "reason", "spam")).status());
        assertEquals(1, api.post("/notifications/read-all", user.token(), null).json().get("read").asInt(), "read-all marks the unread");
        assertEquals(0, api.get("/notifications?unread=true", user.token()).json().get("items").size());
        assertEquals(0, api.post("/notifications/read-all", user.token(), null).json().get("read").asInt(), "and only once");
        assertEquals(1, api.get("/notifications?unread=true", other.token()).json().get("items").size(), "nobody else's");
        Map<String, Object> base = new HashMap<>(Map.of("accountId", user.id(), "action", "WARN", "reason", "x"));
        base.put("durationHours", 3);
        assertFieldError(assertProblem(act(base), 400, null), "durationHours");
        assertProblem(act(Map.of("accountId", user.id(), "action", "BAN", "reason", "x")), 400, null);
        assertProblem(act(Map.of("accountId", UUID.randomUUID().toString(), "action", "WARN", "reason", "x")), 404, "not-found");
        assertProblem(act(Map.of("accountId", user.id(), "action", "WARN", "reason", "x", "reportId", UUID.randomUUID().toString())),
                404, "not-found");
        String adminId = Accounts.me(api, admin).get("id").asText();
        assertProblem(act(Map.of("accountId", adminId, "action", "SUSPEND", "reason", "x")), 422, "not-moderatable");
        assertProblem(api.post("/admin/moderation/actions", user.token(), Map.of("accountId", user.id(), "action", "WARN", "reason", "x")),
                403, null);
        assertEquals(1, Db.count("select count(*) from moderation_action where account_id = ?::uuid", user.id()));
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'MODERATION_WARN'", user.id()));
    }
}
