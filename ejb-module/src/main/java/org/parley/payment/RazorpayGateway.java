package org.parley.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.parley.common.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Razorpay over HTTP (orders, payouts, their look-ups) with basic auth, timeouts, and retries only where a repeat
 * is safe (payouts carry X-Payout-Idempotency; reads are reads). Without {@code PARLEY_RAZORPAY_KEY_ID} it runs in a
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

    private Client client;

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
        client = ClientBuilder.newBuilder().connectTimeout(3, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS).build();
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

    @PreDestroy
    void stop() {
        client.close();
    }

    public boolean isMock() {
        return keyId.isEmpty() || keyId.get().isBlank();
    }

    public String keyId() {
        return isMock() ? "rzp_mock" : keyId.get();
    }

    /** Creates an order for {@code amount} paise (not retried: order creation is not idempotent at the gateway). */
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

    private JsonNode call(String method, String path, Object body, String payoutIdempotencyKey) {
        Invocation.Builder request = client.target(baseUrl + path).request(MediaType.APPLICATION_JSON)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (keyId.orElse("") + ":" + keySecret).getBytes(StandardCharsets.UTF_8)));
        if (payoutIdempotencyKey != null) {
            request.header("X-Payout-Idempotency", payoutIdempotencyKey);
        }
        try (Response response = body == null ? request.method(method)
                : request.method(method, Entity.entity(Json.mapper().writeValueAsString(body), MediaType.APPLICATION_JSON))) {
            String text = response.readEntity(String.class);
            if (response.getStatus() >= 500) {
                throw new GatewayException.Unavailable("the payment gateway answered " + response.getStatus());
            }
            if (response.getStatus() >= 400) {
                LOG.warning("Razorpay " + method + " " + path + " refused: " + response.getStatus() + " " + text);
                throw new GatewayException("the payment gateway refused the request (" + response.getStatus() + ")");
            }
            return Json.mapper().readTree(text);
        } catch (ProcessingException e) {
            throw new GatewayException.Unavailable("the payment gateway could not be reached: " + e.getClass().getSimpleName());
        } catch (JsonProcessingException e) {
            throw new GatewayException("the payment gateway answered something that is not JSON");
        }
    }
}
