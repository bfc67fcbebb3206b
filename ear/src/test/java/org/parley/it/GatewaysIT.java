package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Concurrently;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.Money;
import org.parley.it.support.Razorpay;
import org.parley.it.support.SystemTest;
import org.parley.it.support.TestEnvironment;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/**
 * Two gateways over HTTP against the deployed EAR, WireMock playing Razorpay and Cashfree: routing by fee and by choice,
 * failover each way and both down, Cashfree's confirmation by asking and its signed, timed webhooks, and refunds to the
 * source through each gateway — processed, pending then completed, refused, and found by the janitor — each exactly once.
 */
class GatewaysIT extends SystemTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private String admin;

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
    }

    private static WireMockServer cashfree() {
        return TestEnvironment.providers();
    }

    private static String rupees(long paise) {
        return java.math.BigDecimal.valueOf(paise, 2).toPlainString();
    }

    /** Cashfree creates orders of {@code amount}, answering the order id Parley chose and a checkout session. */
    private static void cashfreeOrders(long amount) {
        cashfree().stubFor(post(urlEqualTo("/pg/orders")).withRequestBody(containing("\"order_amount\":" + rupees(amount) + ","))
                .withHeader("x-client-id", equalTo("it-cf-client")).withHeader("x-client-secret", equalTo("it-cf-secret"))
                .withHeader("x-api-version", equalTo("2023-08-01"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"cf_order_id\":\"{{randomValue length=10 type='NUMERIC'}}\",\"order_id\":\"{{jsonPath request.body '$.order_id'}}\","
                                + "\"payment_session_id\":\"session_{{jsonPath request.body '$.order_id'}}\",\"order_status\":\"ACTIVE\"}")
                        .withTransformers("response-template")));
    }

    private static void cashfreeOrdersFail(long amount) {
        cashfree().stubFor(post(urlEqualTo("/pg/orders")).withRequestBody(containing("\"order_amount\":" + rupees(amount) + ","))
                .willReturn(aResponse().withStatus(503)));
    }

    private static void cashfreePayments(String orderId, String json) {
        cashfree().stubFor(get(urlEqualTo("/pg/orders/" + orderId + "/payments")).willReturn(okJson(json)));
    }

    private Api.Resp deposit(Person p, long amount, String gateway) {
        Map<String, Object> body = new HashMap<>(Map.of("amount", amount));
        if (gateway != null) {
            body.put("gateway", gateway);
        }
        return Money.postIdempotent(api, "/wallet/deposits", p.token(), Money.key(), body);
    }

    private static Api.Resp cashfreeWebhook(Api api, String body, long timestampMillis, String secret) {
        String ts = Long.toString(timestampMillis);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = Base64.getEncoder().encodeToString(mac.doFinal((ts + body).getBytes(StandardCharsets.UTF_8)));
            return api.sendWithHeaders("POST", "/payments/webhooks/cashfree", body, "application/json",
                    "x-webhook-signature", signature, "x-webhook-timestamp", ts);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String paymentSuccess(String orderId, String paymentId, long paise) {
        return "{\"data\":{\"order\":{\"order_id\":\"" + orderId + "\",\"order_amount\":" + rupees(paise) + ",\"order_currency\":\"INR\"},"
                + "\"payment\":{\"cf_payment_id\":\"" + paymentId + "\",\"payment_status\":\"SUCCESS\",\"payment_amount\":" + rupees(paise)
                + ",\"payment_currency\":\"INR\"}},\"event_time\":\"2026-12-02T10:00:00+05:30\",\"type\":\"PAYMENT_SUCCESS_WEBHOOK\"}";
    }

    /** A Cashfree deposit of {@code amount}, paid through its webhook: the deposit's view. */
    private JsonNode paidCashfreeDeposit(Person p, long amount) {
        cashfreeOrders(amount);
        JsonNode d = deposit(p, amount, "cashfree").json();
        assertEquals(200, cashfreeWebhook(api, paymentSuccess(d.get("gatewayOrderId").asText(), "cfp_" + UUID.randomUUID(), amount),
                System.currentTimeMillis(), "it-cf-secret").status());
        return api.get("/wallet/deposits/" + d.get("id").asText(), p.token()).json();
    }

    @Test
    void aDepositGoesToTheCheaperGatewayForItsAmountOrToTheOneTheClientNames() {
        Person p = Accounts.user(api);
        Razorpay.nextOrder(59_999);
        JsonNode below = deposit(p, 59_999, null).json();
        assertEquals("razorpay", below.get("gateway").asText(), "₹599.99: Razorpay's 2 % is cheaper than 1.5 % + ₹3");
        assertEquals(Razorpay.KEY_ID, below.get("keyId").asText());
        assertFalse(below.has("paymentSessionId"));

        cashfreeOrders(60_000);
        JsonNode from600 = deposit(p, 60_000, null).json();
        assertEquals("cashfree", from600.get("gateway").asText(), "from ₹600 Cashfree");
        assertEquals("dep_" + from600.get("id").asText().replace("-", ""), from600.get("gatewayOrderId").asText());
        assertEquals("session_" + from600.get("gatewayOrderId").asText(), from600.get("paymentSessionId").asText());
        assertFalse(from600.has("keyId"));
        LoggedRequest order = cashfree().findAll(postRequestedFor(urlEqualTo("/pg/orders"))
                .withRequestBody(matchingJsonPath("$.order_id", equalTo(from600.get("gatewayOrderId").asText())))).get(0);
        assertTrue(order.getBodyAsString().contains("\"order_amount\":600.00"), order.getBodyAsString());

        Razorpay.nextOrder(100_000);
        assertEquals("razorpay", deposit(p, 100_000, "razorpay").json().get("gateway").asText());
        cashfreeOrders(10_000);
        assertEquals("cashfree", deposit(p, 10_000, "cashfree").json().get("gateway").asText());
        assertFieldError(assertProblem(deposit(p, 10_000, "paypal"), 400, "validation"), "gateway");

        assertEquals(200, api.patch("/admin/config", admin, Map.of("cashfreeFeeFixed", 100_000)).status());
        try {
            Razorpay.nextOrder(60_001);
            assertEquals("razorpay", deposit(p, 60_001, null).json().get("gateway").asText(), "fees are runtime settings");
        } finally {
            assertEquals(200, api.patch("/admin/config", admin, Map.of("cashfreeFeeFixed", 300)).status());
        }
    }

    @Test
    void whenTheCheaperGatewayCannotCreateTheOrderTheOtherTakesItAndWithBothDownNothingIsCreated() {
        Person p = Accounts.user(api);
        cashfreeOrdersFail(70_123);
        String razorpayOrder = Razorpay.nextOrder(70_123);
        JsonNode toRazorpay = deposit(p, 70_123, null).json();
        assertEquals("razorpay", toRazorpay.get("gateway").asText());
        assertEquals(razorpayOrder, toRazorpay.get("gatewayOrderId").asText());

        Razorpay.ordersFail(20_123);
        cashfreeOrders(20_123);
        assertEquals("cashfree", deposit(p, 20_123, null).json().get("gateway").asText());
        assertEquals(2, Db.count("select count(*) from audit_entry where actor_id = ?::uuid and action = 'DEPOSIT_GATEWAY_FAILOVER'", p.id()));

        Razorpay.ordersFail(80_123);
        cashfreeOrdersFail(80_123);
        JsonNode down = assertProblem(deposit(p, 80_123, null), 503, "gateway-unavailable");
        assertTrue(down.get("detail").asText().contains("nothing was charged"));
        cashfreeOrdersFail(30_123);
        assertProblem(deposit(p, 30_123, "cashfree"), 503, "gateway-unavailable");
        assertEquals(2, Db.count("select count(*) from deposit where account_id = ?::uuid", p.id()), "only the two that went through");
        assertEquals(0, Money.walletBalance(api, p.token()));
    }

    @Test
    void aCashfreeDepositIsConfirmedByAskingTheGatewayAndItsWebhookCreditsOnceWhateverArrivesHowOften() throws Exception {
        Person p = Accounts.user(api);
        cashfreeOrders(65_000);
        JsonNode d = deposit(p, 65_000, null).json();
        String orderId = d.get("gatewayOrderId").asText();
        cashfreePayments(orderId, "[]");
        assertProblem(api.post("/wallet/deposits/" + d.get("id").asText() + "/confirm", p.token(), null), 422, "payment-not-completed");
        cashfreePayments(orderId, "[{\"cf_payment_id\":\"cfp_1\",\"payment_status\":\"SUCCESS\",\"payment_amount\":650.00,\"payment_currency\":\"INR\"}]");
        Api.Resp confirmed = api.post("/wallet/deposits/" + d.get("id").asText() + "/confirm", p.token(), null);
        assertEquals(200, confirmed.status(), confirmed::toString);
        assertEquals("PAID", confirmed.json().get("status").asText());
        assertEquals(65_000, Money.walletBalance(api, p.token()));
        assertEquals(200, cashfreeWebhook(api, paymentSuccess(orderId, "cfp_1", 65_000), System.currentTimeMillis(), "it-cf-secret").status());
        assertEquals(65_000, Money.walletBalance(api, p.token()), "the webhook after the confirmation credits nothing more");

        cashfreeOrders(66_000);
        String second = deposit(p, 66_000, null).json().get("gatewayOrderId").asText();
        String body = paymentSuccess(second, "cfp_2", 66_000);
        long now = System.currentTimeMillis();
        assertProblem(cashfreeWebhook(api, body, now, "not-the-secret"), 401, "unauthenticated");
        assertProblem(cashfreeWebhook(api, body, now - Duration.ofMinutes(6).toMillis(), "it-cf-secret"), 401, "unauthenticated");
        assertEquals(65_000, Money.walletBalance(api, p.token()));
        List<Api.Resp> three = Concurrently.run(3, () -> cashfreeWebhook(new Api(), body, now, "it-cf-secret"));
        assertTrue(three.stream().allMatch(r -> r.status() == 200), three::toString);
        assertEquals(1, three.stream().filter(r -> r.json().get("outcome").asText().equals("applied")).count(), three::toString);
        assertEquals(131_000, Money.walletBalance(api, p.token()), "credited once");

        cashfreeOrders(67_000);
        JsonNode third = deposit(p, 67_000, null).json();
        assertEquals(200, cashfreeWebhook(api, paymentSuccess(third.get("gatewayOrderId").asText(), "cfp_3", 66_900), System.currentTimeMillis(),
                "it-cf-secret").status());
        assertEquals("CREATED", api.get("/wallet/deposits/" + third.get("id").asText(), p.token()).json().get("status").asText(), "wrong amount");
        assertEquals(1, Db.count("select count(*) from audit_entry where entity_id = ? and action = 'DEPOSIT_AMOUNT_MISMATCH'", third.get("id").asText()));
        assertEquals(131_000, Money.walletBalance(api, p.token()));
    }

    private Api.Resp refund(String depositId, String key, Map<String, Object> body) {
        return Money.postIdempotent(api, "/admin/deposits/" + depositId + "/refund", admin, key, body);
    }

    private JsonNode awaitRefund(String id, String status) {
        return Eventually.until(WAIT, () -> api.get("/admin/refunds/" + id, admin).json(), r -> status.equals(r.get("status").asText()),
                "refund " + id + " " + status);
    }

    @Test
    void aRazorpayRefundDebitsTheWalletAtOnceCompletesOnceByAnswerOrByConcurrentWebhooksAndAFailedOneComesBack() throws Exception {
        Person p = Accounts.user(api);
        JsonNode paid = Money.paidDeposit(api, p, 30_000, null);
        String paymentId = Db.string("select gateway_payment_id from deposit where id = ?::uuid", paid.get("id").asText());
        Razorpay.server().stubFor(get(urlEqualTo("/v1/payments/" + paymentId + "/refunds")).willReturn(okJson("{\"items\":[]}")));
        Razorpay.server().stubFor(post(urlEqualTo("/v1/payments/" + paymentId + "/refund"))
                .withRequestBody(matchingJsonPath("$.amount", equalTo("10000")))
                .willReturn(okJson("{\"id\":\"rfnd_" + paymentId + "\",\"entity\":\"refund\",\"status\":\"processed\"}")));
        String key = Money.key();
        Map<String, Object> body = Map.of("amount", 10_000, "reason", "customer asked");
        Api.Resp asked = refund(paid.get("id").asText(), key, body);
        assertEquals(202, asked.status(), asked::toString);
        assertEquals("PENDING", asked.json().get("status").asText());
        assertEquals(10_000, asked.json().get("amount").asLong());
        JsonNode done = awaitRefund(asked.json().get("id").asText(), "PROCESSED");
        assertEquals("rfnd_" + paymentId, done.get("gatewayRefundId").asText());
        assertEquals("razorpay", done.get("gateway").asText());
        assertEquals(20_000, Money.walletBalance(api, p.token()));
        Api.Resp again = refund(paid.get("id").asText(), key, body);
        assertEquals(asked.json(), again.json(), "the same key answers the first result");
        assertEquals(1, Db.count("select count(*) from deposit_refund where deposit_id = ?::uuid", paid.get("id").asText()));
        assertEquals(10_000, Db.count("select coalesce(sum(amount), 0) from ledger_transfer where kind = 'SOURCE_REFUND' and reference = ?",
                "refund:" + done.get("id").asText() + ":paid"), "paid out to the outside once");
        assertProblem(refund(paid.get("id").asText(), Money.key(), Map.of("amount", 20_001, "reason", "too much")), 422, "refund-out-of-range");

        Razorpay.server().stubFor(post(urlEqualTo("/v1/payments/" + paymentId + "/refund")).withRequestBody(matchingJsonPath("$.amount", equalTo("5000")))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":{\"description\":\"refund window over\"}}")));
        String failed = refund(paid.get("id").asText(), Money.key(), Map.of("amount", 5_000, "reason", "again")).json().get("id").asText();
        awaitRefund(failed, "FAILED");
        assertEquals(20_000, Money.walletBalance(api, p.token()), "back in the wallet");

        Razorpay.server().stubFor(post(urlEqualTo("/v1/payments/" + paymentId + "/refund")).withRequestBody(matchingJsonPath("$.amount", equalTo("3000")))
                .willReturn(okJson("{\"id\":\"rfnd_pending_" + paymentId + "\",\"entity\":\"refund\",\"status\":\"pending\"}")));
        String pending = refund(paid.get("id").asText(), Money.key(), Map.of("amount", 3_000, "reason", "slow bank")).json().get("id").asText();
        Eventually.until(WAIT, () -> api.get("/admin/refunds/" + pending, admin).json(), r -> r.hasNonNull("gatewayRefundId"), "the pending answer");
        String event = "{\"entity\":\"event\",\"event\":\"refund.processed\",\"payload\":{\"refund\":{\"entity\":{\"id\":\"rfnd_pending_"
                + paymentId + "\",\"payment_id\":\"" + paymentId + "\",\"amount\":3000,\"receipt\":\"" + pending + "\",\"status\":\"processed\"}}}}";
        List<Api.Resp> deliveries = Concurrently.run(3, () -> Razorpay.deliver(new Api(), Razorpay.newEventId(), event, Razorpay.webhookSignature(event)));
        assertTrue(deliveries.stream().allMatch(r -> r.status() == 200), deliveries::toString);
        assertEquals("PROCESSED", api.get("/admin/refunds/" + pending, admin).json().get("status").asText());
        assertEquals(1, Db.count("select count(*) from ledger_transfer where reference = ?", "refund:" + pending + ":paid"),
                "three deliveries (three event ids), paid out once");
        assertEquals(17_000, Money.walletBalance(api, p.token()));

        Money.fund(api, admin, p.id(), "WALLET", -17_000);
        assertProblem(refund(paid.get("id").asText(), Money.key(), Map.of("amount", 1_000, "reason", "spent already")), 422, "insufficient-funds");
        assertEquals(3, Db.count("select count(*) from deposit_refund where deposit_id = ?::uuid", paid.get("id").asText()));
        Person other = Accounts.user(api);
        assertProblem(api.post("/admin/deposits/" + paid.get("id").asText() + "/refund", other.token(), Map.of("reason", "x")), 403, "forbidden");
    }

    @Test
    void aCashfreeRefundAnsweredPendingIsCompletedByItsWebhookOnceAndARefundWhoseAnswerWasLostIsFoundByTheJanitor() {
        Person p = Accounts.user(api);
        JsonNode paid = paidCashfreeDeposit(p, 61_000);
        assertEquals("PAID", paid.get("status").asText());
        String orderId = paid.get("gatewayOrderId").asText();
        cashfree().stubFor(post(urlEqualTo("/pg/orders/" + orderId + "/refunds"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"cf_refund_id\":\"cfr_{{jsonPath request.body '$.refund_id'}}\",\"refund_id\":\"{{jsonPath request.body '$.refund_id'}}\","
                                + "\"refund_amount\":{{jsonPath request.body '$.refund_amount'}},\"refund_status\":\"PENDING\"}")
                        .withTransformers("response-template")));
        String id = refund(paid.get("id").asText(), Money.key(), Map.of("reason", "all of it")).json().get("id").asText();
        JsonNode pending = Eventually.until(WAIT, () -> api.get("/admin/refunds/" + id, admin).json(), r -> r.hasNonNull("gatewayRefundId"),
                "the gateway's answer");
        assertEquals("PENDING", pending.get("status").asText());
        assertEquals(61_000, pending.get("amount").asLong(), "all of it by default");
        assertEquals(0, Money.walletBalance(api, p.token()));
        LoggedRequest asked = cashfree().findAll(postRequestedFor(urlEqualTo("/pg/orders/" + orderId + "/refunds"))).get(0);
        assertTrue(asked.getBodyAsString().contains("\"refund_id\":\"" + id + "\""), "named by Parley's id");
        assertTrue(asked.getBodyAsString().contains("\"refund_amount\":610.00"), asked.getBodyAsString());

        String webhook = "{\"data\":{\"refund\":{\"cf_refund_id\":\"cfr_" + id + "\",\"refund_id\":\"" + id + "\",\"order_id\":\"" + orderId
                + "\",\"refund_amount\":610.00,\"refund_status\":\"SUCCESS\"}},\"event_time\":\"2026-12-02T10:00:00+05:30\",\"type\":\"REFUND_STATUS_WEBHOOK\"}";
        assertEquals("applied", cashfreeWebhook(api, webhook, System.currentTimeMillis(), "it-cf-secret").json().get("outcome").asText());
        assertEquals("PROCESSED", api.get("/admin/refunds/" + id, admin).json().get("status").asText());
        assertEquals("duplicate", cashfreeWebhook(api, webhook, System.currentTimeMillis(), "it-cf-secret").json().get("outcome").asText());
        assertEquals(1, Db.count("select count(*) from ledger_transfer where reference = ?", "refund:" + id + ":paid"));

        JsonNode refused = paidCashfreeDeposit(p, 62_000);
        cashfree().stubFor(post(urlEqualTo("/pg/orders/" + refused.get("gatewayOrderId").asText() + "/refunds"))
                .willReturn(aResponse().withStatus(400).withBody("{\"message\":\"refund amount is more than the captured amount\",\"code\":\"refund_amount_invalid\"}")));
        assertEquals(62_000, Money.walletBalance(api, p.token()));
        String failed = refund(refused.get("id").asText(), Money.key(), Map.of("amount", 2_000, "reason", "refused")).json().get("id").asText();
        awaitRefund(failed, "FAILED");
        assertEquals(62_000, Money.walletBalance(api, p.token()), "a refused refund returns to the wallet");
        assertEquals(1, Db.count("select count(*) from ledger_transfer where kind = 'SOURCE_REFUND_RETURNED' and reference = ?", "refund:" + failed));

        Person q = Accounts.user(api);
        JsonNode lost = Money.paidDeposit(api, q, 12_000, null);
        String paymentId = Db.string("select gateway_payment_id from deposit where id = ?::uuid", lost.get("id").asText());
        Razorpay.server().stubFor(get(urlEqualTo("/v1/payments/" + paymentId + "/refunds")).willReturn(okJson("{\"items\":[]}")));
        Razorpay.server().stubFor(post(urlEqualTo("/v1/payments/" + paymentId + "/refund")).willReturn(aResponse().withStatus(502)));
        String unanswered = refund(lost.get("id").asText(), Money.key(), Map.of("reason", "gateway hiccup")).json().get("id").asText();
        Eventually.until(WAIT, () -> Razorpay.server().findAll(postRequestedFor(urlEqualTo("/v1/payments/" + paymentId + "/refund"))).size(),
                n -> n >= 3, "the first ask and its retries");
        assertEquals("PENDING", api.get("/admin/refunds/" + unanswered, admin).json().get("status").asText());
        assertNull(api.get("/admin/refunds/" + unanswered, admin).json().get("gatewayRefundId").textValue());
        Razorpay.server().stubFor(get(urlEqualTo("/v1/payments/" + paymentId + "/refunds")).willReturn(okJson("{\"items\":[{\"id\":\"rfnd_late\","
                + "\"receipt\":\"" + unanswered + "\",\"status\":\"processed\"}]}")));
        int posts = Razorpay.server().findAll(postRequestedFor(urlEqualTo("/v1/payments/" + paymentId + "/refund"))).size();
        assertEquals(200, api.post("/admin/payments/reconcile", admin, null).status());
        JsonNode found = awaitRefund(unanswered, "PROCESSED");
        assertEquals("rfnd_late", found.get("gatewayRefundId").asText());
        assertEquals(posts, Razorpay.server().findAll(postRequestedFor(urlEqualTo("/v1/payments/" + paymentId + "/refund"))).size(),
                "found, not asked again");
        assertEquals(1, api.get("/admin/refunds?depositId=" + lost.get("id").asText() + "&status=PROCESSED", admin).json().get("total").asInt());
        assertProblem(api.get("/admin/refunds?status=LOST", admin), 400, "validation");
        assertEquals(0, Razorpay.server().findAll(postRequestedFor(urlPathMatching("/v1/payments/.*/refund"))
                .withRequestBody(matchingJsonPath("$.amount", equalTo("0")))).size());
    }
}
