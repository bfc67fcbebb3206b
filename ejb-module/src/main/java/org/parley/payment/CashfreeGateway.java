package org.parley.payment;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cashfree Payment Gateway (API version 2023-08-01): orders {@code POST {base}/orders} with {@code x-client-id},
 * {@code x-client-secret} and {@code x-api-version}, amounts in rupees with two decimals; payments of an order {@code GET
 * {base}/orders/{id}/payments} (how a confirmation is checked: the gateway is asked, the client is not trusted); refunds
 * {@code POST {base}/orders/{id}/refunds} named by Parley's refund id, which Cashfree keeps unique per order. Webhooks are
 * signed {@code x-webhook-signature} = base64 HMAC-SHA256 of {@code x-webhook-timestamp} + raw body with the client
 * secret, and older than 5 minutes they are refused. With no {@code PARLEY_CASHFREE_CLIENT_ID} it is a logged mock that
 * signs and verifies like the real one.
 */
@ApplicationScoped
public class CashfreeGateway implements PaymentGateway {

    private static final Logger LOG = Logger.getLogger(CashfreeGateway.class.getName());
    static final String API_VERSION = "2023-08-01";
    static final Duration WEBHOOK_WINDOW = Duration.ofMinutes(5);

    @Inject
    @ConfigProperty(name = "parley.cashfree.base-url", defaultValue = "https://api.cashfree.com/pg")
    String baseUrl;
    @Inject
    @ConfigProperty(name = "parley.cashfree.client-id")
    Optional<String> clientId;
    @Inject
    @ConfigProperty(name = "parley.cashfree.client-secret", defaultValue = "mock_cashfree_secret")
    String clientSecret;
    @Inject
    private Clock clock;

    @Inject
    private org.parley.analytics.ParleyMetrics metrics;
    private final GatewayHttp http = new GatewayHttp("Cashfree");

    @PostConstruct
    void start() {
        if (isMock()) {
            LOG.warning("PARLEY_CASHFREE_CLIENT_ID is not set: Cashfree runs in MOCK MODE. No money moves; orders and refunds are"
                    + " answered locally, webhooks are verified with the configured or development secret.");
        } else if ("mock_cashfree_secret".equals(clientSecret)) {
            throw new IllegalStateException("PARLEY_CASHFREE_CLIENT_ID is set, so PARLEY_CASHFREE_CLIENT_SECRET must be set too");
        }
    }

    /** Created at deployment, so the mode (and a mock-mode warning) is in the log from the start. */
    void eager(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        isMock();
    }

    @Override
    public String name() {
        return "cashfree";
    }

    @Override
    public boolean isMock() {
        return clientId.isEmpty() || clientId.get().isBlank();
    }

    /** Orders are named by Parley ({@code dep_<deposit>}), so asking again after no answer cannot make a second one. */
    @Override
    @Retry(maxRetries = 1, delay = 100, retryOn = GatewayException.NoAnswer.class)
    public Checkout createOrder(String depositId, long amount, Customer customer) {
        String orderId = "dep_" + depositId.replace("-", "");
        if (isMock()) {
            return new Checkout(orderId, null, "session_mock_" + UUID.randomUUID().toString().replace("-", ""));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("customer_id", customer.accountId());
        details.put("customer_phone", customer.phone() == null ? "9999999999" : customer.phone());
        if (customer.email() != null) {
            details.put("customer_email", customer.email());
        }
        JsonNode r;
        try {
            r = call("POST", "/orders", Map.of("order_id", orderId, "order_amount", rupees(amount), "order_currency", "INR",
                    "customer_details", details));
        } catch (GatewayHttp.Conflict asked) {
            r = call("GET", "/orders/" + orderId, null);
        }
        return new Checkout(r.path("order_id").asText(orderId), null, r.path("payment_session_id").asText(null));
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayException.Unavailable.class)
    public List<Paid> paymentsOf(String orderId) {
        if (isMock()) {
            return List.of();
        }
        List<Paid> out = new ArrayList<>();
        for (JsonNode p : call("GET", "/orders/" + orderId + "/payments", null)) {
            out.add(new Paid(p.path("cf_payment_id").asText(), paise(p.path("payment_amount")), p.path("payment_currency").asText("INR"),
                    paymentStatus(p.path("payment_status").asText())));
        }
        return out;
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayException.Unavailable.class, abortOn = GatewayException.NoAnswer.class)
    public RefundState refund(String orderId, String paymentId, long amount, String refundId) {
        if (isMock()) {
            return new RefundState("cf_refund_mock_" + refundId.replace("-", ""), "PROCESSED");
        }
        JsonNode r;
        try {
            r = call("POST", "/orders/" + orderId + "/refunds", Map.of("refund_amount", rupees(amount), "refund_id", refundId,
                    "refund_note", "Parley refund " + refundId));
        } catch (GatewayHttp.Conflict asked) {
            r = call("GET", "/orders/" + orderId + "/refunds/" + refundId, null);
        }
        return new RefundState(r.path("cf_refund_id").asText(null), refundStatus(r.path("refund_status").asText()));
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayException.Unavailable.class)
    public RefundState refundState(String orderId, String paymentId, String refundId, String gatewayRefundId) {
        if (isMock()) {
            return new RefundState(gatewayRefundId, "PROCESSED");
        }
        JsonNode r = call("GET", "/orders/" + orderId + "/refunds/" + refundId, null);
        return new RefundState(r.path("cf_refund_id").asText(null), refundStatus(r.path("refund_status").asText()));
    }

    /**
     * Is this webhook Cashfree's: the signature is base64 HMAC-SHA256 of timestamp + body with the client secret, and the
     * timestamp (milliseconds) is within 5 minutes of now?
     */
    public boolean verifyWebhook(byte[] rawBody, String timestamp, String signature) {
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{10,16}")) {
            return false;
        }
        long millis = Long.parseLong(timestamp);
        if (timestamp.length() <= 10) {
            millis *= 1000;
        }
        if (Math.abs(clock.millis() - millis) > WEBHOOK_WINDOW.toMillis()) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            byte[] expected = Base64.getEncoder().encode(mac.doFinal(rawBody));
            return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static String paymentStatus(String status) {
        return switch (status) {
            case "SUCCESS" -> "CAPTURED";
            case "FAILED", "CANCELLED", "USER_DROPPED", "VOID" -> "FAILED";
            default -> "PENDING";
        };
    }

    static String refundStatus(String status) {
        return switch (status) {
            case "SUCCESS" -> "PROCESSED";
            case "CANCELLED", "FAILED" -> "FAILED";
            default -> "PENDING";
        };
    }

    /** Paise as Cashfree's rupees with two decimals. */
    static BigDecimal rupees(long paise) {
        return BigDecimal.valueOf(paise, 2);
    }

    /** Cashfree's rupees as paise; -1 for what is not an amount of whole paise. */
    static long paise(JsonNode rupees) {
        try {
            return new BigDecimal(rupees.asText()).movePointRight(2).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }

    private JsonNode call(String method, String path, Map<String, ?> body) {
        return http.call(metrics, method, baseUrl + path, Map.of("x-client-id", clientId.orElse(""), "x-client-secret", clientSecret,
                "x-api-version", API_VERSION), body);
    }

}
