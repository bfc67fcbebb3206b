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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/**
 * The support desk against the deployed EAR, over REST and /ws/support (the test server's service levels are scaled by
 * 0.002, parley.support.sla-scale: an URGENT first response is due in 3.6 s).
 */
class SupportDeskIT extends SystemTest {

    private String admin;
    private String adminId;

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
        adminId = Accounts.me(api, admin).get("id").asText();
    }

    private JsonNode ticket(Person requester, String priority) {
        Api.Resp r = api.post("/support/tickets", requester.token(), Map.of("subject", "Charged twice for a session",
                "description", "The wallet shows two charges.", "category", "BILLING", "priority", priority));
        assertEquals(201, r.status(), r::toString);
        return r.json();
    }

    private static LiveClient support(String token) {
        return LiveClient.open("ws://127.0.0.1:8180/ws/support?access_token=" + token, null, null);
    }

    private Api.Resp post(String token, String ticketId, Map<String, Object> body) {
        return api.post("/support/tickets/" + ticketId + "/messages", token, body);
    }

    @Test
    void theSupportSocketAdmitsAsTheLiveOneDoesTokenOriginAndFrameSize() {
        Person requester = Accounts.user(api);
        try (LiveClient anonymous = LiveClient.open("ws://127.0.0.1:8180/ws/support?access_token=not-a-token", null, null)) {
            assertEquals(1008, anonymous.awaitClose(Duration.ofSeconds(10)));
        }
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class, () -> LiveClient.open(
                "ws://127.0.0.1:8180/ws/support?access_token=" + requester.token(), "https://evil.example", null));
        try (LiveClient big = support(requester.token())) {
            big.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals(1009, big.awaitClose(Duration.ofSeconds(10)));
        }
    }

    @Test
    void ticketNumbersIncreaseWithoutGapsOrRepeatsUnderTwentyConcurrentCreations() throws Exception {
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            people.add(Accounts.user(api));
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Api.Resp> made = Concurrently.run(20, () -> new Api().post("/support/tickets", people.get(next.getAndIncrement()).token(),
                Map.of("subject", "Cannot join my session", "description", "It spins.", "category", "TECHNICAL")));
        List<Long> numbers = made.stream().map(r -> {
            assertEquals(201, r.status(), r::toString);
            assertEquals("OPEN", r.json().get("status").asText());
            assertEquals("NORMAL", r.json().get("priority").asText());
            return r.json().get("number").asLong();
        }).sorted().toList();
        assertEquals(20, numbers.stream().distinct().count(), numbers::toString);
        assertEquals(19, numbers.get(19) - numbers.get(0), "consecutive: " + numbers);
        assertEquals(numbers.get(19).longValue(), Db.count("select last from support_ticket_number"), "nothing taken beyond them");
    }

    @Test
    void dueTimesFollowThePriorityAndAnUnmetFirstResponseIsFlaggedNotifiedAndAuditedOnce() {
        Person requester = Accounts.user(api);
        Map<String, long[]> levels = Map.of("URGENT", new long[]{3_600, 28_800}, "HIGH", new long[]{14_400, 172_800},
                "NORMAL", new long[]{57_600, 518_400}, "LOW", new long[]{172_800, 1_209_600});
        levels.forEach((priority, millis) -> {
            JsonNode t = ticket(requester, priority);
            Instant created = Instant.parse(t.get("createdAt").asText());
            assertEquals(millis[0], Duration.between(created, Instant.parse(t.get("firstResponseDueAt").asText())).toMillis(), priority);
            assertEquals(millis[1], Duration.between(created, Instant.parse(t.get("resolutionDueAt").asText())).toMillis(), priority);
        });
        String late = ticket(requester, "URGENT").get("id").asText();
        String answered = ticket(requester, "URGENT").get("id").asText();
        assertEquals(201, post(admin, answered, Map.of("body", "Looking into it now.")).status());

        JsonNode flagged = Eventually.until(Duration.ofSeconds(20), () -> api.get("/support/tickets/" + late, admin).json(),
                t -> t.get("breached").get("firstResponse").asBoolean(), "the first-response breach");
        assertFalse(flagged.get("breached").get("resolution").asBoolean());
        JsonNode other = api.get("/support/tickets/" + answered, requester.token()).json();
        assertFalse(other.get("breached").get("firstResponse").asBoolean(), "answered in time: " + other);
        assertTrue(other.hasNonNull("firstRespondedAt"));
        String key = "ticket:" + late + ":breach:first-response";
        Eventually.until(Duration.ofSeconds(10), () -> Db.count("select count(*) from notification where account_id = ?::uuid and dedupe_key = ?"
                + " and channel = 'IN_APP'", adminId, key), n -> n == 1, "the admins told");
        Eventually.until(Duration.ofSeconds(10), () -> Db.count("select count(*) from notification where dedupe_key = ? and channel = 'EMAIL'"
                + " and status = 'SENT'", key), n -> n >= 1, "the email sent, sweeps later");
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'TICKET_SLA_BREACHED'", late));
        assertEquals(1, Db.count("select count(*) from notification where account_id = ?::uuid and dedupe_key = ? and channel = 'IN_APP'",
                adminId, key));
        JsonNode breached = api.get("/support/tickets?breached=true&priority=URGENT&size=100", admin).json();
        assertTrue(breached.get("items").toString().contains(late), "listed as breached");
        assertFalse(breached.get("items").toString().contains(answered));
    }

    @Test
    void internalNotesNeverReachTheRequesterOverRestOrTheSocket() {
        Person requester = Accounts.user(api);
        String id = ticket(requester, "NORMAL").get("id").asText();
        try (LiveClient mine = support(requester.token()); LiveClient staff = support(admin)) {
            mine.send(Map.of("type", "ping"));
            mine.await("pong");
            staff.send(Map.of("type", "ping"));
            staff.await("pong");
            Api.Resp note = post(admin, id, Map.of("body", "Probably a duplicate gateway callback", "internal", true));
            assertEquals(201, note.status(), note::toString);
            assertTrue(note.json().get("internal").asBoolean());
            assertEquals(201, post(admin, id, Map.of("body", "We are checking your wallet.")).status());
            JsonNode first = mine.await("support-message", f -> id.equals(f.path("ticketId").asText()), Duration.ofSeconds(10));
            assertEquals(2, first.get("seq").asInt(), "the requester's first frame is the public reply: " + first);
            assertEquals("We are checking your wallet.", first.get("body").asText());
            JsonNode staffNote = staff.await("support-message", f -> f.path("seq").asInt() == 1 && id.equals(f.path("ticketId").asText()),
                    Duration.ofSeconds(10));
            assertTrue(staffNote.get("internal").asBoolean());
        }
        JsonNode forRequester = api.get("/support/tickets/" + id + "/messages", requester.token()).json().get("items");
        assertEquals(1, forRequester.size(), forRequester::toString);
        assertEquals(2, forRequester.get(0).get("seq").asInt());
        assertEquals(2, api.get("/support/tickets/" + id + "/messages", admin).json().get("items").size());
        assertProblem(post(requester.token(), id, Map.of("body", "note to self", "internal", true)), 403, null);
    }

    @Test
    void supportChatIsStoredInOrderRelayedTypingGoesToTheOthersAndAReconnectingClientCatchesUp() {
        Person requester = Accounts.user(api);
        String id = ticket(requester, "HIGH").get("id").asText();
        try (LiveClient mine = support(requester.token()); LiveClient staff = support(admin)) {
            mine.send(Map.of("type", "ping"));
            mine.await("pong");
            staff.send(Map.of("type", "ping"));
            staff.await("pong");
            for (int i = 1; i <= 5; i++) {
                mine.send(Map.of("type", "support-message", "ticketId", id, "body", "line " + i, "clientMsgId", "c" + i));
            }
            for (int i = 1; i <= 5; i++) {
                int seq = i;
                JsonNode f = staff.await("support-message", m -> id.equals(m.path("ticketId").asText()) && m.path("seq").asInt() == seq,
                        Duration.ofSeconds(10));
                assertEquals("line " + i, f.get("body").asText());
                assertEquals("c" + i, f.get("clientMsgId").asText());
                assertEquals("USER", f.get("senderRole").asText());
            }
            mine.send(Map.of("type", "typing", "ticketId", id));
            JsonNode typing = staff.await("typing", f -> id.equals(f.path("ticketId").asText()), Duration.ofSeconds(10));
            assertEquals(requester.id(), typing.get("fromId").asText());
            assertFalse(typing.has("parleyExcept"));
            assertEquals(List.of(), mine.all("typing", Duration.ofMillis(500)), "typing goes to the others only");
            mine.send(Map.of("type", "support-message", "ticketId", UUID.randomUUID().toString(), "body", "lost?"));
            assertEquals("not-found", mine.await("error").get("code").asText());
        }
        assertEquals(201, post(admin, id, Map.of("body", "reply 6")).status());
        assertEquals(201, post(admin, id, Map.of("body", "reply 7")).status());
        JsonNode missed = api.get("/support/tickets/" + id + "/messages?afterSeq=5", requester.token()).json().get("items");
        assertEquals(2, missed.size());
        assertEquals(6, missed.get(0).get("seq").asInt());
        assertEquals("reply 7", missed.get(1).get("body").asText());
        assertProblem(api.get("/support/tickets/" + id + "/messages?afterSeq=-1", requester.token()), 400, null);
    }

    @Test
    void theStatusMachineAndTheRatingRulesRefuseIllegalMovesAndStrangersSeeNothing() {
        Person requester = Accounts.user(api);
        Person stranger = Accounts.user(api);
        String id = ticket(requester, "NORMAL").get("id").asText();
        String path = "/support/tickets/" + id;
        assertProblem(api.patch(path, requester.token(), Map.of("status", "IN_PROGRESS")), 403, null);
        assertProblem(api.get(path, stranger.token()), 404, "not-found");
        assertProblem(api.patch(path, stranger.token(), Map.of("status", "CLOSED")), 404, "not-found");
        assertProblem(api.post(path + "/rating", requester.token(), Map.of("rating", 5)), 409, "not-resolved");
        assertEquals("IN_PROGRESS", api.patch(path, admin, Map.of("status", "IN_PROGRESS")).json().get("status").asText());
        assertProblem(api.patch(path, admin, Map.of("status", "OPEN")), 409, "illegal-ticket-transition");
        assertProblem(api.patch(path, admin, Map.of("assigneeId", requester.id())), 422, "assignee-not-staff");
        assertEquals(adminId, api.patch(path, admin, Map.of("assigneeId", adminId)).json().get("assigneeId").asText());
        assertProblem(api.patch(path, requester.token(), Map.of("priority", "URGENT")), 403, null);
        assertEquals("RESOLVED", api.patch(path, admin, Map.of("status", "RESOLVED")).json().get("status").asText());
        assertEquals(5, api.post(path + "/rating", requester.token(), Map.of("rating", 5, "comment", "quick")).json().get("rating").asInt());
        assertProblem(api.post(path + "/rating", requester.token(), Map.of("rating", 4)), 409, "already-rated");
        assertEquals(201, post(requester.token(), id, Map.of("body", "It happened again.")).status());
        assertEquals("OPEN", api.get(path, requester.token()).json().get("status").asText(), "a requester's message reopens it");
        assertEquals("RESOLVED", api.patch(path, admin, Map.of("status", "RESOLVED")).json().get("status").asText());
        assertEquals("OPEN", api.patch(path, requester.token(), Map.of("status", "OPEN")).json().get("status").asText(), "reopened within 7 days");
        assertEquals("CLOSED", api.patch(path, requester.token(), Map.of("status", "CLOSED")).json().get("status").asText());
        assertProblem(api.patch(path, admin, Map.of("status", "OPEN")), 409, "illegal-ticket-transition");
        assertProblem(post(requester.token(), id, Map.of("body", "hello?")), 409, "ticket-closed");
        assertProblem(api.patch(path, admin, Map.of("status", "REOPENED")), 400, null);
        for (String action : List.of("TICKET_CREATED", "TICKET_IN_PROGRESS", "TICKET_ASSIGNED", "TICKET_RESOLVED", "TICKET_RATED", "TICKET_OPEN",
                "TICKET_CLOSED")) {
            assertTrue(Db.count("select count(*) from audit_entry where entity_id = ? and action = ?", id, action) >= 1, action);
        }
    }

    @Test
    void badTicketsAreRefusedWithoutEffect() {
        Person requester = Accounts.user(api);
        Person expert = Live.onlineExpert(api, admin, 100);
        Person other = Accounts.user(api);
        Money.fund(api, admin, other.id(), "WALLET", 10_000);
        String session = Live.start(api, other, expert, "CHAT").json().get("id").asText();
        api.post("/sessions/" + session + "/end", other.token(), null);
        long before = Db.count("select count(*) from support_ticket where requester_id = ?::uuid", requester.id());
        assertProblem(api.post("/support/tickets", requester.token(), Map.of("subject", "Help with a session", "description", "x",
                "category", "SESSION", "sessionId", session)), 404, "not-found");
        assertEquals(201, api.post("/support/tickets", other.token(), Map.of("subject", "Help with a session", "description", "x",
                "category", "SESSION", "sessionId", session)).status(), "one's own session is fine");
        assertFieldError(assertProblem(api.post("/support/tickets", requester.token(), Map.of("subject", "Help", "description", "x",
                "category", "BILLING")), 400, null), "subject");
        assertFieldError(assertProblem(api.post("/support/tickets", requester.token(), Map.of("subject", "Help me please",
                "description", "x", "category", "MONEY")), 400, null), "category");
        assertProblem(api.post("/support/tickets", requester.token(), Map.of("subject", "Help me please", "description", "x",
                "category", "BILLING", "attachmentIds", List.of("not-a-uuid"))), 400, null);
        assertProblem(api.post("/support/tickets", admin, Map.of("subject", "Help me please", "description", "x", "category", "BILLING")),
                403, null);
        assertEquals(before, Db.count("select count(*) from support_ticket where requester_id = ?::uuid", requester.id()));
    }
}
