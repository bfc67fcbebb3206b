package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Concurrently;
import org.parley.it.support.Db;
import org.parley.it.support.Money;
import org.parley.it.support.Razorpay;
import org.parley.it.support.SystemTest;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parley.it.support.Problems.assertProblem;

/** Expert payouts: limits, one active request, approval through the gateway, webhooks, failures and rejections. */
class PayoutsIT extends SystemTest {

    private Person expertWithAvailable(String admin, long available) {
        Person expert = Accounts.expertApplicant(api);
        Accounts.approve(api, admin, expert.id());
        Money.fund(api, admin, expert.id(), "EARNINGS_AVAILABLE", available);
        return expert;
    }

    private Api.Resp request(Person expert, long amount) {
        return Money.postIdempotent(api, "/payouts", expert.token(), Money.key(), Map.of("amount", amount));
    }

    private JsonNode summary(Person expert) {
        Api.Resp r = api.get("/earnings/summary", expert.token());
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private Api.Resp payoutWebhook(String type, String gatewayId, String payoutId) {
        String body = Razorpay.payoutEvent(type, gatewayId, payoutId);
        return Razorpay.deliver(api, Razorpay.newEventId(), body, Razorpay.webhookSignature(body));
    }

    @Test
    void requestingMovesAvailableIntoPayoutAndASecondActiveRequestIs409() {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 200_000);
        Api.Resp r = request(expert, 60_000);
        assertEquals(201, r.status(), r::toString);
        assertEquals("REQUESTED", r.json().get("status").asText());
        JsonNode s = summary(expert);
        assertEquals(140_000, s.get("available").asLong());
        assertEquals(60_000, s.get("inPayout").asLong());
        assertEquals(200_000, s.get("lifetimeEarnings").asLong());
        assertEquals(200_000, s.get("today").asLong());
        assertProblem(request(expert, 50_000), 409, "payout-active");
        assertEquals(140_000, summary(expert).get("available").asLong());
    }

    @Test
    void limitsAndAvailableEarningsBoundARequest() {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 80_000);
        assertProblem(request(expert, 49_999), 422, "amount-out-of-range");
        assertProblem(request(expert, 5_000_001), 422, "amount-out-of-range");
        assertProblem(request(expert, 80_001), 422, "insufficient-funds");
        assertEquals(0, Db.count("select count(*) from payout where expert_id = ?::uuid", expert.id()));
        assertEquals(80_000, summary(expert).get("available").asLong());
        assertEquals(201, request(expert, 80_000).status());
    }

    @Test
    void concurrentRequestsLeaveExactlyOneActive() throws Exception {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 1_000_000);
        List<Integer> statuses = Concurrently.run(10, () -> request(expert, 50_000).status());
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses::toString);
        assertEquals(9, statuses.stream().filter(s -> s == 409).count(), statuses::toString);
        assertEquals(950_000, summary(expert).get("available").asLong());
    }

    @Test
    void approvalSendsToTheGatewayAndTheProcessedWebhookPaysOnce() {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 130_000);
        String payoutId = request(expert, 70_000).json().get("id").asText();
        String gatewayId = Razorpay.payoutAnswers(payoutId, "processing");
        Api.Resp approved = api.post("/admin/payouts/" + payoutId + "/approve", admin, null);
        assertEquals(200, approved.status(), approved::toString);
        assertEquals("PROCESSING", approved.json().get("status").asText());
        assertEquals(gatewayId, approved.json().get("gatewayPayoutId").asText());
        Razorpay.server().verify(postRequestedFor(urlEqualTo("/v1/payouts"))
                .withRequestBody(matchingJsonPath("$.amount", equalTo("70000"))));

        assertEquals(200, payoutWebhook("payout.processed", gatewayId, payoutId).status());
        assertEquals(200, payoutWebhook("payout.processed", gatewayId, payoutId).status());
        JsonNode s = summary(expert);
        assertEquals(70_000, s.get("withdrawn").asLong());
        assertEquals(0, s.get("inPayout").asLong());
        assertEquals(60_000, s.get("available").asLong());
        assertEquals(130_000, s.get("lifetimeEarnings").asLong());
        assertEquals("PAID", api.get("/payouts/" + payoutId, expert.token()).json().get("status").asText());
        assertEquals(1, Db.count("select count(*) from ledger_transfer where kind = 'PAYOUT_PAID' and reference = ?", payoutId));
        assertEquals(201, request(expert, 60_000).status(), "a paid payout is no longer active");
    }

    @Test
    void aFailedPayoutReturnsTheMoneyToAvailable() {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 90_000);
        String payoutId = request(expert, 90_000).json().get("id").asText();
        String gatewayId = Razorpay.payoutAnswers(payoutId, "processing");
        api.post("/admin/payouts/" + payoutId + "/approve", admin, null);
        assertEquals(200, payoutWebhook("payout.failed", gatewayId, payoutId).status());
        assertEquals(200, payoutWebhook("payout.failed", gatewayId, payoutId).status());
        assertEquals("FAILED", api.get("/payouts/" + payoutId, expert.token()).json().get("status").asText());
        assertEquals(90_000, summary(expert).get("available").asLong());
        assertEquals(1, Db.count("select count(*) from ledger_transfer where kind = 'PAYOUT_RETURNED' and reference = ?", payoutId));
    }

    @Test
    void aGatewayAnsweringFailedAtOnceFailsThePayout() {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 55_000);
        String payoutId = request(expert, 55_000).json().get("id").asText();
        Razorpay.payoutAnswers(payoutId, "failed");
        assertEquals("FAILED", api.post("/admin/payouts/" + payoutId + "/approve", admin, null).json().get("status").asText());
        assertEquals(55_000, summary(expert).get("available").asLong());
    }

    @Test
    void aReversalAfterPaymentReturnsTheMoney() {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 65_000);
        String payoutId = request(expert, 65_000).json().get("id").asText();
        String gatewayId = Razorpay.payoutAnswers(payoutId, "processed");
        assertEquals("PAID", api.post("/admin/payouts/" + payoutId + "/approve", admin, null).json().get("status").asText());
        assertEquals(200, payoutWebhook("payout.reversed", gatewayId, payoutId).status());
        assertEquals("REVERSED", api.get("/payouts/" + payoutId, expert.token()).json().get("status").asText());
        JsonNode s = summary(expert);
        assertEquals(65_000, s.get("available").asLong());
        assertEquals(0, s.get("withdrawn").asLong());
    }

    @Test
    void rejectionNeedsAReasonReturnsTheMoneyAndIsFinal() {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 75_000);
        String payoutId = request(expert, 75_000).json().get("id").asText();
        assertProblem(api.post("/admin/payouts/" + payoutId + "/reject", admin, Map.of()), 400, "validation");
        Api.Resp rejected = api.post("/admin/payouts/" + payoutId + "/reject", admin, Map.of("reason", "bank details missing"));
        assertEquals(200, rejected.status(), rejected::toString);
        assertEquals("REJECTED", rejected.json().get("status").asText());
        assertEquals(75_000, summary(expert).get("available").asLong());
        assertProblem(api.post("/admin/payouts/" + payoutId + "/approve", admin, null), 409, "illegal-transition");
        assertProblem(api.post("/admin/payouts/" + payoutId + "/reject", admin, Map.of("reason", "again")), 409, "illegal-transition");
        assertEquals(1, Db.count("select count(*) from audit_entry where action = 'PAYOUT_REJECTED' and entity_id = ?", payoutId));
        assertEquals(1, api.get("/admin/payouts?status=REJECTED&size=100", admin).json().get("items").findValuesAsText("id")
                .stream().filter(payoutId::equals).count());
    }

    @Test
    void payoutsBelongToTheirExpertAndToExpertsOnly() {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 60_000);
        Person other = expertWithAvailable(admin, 60_000);
        Person user = Accounts.user(api);
        String payoutId = request(expert, 60_000).json().get("id").asText();
        assertProblem(api.get("/payouts/" + payoutId, other.token()), 404, "not-found");
        assertEquals(0, api.get("/payouts", other.token()).json().get("total").asInt());
        assertProblem(request(user, 60_000), 403, "forbidden");
        assertProblem(api.get("/earnings/summary", user.token()), 403, "forbidden");
        assertProblem(api.post("/admin/payouts/" + payoutId + "/approve", expert.token(), null), 403, "forbidden");
        assertEquals(1, api.get("/payouts", expert.token()).json().get("total").asInt());
    }

    @Test
    void theJanitorResendsAProcessingPayoutWithTheSameKey() {
        String admin = Accounts.admin(api);
        Person expert = expertWithAvailable(admin, 52_000);
        String payoutId = request(expert, 52_000).json().get("id").asText();
        Razorpay.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/v1/payouts"))
                .withHeader("X-Payout-Idempotency", equalTo(payoutId))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)));
        assertEquals("PROCESSING", api.post("/admin/payouts/" + payoutId + "/approve", admin, null).json().get("status").asText());
        Razorpay.payoutAnswers(payoutId, "processed");
        assertEquals(200, api.post("/admin/payments/reconcile", admin, null).status());
        assertEquals("PAID", api.get("/payouts/" + payoutId, expert.token()).json().get("status").asText());
        assertEquals(52_000, summary(expert).get("withdrawn").asLong());
    }
}
