package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Concurrently;
import org.parley.it.support.Db;
import org.parley.it.support.Live;
import org.parley.it.support.Money;
import org.parley.it.support.SystemTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** After a session: the expert's public reviews, and admins' refunds as the user sees them, each made once per key. */
class SessionAftercareIT extends SystemTest {

    private String admin;

    @BeforeEach
    void fastBilling() {
        admin = Accounts.admin(api);
        Live.fastBilling(api, admin, 1, 2);
    }

    /** A session of {@code user} with {@code expert}, started and ended at once; its id. */
    private String endedSession(Person user, Person expert) {
        Api.Resp started = Live.start(api, user, expert, "CHAT");
        assertEquals(201, started.status(), started::toString);
        String id = started.json().get("id").asText();
        assertEquals(200, api.post("/sessions/" + id + "/end", user.token(), null).status());
        return id;
    }

    @Test
    void anExpertsReviewsAreListedNewestFirstInPages() {
        Person expert = Live.onlineExpert(api, admin, 100);
        List<String> sessions = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Person user = Accounts.user(api);
            Money.fund(api, admin, user.id(), "WALLET", 10_000);
            String id = endedSession(user, expert);
            assertEquals(204, api.post("/sessions/" + id + "/review", user.token(), Map.of("rating", i, "comment", "review " + i)).status());
            sessions.add(id);
        }
        JsonNode first = api.get("/experts/" + expert.id() + "/reviews?size=2", null).json();
        assertEquals(3, first.get("total").asInt());
        assertEquals(2, first.get("items").size());
        assertEquals(sessions.get(2), first.get("items").get(0).get("sessionId").asText());
        assertEquals(3, first.get("items").get(0).get("rating").asInt());
        assertEquals("review 3", first.get("items").get(0).get("comment").asText());
        assertEquals(sessions.get(1), first.get("items").get(1).get("sessionId").asText());
        assertEquals(true, first.get("items").get(0).hasNonNull("createdAt"));
        JsonNode second = api.get("/experts/" + expert.id() + "/reviews?size=2&page=1", null).json();
        assertEquals(1, second.get("items").size());
        assertEquals(sessions.get(0), second.get("items").get(0).get("sessionId").asText());
    }

    @Test
    void reviewsOfAnUnknownOrUnapprovedExpertAreNotFound() {
        assertProblem(api.get("/experts/" + UUID.randomUUID() + "/reviews", null), 404, "not-found");
        assertProblem(api.get("/experts/" + Accounts.expertApplicant(api).id() + "/reviews", null), 404, "not-found");
        assertProblem(api.get("/experts/not-a-uuid/reviews", null), 400, null);
    }

    @Test
    void eachRefundIsOneWalletLineOfTheAmountGivenBackPartialThenFull() {
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 20_000);
        String id = endedSession(user, expert);
        long charged = Live.session(api, user.token(), id).get("amountCharged").asLong();
        assertEquals(200, Money.refund(api, admin, id, Map.of("amount", 333, "reason", "poor line")).status());
        assertEquals(200, Money.refund(api, admin, id, Map.of("reason", "make it whole")).status());

        JsonNode refunds = api.get("/wallet/transactions?type=REFUND", user.token()).json();
        assertEquals(2, refunds.get("total").asInt(), refunds::toString);
        JsonNode newest = refunds.get("items").get(0);
        JsonNode oldest = refunds.get("items").get(1);
        assertEquals(charged - 333, newest.get("amount").asLong());
        assertEquals(333, oldest.get("amount").asLong());
        assertEquals("CREDIT", newest.get("direction").asText());
        assertEquals(20_000, newest.get("balanceAfter").asLong(), "the wallet is back where it was before the session");
        assertEquals(20_000, Money.walletBalance(api, user.token()));
        assertEquals(0, Db.count("select balance from ledger_account where owner_id = ?::uuid and kind = 'EARNINGS_PENDING'", expert.id()));
    }

    @Test
    void aRefundNeedsAnIdempotencyKeyAndARepeatWithTheSameKeyReplaysWhileAnotherBodyIsRefused() {
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 20_000);
        String id = endedSession(user, expert);
        String path = "/admin/sessions/" + id + "/refund";
        assertFieldError(assertProblem(Money.postIdempotent(api, path, admin, null, Map.of("amount", 100, "reason", "x")), 400, "validation"),
                "Idempotency-Key");

        String key = Money.key();
        Api.Resp first = Money.postIdempotent(api, path, admin, key, Map.of("amount", 100, "reason", "late start"));
        assertEquals(200, first.status(), first::toString);
        Api.Resp replay = Money.postIdempotent(api, path, admin, key, Map.of("amount", 100, "reason", "late start"));
        assertEquals(first.body(), replay.body());
        assertProblem(Money.postIdempotent(api, path, admin, key, Map.of("amount", 200, "reason", "late start")), 422, "idempotency-key-reused");
        assertEquals(100, Live.session(api, admin, id).get("amountRefunded").asLong());
        assertEquals(1, api.get("/wallet/transactions?type=REFUND", user.token()).json().get("total").asInt());
    }

    @Test
    void concurrentRepeatsOfOneRefundRefundOnce() throws Exception {
        Person expert = Live.onlineExpert(api, admin, 1_000);
        Person user = Accounts.user(api);
        Money.fund(api, admin, user.id(), "WALLET", 20_000);
        String id = endedSession(user, expert);
        String key = Money.key();
        List<Api.Resp> responses = Concurrently.run(10, () -> Money.postIdempotent(api, "/admin/sessions/" + id + "/refund", admin, key,
                Map.of("amount", 250, "reason", "dropped call")));
        for (Api.Resp r : responses) {
            assertEquals(200, r.status(), r::toString);
            assertEquals(250, r.json().get("amountRefunded").asLong());
        }
        assertEquals(250, Live.session(api, admin, id).get("amountRefunded").asLong());
        assertEquals(1, api.get("/wallet/transactions?type=REFUND", user.token()).json().get("total").asInt());
    }
}
