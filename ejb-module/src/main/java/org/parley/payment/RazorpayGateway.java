package org.parley.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.parley.common.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Razorpay over HTTP (orders, payouts, their look-ups) with basic auth, timeouts, and retries only where a repeat
 * is safe (payouts carry X-Payout-Idempotency; reads are reads; an order that got no answer may be asked for again,
 * since an order nobody pays moves no money). The JDK's HTTP client keeps connections alive and drops a pooled one
 * as soon as the gateway closes it, so an idle or restarted gateway costs a fresh connection, not a failed request;
 * every failure is logged with its cause. Without {@code PARLEY_RAZORPAY_KEY_ID} it runs in a
 * loudly logged mock mode that answers locally but signs and verifies exactly as the real gateway does, with
 * development secrets unless real ones are configured.
 */
@ApplicationScoped
public class RazorpayGateway implements PaymentGateway {

    private static final Logger LOG = Logger.getLogger(RazorpayGateway.class.getName());

    @Inject
    @ConfigProperty(name = "parley.razorpay.base-url", defaultValue = "https://api.razorpay.com")
    String baseUrl;
    @Inject
    @ConfigProperty(name = "parley.razorpay.key-id")
    Optional<String> keyId;
    @Inject
    @ConfigProperty(name = "parley.razorpay.key-secret", defaultValue = "mock_key_secret")
    String keySecret;
    @Inject
    @ConfigProperty(name = "parley.razorpay.webhook-secret", defaultValue = "mock_webhook_secret")
    String webhookSecret;
    @Inject
    @ConfigProperty(name = "parley.razorpay.account-number", defaultValue = "mock_account")
    String accountNumber;

    @Inject
    private org.parley.analytics.ParleyMetrics metrics;
    private final GatewayHttp http = new GatewayHttp("Razorpay");

    /** An order as the gateway created it. */
    public record Order(String id, String status) {
    }

    /** A payment made against an order. */
    public record Payment(String id, String orderId, long amount, String currency, String status) {
    }

    /** A payout as the gateway reports it: processing, processed, failed, reversed, ... */
    public record Payout(String id, String status) {
    }

    @PostConstruct
    void start() {
        if (isMock()) {
            LOG.warning("PARLEY_RAZORPAY_KEY_ID is not set: the payment gateway runs in MOCK MODE. No money moves;"
                    + " orders and payouts are answered locally, signatures use the configured or development secrets.");
        } else {
            if ("mock_key_secret".equals(keySecret) || "mock_webhook_secret".equals(webhookSecret)) {
                throw new IllegalStateException("PARLEY_RAZORPAY_KEY_ID is set, so PARLEY_RAZORPAY_KEY_SECRET and"
                        + " PARLEY_RAZORPAY_WEBHOOK_SECRET must be set too");
            }
            LOG.info("Razorpay gateway at " + baseUrl + " with key " + keyId.get());
        }
    }

    /** Created at deployment, so the mode (and a mock-mode warning) is in the log from the start. */
    void eager(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        keyId();
    }

    @Override
    public String name() {
        return "razorpay";
    }

    @Override
    public boolean isMock() {
        return keyId.isEmpty() || keyId.get().isBlank();
    }

    public String keyId() {
        return isMock() ? "rzp_mock" : keyId.get();
    }

    /**
     * Creates an order for {@code amount} paise. Asked again only when no answer came back: the gateway does not
     * de-duplicate orders, but a second, unpaid order is only an intent, while a failed deposit is a user turned away.
     */
    @Retry(maxRetries = 1, delay = 100, retryOn = GatewayException.NoAnswer.class)
    public Order createOrder(long amount, String currency, String receipt) {
        if (isMock()) {
            return new Order("order_mock_" + UUID.randomUUID().toString().replace("-", ""), "created");
        }
        JsonNode r = call("POST", "/v1/orders", Map.of("amount", amount, "currency", currency, "receipt", receipt), null);
        return new Order(r.path("id").asText(), r.path("status").asText());
    }

    @Override
    public Checkout createOrder(String depositId, long amount, Customer customer) {
        return new Checkout(self().createOrder(amount, "INR", depositId).id(), keyId(), null);
    }

    @Override
    public List<Paid> paymentsOf(String orderId) {
        return self().payments(orderId).stream().map(p -> new Paid(p.id(), p.amount(), p.currency(),
                switch (p.status()) {
                    case "captured" -> "CAPTURED";
                    case "failed" -> "FAILED";
                    default -> "PENDING";
                })).toList();
    }

    /**
     * A refund of a captured payment: {@code POST /v1/payments/{id}/refund} with Parley's refund id as {@code receipt};
     * before asking, the payment's refunds are read, so a refund asked for before (its answer lost) is found, not repeated.
     */
    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayException.Unavailable.class, abortOn = GatewayException.NoAnswer.class)
    public RefundState refund(String orderId, String paymentId, long amount, String refundId) {
        if (isMock()) {
            return new RefundState("rfnd_mock_" + refundId.replace("-", ""), "PROCESSED");
        }
        RefundState earlier = byReceipt(paymentId, refundId);
        if (earlier != null) {
            return earlier;
        }
        JsonNode r = call("POST", "/v1/payments/" + paymentId + "/refund", Map.of("amount", amount, "receipt", refundId,
                "notes", Map.of("parley_refund", refundId)), null);
        return new RefundState(r.path("id").asText(), refundStatus(r.path("status").asText()));
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayException.Unavailable.class)
    public RefundState refundState(String orderId, String paymentId, String refundId, String gatewayRefundId) {
        if (isMock()) {
            return new RefundState(gatewayRefundId, "PROCESSED");
        }
        if (gatewayRefundId == null) {
            return byReceipt(paymentId, refundId);
        }
        JsonNode r = call("GET", "/v1/refunds/" + gatewayRefundId, null, null);
        return new RefundState(r.path("id").asText(), refundStatus(r.path("status").asText()));
    }

    private RefundState byReceipt(String paymentId, String refundId) {
        for (JsonNode r : call("GET", "/v1/payments/" + paymentId + "/refunds", null, null).path("items")) {
            if (refundId.equals(r.path("receipt").asText()) || refundId.equals(r.path("notes").path("parley_refund").asText())) {
                return new RefundState(r.path("id").asText(), refundStatus(r.path("status").asText()));
            }
        }
        return null;
    }

    private static String refundStatus(String status) {
        return switch (status) {
            case "processed" -> "PROCESSED";
            case "failed" -> "FAILED";
            default -> "PENDING";
        };
    }

    /** Through the CDI proxy, so the Fault Tolerance annotations of the called method apply. */
    private RazorpayGateway self() {
        return jakarta.enterprise.inject.spi.CDI.current().select(RazorpayGateway.class).get();
    }

    /** The payments made against an order (the janitor asks this when the outcome of a deposit is unknown). */
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayException.Unavailable.class)
    public List<Payment> payments(String orderId) {
        if (isMock()) {
            return List.of();
        }
        JsonNode r = call("GET", "/v1/orders/" + orderId + "/payments", null, null);
        List<Payment> out = new ArrayList<>();
        for (JsonNode p : r.path("items")) {
            out.add(new Payment(p.path("id").asText(), p.path("order_id").asText(orderId), p.path("amount").asLong(),
                    p.path("currency").asText(), p.path("status").asText()));
        }
        return out;
    }

    /** Sends a payout; safe to repeat with the same {@code idempotencyKey}, which the gateway de-duplicates. */
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayException.Unavailable.class)
    public Payout createPayout(long amount, String idempotencyKey, String reference) {
        if (isMock()) {
            return new Payout("pout_mock_" + idempotencyKey.replace("-", ""), "processed");
        }
        JsonNode r = call("POST", "/v1/payouts", Map.of("account_number", accountNumber, "amount", amount,
                "currency", "INR", "mode", "IMPS", "purpose", "payout", "reference_id", reference), idempotencyKey);
        return new Payout(r.path("id").asText(), r.path("status").asText());
    }

    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayException.Unavailable.class)
    public Payout payout(String payoutId) {
        if (isMock()) {
            return new Payout(payoutId, "processed");
        }
        JsonNode r = call("GET", "/v1/payouts/" + payoutId, null, null);
        return new Payout(r.path("id").asText(), r.path("status").asText());
    }

    /** Checkout's signature over {@code orderId|paymentId} with the key secret. */
    public boolean verifyPayment(String orderId, String paymentId, String signature) {
        return Signatures.matches(Signatures.hmacSha256Hex(keySecret, orderId + "|" + paymentId), signature);
    }

    /** A webhook's signature over its raw body with the webhook secret. */
    public boolean verifyWebhook(byte[] rawBody, String signature) {
        return Signatures.matches(Signatures.hmacSha256Hex(webhookSecret.getBytes(StandardCharsets.UTF_8), rawBody), signature);
    }

    private JsonNode call(String method, String path, Map<String, ?> body, String payoutIdempotencyKey) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (keyId.orElse("") + ":" + keySecret).getBytes(StandardCharsets.UTF_8))));
        if (payoutIdempotencyKey != null) {
            headers.put("X-Payout-Idempotency", payoutIdempotencyKey);
        }
        return http.call(metrics, method, baseUrl + path, headers, body);
    }

}
