package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
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
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** Wallet deposits through Razorpay (WireMock over real HTTP): created, confirmed, webhooked, credited exactly once. */
class DepositsIT extends SystemTest {

    private record Opened(String id, String orderId) {
    }

    private Opened open(Person p, long amount) {
        String orderId = Razorpay.nextOrder(amount);
        Api.Resp r = Money.postIdempotent(api, "/wallet/deposits", p.token(), Money.key(), Map.of("amount", amount));
        assertEquals(201, r.status(), r::toString);
        return new Opened(r.json().get("id").asText(), orderId);
    }

    private Api.Resp confirm(Person p, Opened d, String paymentId) {
        return api.post("/wallet/deposits/" + d.id() + "/confirm", p.token(),
                Map.of("gatewayPaymentId", paymentId, "signature", Razorpay.paymentSignature(d.orderId(), paymentId)));
    }

    private Api.Resp captured(Opened d, String paymentId, long amount, String eventId) {
        String body = Razorpay.paymentEvent("payment.captured", d.orderId(), paymentId, amount, "INR");
        return Razorpay.deliver(api, eventId, body, Razorpay.webhookSignature(body));
    }

    private long deposits(Opened d) {
        return Db.count("select count(*) from ledger_transfer where kind = 'DEPOSIT' and reference = ?", d.id());
    }

    @Test
    void aDepositSucceedsRightAfterTheGatewayRestartedAndClosedEveryConnectionParleyHad() {
        Person p = Accounts.user(api);
        open(p, 31_000);
        WireMockServer gateway = Razorpay.server();
        gateway.stop();
        gateway.start();
        Opened second = open(p, 32_000);
        assertEquals(200, confirm(p, second, Razorpay.newPaymentId()).status());
        assertEquals(32_000, Money.walletBalance(api, p.token()));
    }

    @Test
    void depositIsCreatedAtTheGatewayConfirmedAndCreditedToTheWallet() {
        Person p = Accounts.user(api);
        String orderId = Razorpay.nextOrder(50_000);
        Api.Resp created = Money.postIdempotent(api, "/wallet/deposits", p.token(), Money.key(), Map.of("amount", 50_000));
        assertEquals(201, created.status(), created::toString);
        JsonNode d = created.json();
        assertEquals("CREATED", d.get("status").asText());
        assertEquals(50_000, d.get("amount").asLong());
        assertEquals("razorpay", d.get("gateway").asText());
        assertEquals(orderId, d.get("gatewayOrderId").asText());
        assertEquals(Razorpay.KEY_ID, d.get("keyId").asText());
        Razorpay.server().verify(postRequestedFor(urlEqualTo("/v1/orders"))
                .withRequestBody(matchingJsonPath("$.receipt", equalTo(d.get("id").asText())))
                .withRequestBody(matchingJsonPath("$.currency", equalTo("INR"))));

        Opened opened = new Opened(d.get("id").asText(), orderId);
        Api.Resp confirmed = confirm(p, opened, Razorpay.newPaymentId());
        assertEquals(200, confirmed.status(), confirmed::toString);
        assertEquals("PAID", confirmed.json().get("status").asText());
        assertEquals(50_000, Money.walletBalance(api, p.token()));

        JsonNode tx = api.get("/wallet/transactions", p.token()).json();
        assertEquals(1, tx.get("total").asInt());
        JsonNode line = tx.get("items").get(0);
        assertEquals("DEPOSIT", line.get("type").asText());
        assertEquals("CREDIT", line.get("direction").asText());
        assertEquals(50_000, line.get("amount").asLong());
        assertEquals(50_000, line.get("balanceAfter").asLong());
        assertEquals(opened.id(), line.get("reference").asText());
        assertEquals(1, api.get("/wallet/transactions?type=DEPOSIT", p.token()).json().get("total").asInt());
        assertEquals(0, api.get("/wallet/transactions?type=REFUND", p.token()).json().get("total").asInt());
    }

    @Test
    void confirmingTwiceOrConfirmingAndWebhookCreditsOnce() {
        Person p = Accounts.user(api);
        Opened d = open(p, 20_000);
        String paymentId = Razorpay.newPaymentId();
        assertEquals(200, confirm(p, d, paymentId).status());
        assertEquals(200, confirm(p, d, paymentId).status());
        assertEquals(200, captured(d, paymentId, 20_000, Razorpay.newEventId()).status());
        assertEquals(20_000, Money.walletBalance(api, p.token()));
        assertEquals(1, deposits(d));
    }

    @Test
    void webhookFirstThenConfirmCreditsOnce() {
        Person p = Accounts.user(api);
        Opened d = open(p, 30_000);
        String paymentId = Razorpay.newPaymentId();
        assertEquals(200, captured(d, paymentId, 30_000, Razorpay.newEventId()).status());
        assertEquals(30_000, Money.walletBalance(api, p.token()));
        Api.Resp confirmed = confirm(p, d, paymentId);
        assertEquals("PAID", confirmed.json().get("status").asText());
        assertEquals(30_000, Money.walletBalance(api, p.token()));
        assertEquals(1, deposits(d));
    }

    @Test
    void theSameWebhookThreeTimesInARowAppliesOnce() {
        Person p = Accounts.user(api);
        Opened d = open(p, 10_000);
        String paymentId = Razorpay.newPaymentId();
        String eventId = Razorpay.newEventId();
        List<String> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Api.Resp r = captured(d, paymentId, 10_000, eventId);
            assertEquals(200, r.status(), r::toString);
            outcomes.add(r.json().get("outcome").asText());
        }
        assertEquals(List.of("applied", "duplicate", "duplicate"), outcomes);
        assertEquals(10_000, Money.walletBalance(api, p.token()));
        assertEquals(1, deposits(d));
    }

    @Test
    void fiveConcurrentDeliveriesOfOneWebhookCreditOnce() throws Exception {
        Person p = Accounts.user(api);
        Opened d = open(p, 15_000);
        String paymentId = Razorpay.newPaymentId();
        String eventId = Razorpay.newEventId();
        List<Integer> statuses = Concurrently.run(5, () -> captured(d, paymentId, 15_000, eventId).status());
        assertEquals(List.of(200, 200, 200, 200, 200), statuses);
        assertEquals(15_000, Money.walletBalance(api, p.token()));
        assertEquals(1, deposits(d));
        assertEquals(1, Db.count("select count(*) from gateway_event where event_id = ?", eventId));
    }

    @Test
    void differentEventsForOnePaymentStillCreditOnce() throws Exception {
        Person p = Accounts.user(api);
        Opened d = open(p, 12_000);
        String paymentId = Razorpay.newPaymentId();
        List<Integer> statuses = Concurrently.run(4, () -> captured(d, paymentId, 12_000, Razorpay.newEventId()).status());
        assertEquals(List.of(200, 200, 200, 200), statuses);
        assertEquals(12_000, Money.walletBalance(api, p.token()));
        assertEquals(1, deposits(d));
    }

    @Test
    void aWrongPaymentSignatureIs422AndCreditsNothing() {
        Person p = Accounts.user(api);
        Opened d = open(p, 25_000);
        Api.Resp r = api.post("/wallet/deposits/" + d.id() + "/confirm", p.token(),
                Map.of("gatewayPaymentId", "pay_x", "signature", Razorpay.paymentSignature("order_other", "pay_x")));
        assertProblem(r, 422, "bad-signature");
        assertEquals(0, Money.walletBalance(api, p.token()));
        assertEquals("CREATED", Db.string("select status from deposit where id = ?::uuid", d.id()));
    }

    @Test
    void unsignedOrBadlySignedWebhooksAre401AndChangeNothing() {
        Person p = Accounts.user(api);
        Opened d = open(p, 18_000);
        String body = Razorpay.paymentEvent("payment.captured", d.orderId(), Razorpay.newPaymentId(), 18_000, "INR");
        String eventId = Razorpay.newEventId();
        assertProblem(Razorpay.deliver(api, eventId, body, null), 401, "unauthenticated");
        assertProblem(Razorpay.deliver(api, eventId, body, Razorpay.webhookSignature(body + " ")), 401, "unauthenticated");
        assertProblem(Razorpay.deliver(api, eventId, body.replace("18000", "1800000"), Razorpay.webhookSignature(body)), 401, null);
        assertEquals(0, Money.walletBalance(api, p.token()));
        assertEquals(0, Db.count("select count(*) from gateway_event where event_id = ?", eventId));
    }

    @Test
    void aCapturedAmountOrCurrencyThatDiffersFromTheOrderCreditsNothingAndIsAudited() {
        Person p = Accounts.user(api);
        Opened d = open(p, 40_000);
        assertEquals(200, captured(d, Razorpay.newPaymentId(), 4_000_000, Razorpay.newEventId()).status());
        String usd = Razorpay.paymentEvent("payment.captured", d.orderId(), Razorpay.newPaymentId(), 40_000, "USD");
        assertEquals(200, Razorpay.deliver(api, Razorpay.newEventId(), usd, Razorpay.webhookSignature(usd)).status());
        assertEquals(0, Money.walletBalance(api, p.token()));
        assertEquals("CREATED", Db.string("select status from deposit where id = ?::uuid", d.id()));
        assertEquals(2, Db.count("select count(*) from audit_entry where action = 'DEPOSIT_AMOUNT_MISMATCH' and entity_id = ?", d.id()));
    }

    @Test
    void aFailedPaymentMarksTheDepositFailed() {
        Person p = Accounts.user(api);
        Opened d = open(p, 11_000);
        String body = Razorpay.paymentEvent("payment.failed", d.orderId(), Razorpay.newPaymentId(), 11_000, "INR");
        assertEquals(200, Razorpay.deliver(api, Razorpay.newEventId(), body, Razorpay.webhookSignature(body)).status());
        assertEquals("FAILED", api.get("/wallet/deposits/" + d.id(), p.token()).json().get("status").asText());
        assertEquals(0, Money.walletBalance(api, p.token()));
    }

    @Test
    void amountsOutsideTheLimitsAre422AndAMissingKeyIs400() {
        Person p = Accounts.user(api);
        assertProblem(Money.postIdempotent(api, "/wallet/deposits", p.token(), Money.key(), Map.of("amount", 99)), 422, "amount-out-of-range");
        assertProblem(Money.postIdempotent(api, "/wallet/deposits", p.token(), Money.key(), Map.of("amount", 1_000_001)), 422, "amount-out-of-range");
        assertFieldError(assertProblem(Money.postIdempotent(api, "/wallet/deposits", p.token(), null, Map.of("amount", 5_000)), 400, "validation"), "Idempotency-Key");
        assertProblem(Money.postIdempotent(api, "/wallet/deposits", p.token(), Money.key(), Map.of("amount", 50.5)), 400, "validation");
        assertEquals(0, Db.count("select count(*) from deposit where account_id = ?::uuid", p.id()));
    }

    @Test
    void aGatewayFailureWhileOpeningIs503AndLeavesNoDeposit() {
        Person p = Accounts.user(api);
        Razorpay.ordersFail(77_700);
        assertProblem(Money.postIdempotent(api, "/wallet/deposits", p.token(), Money.key(), Map.of("amount", 77_700, "gateway", "razorpay")), 503, null);
        assertEquals(0, Db.count("select count(*) from deposit where account_id = ?::uuid", p.id()));
    }

    @Test
    void anotherUsersDepositIs404ToReadAndToConfirm() {
        Person owner = Accounts.user(api);
        Person stranger = Accounts.user(api);
        Opened d = open(owner, 9_000);
        String paymentId = Razorpay.newPaymentId();
        assertProblem(api.get("/wallet/deposits/" + d.id(), stranger.token()), 404, "not-found");
        assertProblem(api.post("/wallet/deposits/" + d.id() + "/confirm", stranger.token(),
                Map.of("gatewayPaymentId", paymentId, "signature", Razorpay.paymentSignature(d.orderId(), paymentId))), 404, "not-found");
        assertEquals(0, Money.walletBalance(api, stranger.token()));
        assertEquals(0, Money.walletBalance(api, owner.token()));
        assertEquals(0, api.get("/wallet/transactions", stranger.token()).json().get("total").asInt());
    }

    @Test
    void theJanitorCreditsADepositWhoseOutcomeWasUnknownOnce() {
        Person p = Accounts.user(api);
        Opened d = open(p, 33_000);
        String paymentId = Razorpay.newPaymentId();
        Razorpay.orderPayments(d.orderId(), "[{\"id\":\"pay_failed1\",\"order_id\":\"" + d.orderId() + "\",\"amount\":33000,"
                + "\"currency\":\"INR\",\"status\":\"failed\"},{\"id\":\"" + paymentId + "\",\"order_id\":\"" + d.orderId()
                + "\",\"amount\":33000,\"currency\":\"INR\",\"status\":\"captured\"}]");
        String admin = Accounts.admin(api);
        assertEquals(200, api.post("/admin/payments/reconcile", admin, null).status());
        assertEquals(200, api.post("/admin/payments/reconcile", admin, null).status());
        assertEquals(33_000, Money.walletBalance(api, p.token()));
        assertEquals(1, deposits(d));
        assertEquals(paymentId, Db.string("select gateway_payment_id from deposit where id = ?::uuid", d.id()));
    }
}
