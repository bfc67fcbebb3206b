package org.parley.it.support;

import com.github.tomakehurst.wiremock.WireMockServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * The test side of Razorpay: stubs on the WireMock server the deployed Parley talks to, and the signatures the
 * real gateway would put on checkout confirmations and webhooks (with the secrets arquillian.xml configures).
 */
public final class Razorpay {

    public static final String KEY_ID = "rzp_test_it";
    public static final String KEY_SECRET = "it_key_secret";
    public static final String WEBHOOK_SECRET = "it_webhook_secret";

    private Razorpay() {
    }

    public static WireMockServer server() {
        return TestEnvironment.razorpay();
    }

    /** The next order created answers with a fresh order id, which is returned. */
    public static String nextOrder(long amount) {
        String orderId = "order_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        server().stubFor(post(urlEqualTo("/v1/orders"))
                .withBasicAuth(KEY_ID, KEY_SECRET)
                .withRequestBody(matchingJsonPath("$.amount", equalTo(Long.toString(amount))))
                .willReturn(okJson("{\"id\":\"" + orderId + "\",\"entity\":\"order\",\"amount\":" + amount
                        + ",\"currency\":\"INR\",\"status\":\"created\"}")));
        return orderId;
    }

    /** Order creation fails at the gateway (HTTP 500). */
    public static void ordersFail(long amount) {
        server().stubFor(post(urlEqualTo("/v1/orders"))
                .withRequestBody(matchingJsonPath("$.amount", equalTo(Long.toString(amount))))
                .willReturn(aResponse().withStatus(500)));
    }

    /** The gateway reports these payments for an order (the janitor's question). */
    public static void orderPayments(String orderId, String paymentsJson) {
        server().stubFor(get(urlEqualTo("/v1/orders/" + orderId + "/payments")).withBasicAuth(KEY_ID, KEY_SECRET)
                .willReturn(okJson("{\"entity\":\"collection\",\"items\":" + paymentsJson + "}")));
    }

    /** A payout sent with this idempotency key (Parley uses the payout id) answers with {@code status}. */
    public static String payoutAnswers(String payoutId, String status) {
        String gatewayId = "pout_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        server().stubFor(post(urlEqualTo("/v1/payouts")).withBasicAuth(KEY_ID, KEY_SECRET)
                .withHeader("X-Payout-Idempotency", equalTo(payoutId))
                .willReturn(okJson("{\"id\":\"" + gatewayId + "\",\"entity\":\"payout\",\"status\":\"" + status
                        + "\",\"reference_id\":\"" + payoutId + "\"}")));
        return gatewayId;
    }

    public static String paymentSignature(String orderId, String paymentId) {
        return hmac(KEY_SECRET, orderId + "|" + paymentId);
    }

    public static String webhookSignature(String body) {
        return hmac(WEBHOOK_SECRET, body);
    }

    public static String paymentEvent(String type, String orderId, String paymentId, long amount, String currency) {
        return "{\"entity\":\"event\",\"event\":\"" + type + "\",\"payload\":{\"payment\":{\"entity\":{\"id\":\"" + paymentId
                + "\",\"order_id\":\"" + orderId + "\",\"amount\":" + amount + ",\"currency\":\"" + currency
                + "\",\"status\":\"" + (type.endsWith("captured") ? "captured" : "failed") + "\"}}}}";
    }

    public static String payoutEvent(String type, String gatewayPayoutId, String payoutId) {
        return "{\"entity\":\"event\",\"event\":\"" + type + "\",\"payload\":{\"payout\":{\"entity\":{\"id\":\"" + gatewayPayoutId
                + "\",\"reference_id\":\"" + payoutId + "\",\"status\":\"" + type.substring("payout.".length()) + "\"}}}}";
    }

    /** Delivers a webhook as Razorpay would: raw body, its signature, an event id. */
    public static Api.Resp deliver(Api api, String eventId, String body, String signature) {
        return api.sendWithHeaders("POST", "/payments/webhooks/razorpay", body, "application/json",
                signature == null ? new String[]{"X-Razorpay-Event-Id", eventId}
                        : new String[]{"X-Razorpay-Event-Id", eventId, "X-Razorpay-Signature", signature});
    }

    public static String newPaymentId() {
        return "pay_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
    }

    public static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
    }

    private static String hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
