package org.parley.it.support;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Money set-up and reads through the public API. */
public final class Money {

    private Money() {
    }

    public static String key() {
        return UUID.randomUUID().toString();
    }

    /** Admin credits (or debits, if negative) an account's WALLET or EARNINGS_AVAILABLE. */
    public static Api.Resp adjust(Api api, String adminToken, String accountId, String account, long amount) {
        return api.sendWithHeaders("POST", "/admin/wallets/" + accountId + "/adjustments",
                Map.of("amount", amount, "reason", "test funding", "account", account), "application/json",
                new String[]{"Authorization", "Bearer " + adminToken, "Idempotency-Key", key()});
    }

    public static void fund(Api api, String adminToken, String accountId, String account, long amount) {
        Api.Resp r = adjust(api, adminToken, accountId, account, amount);
        assertEquals(201, r.status(), r::toString);
    }

    public static long walletBalance(Api api, String token) {
        Api.Resp r = api.get("/wallet", token);
        assertEquals(200, r.status(), r::toString);
        return r.json().get("balance").asLong();
    }

    /** POST with an Idempotency-Key. */
    public static Api.Resp postIdempotent(Api api, String path, String token, String key, Object body) {
        return api.sendWithHeaders("POST", path, body, "application/json",
                key == null ? new String[]{"Authorization", "Bearer " + token}
                        : new String[]{"Authorization", "Bearer " + token, "Idempotency-Key", key});
    }

    /** An admin's refund of a session, under a fresh Idempotency-Key. */
    public static Api.Resp refund(Api api, String adminToken, String sessionId, Object body) {
        return postIdempotent(api, "/admin/sessions/" + sessionId + "/refund", adminToken, key(), body);
    }

    /** A deposit of {@code amount} (with {@code coupon}, may be null) paid through the Razorpay fake's checkout: its view after the confirmation. */
    public static com.fasterxml.jackson.databind.JsonNode paidDeposit(Api api, Accounts.Person p, long amount, String coupon) {
        String orderId = Razorpay.nextOrder(amount);
        Map<String, Object> body = new java.util.HashMap<>(Map.of("amount", amount));
        if (coupon != null) {
            body.put("couponCode", coupon);
        }
        Api.Resp created = postIdempotent(api, "/wallet/deposits", p.token(), key(), body);
        assertEquals(201, created.status(), created::toString);
        String paymentId = Razorpay.newPaymentId();
        Api.Resp confirmed = api.post("/wallet/deposits/" + created.json().get("id").asText() + "/confirm", p.token(),
                Map.of("gatewayPaymentId", paymentId, "signature", Razorpay.paymentSignature(orderId, paymentId)));
        assertEquals(200, confirmed.status(), confirmed::toString);
        assertEquals("PAID", confirmed.json().get("status").asText());
        return confirmed.json();
    }
}
