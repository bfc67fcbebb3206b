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
public class RazorpayGateway {

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

    private HttpClient http;

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
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
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

    /** The payments made against an order (the janitor asks this when the outcome of a deposit is unknown). */
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayException.Unavailable.class)
    public List<Payment> paymentsOf(String orderId) {
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (keyId.orElse("") + ":" + keySecret).getBytes(StandardCharsets.UTF_8)));
        if (payoutIdempotencyKey != null) {
            request.header("X-Payout-Idempotency", payoutIdempotencyKey);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(Json.canonical(body), StandardCharsets.UTF_8))
                    .header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Razorpay " + method + " " + path + " got no answer", e);
            throw new GatewayException.NoAnswer("the payment gateway could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException.NoAnswer("interrupted while waiting for the payment gateway");
        }
        String text = response.body();
        if (response.statusCode() >= 500) {
            LOG.warning("Razorpay " + method + " " + path + " failed: " + response.statusCode() + " " + text);
            throw new GatewayException.Unavailable("the payment gateway answered " + response.statusCode());
        }
        if (response.statusCode() >= 400) {
            LOG.warning("Razorpay " + method + " " + path + " refused: " + response.statusCode() + " " + text);
            throw new GatewayException("the payment gateway refused the request (" + response.statusCode() + ")");
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            LOG.log(Level.WARNING, "Razorpay " + method + " " + path + " answered something that is not JSON: " + text, e);
            throw new GatewayException("the payment gateway answered something that is not JSON");
        }
    }
}
