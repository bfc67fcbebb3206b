package org.parley.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.common.Json;
import org.parley.common.Problems;
import org.parley.payout.PayoutService;
import org.parley.wallet.DepositService;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Razorpay webhooks: the signature over the raw body is checked first (401 otherwise); then each event id is
 * claimed by inserting it in the same transaction as its effect, so a repeat, or the same event delivered several
 * times at once, applies once and is otherwise answered 200 with no effect.
 */
@Stateless
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class.getName());

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private RazorpayGateway gateway;
    @Inject
    private DepositService deposits;
    @Inject
    private PayoutService payouts;
    @Inject
    private CashfreeGateway cashfree;
    @Inject
    private SourceRefunds refunds;
    @Inject
    private Clock clock;

    /** What happened to one delivery. */
    public enum Outcome { APPLIED, DUPLICATE, IGNORED }

    public Outcome handle(byte[] rawBody, String signature, String eventId) {
        if (!gateway.verifyWebhook(rawBody, signature)) {
            throw Problems.unauthenticated("the webhook signature is missing or wrong");
        }
        JsonNode event = parse(rawBody);
        String type = event.path("event").asText("");
        String id = eventId != null && !eventId.isBlank() ? eventId : event.path("id").asText("");
        if (id.isBlank() || type.isBlank()) {
            throw Problems.badRequest("a webhook needs an event id (X-Razorpay-Event-Id) and an event type", List.of());
        }
        int claimed = em.createNativeQuery("insert into gateway_event (event_id, event_type, received_at) values (?1, ?2, ?3)"
                        + " on conflict do nothing")
                .setParameter(1, id).setParameter(2, type).setParameter(3, Timestamp.from(clock.instant())).executeUpdate();
        if (claimed == 0) {
            return Outcome.DUPLICATE;
        }
        JsonNode payment = event.path("payload").path("payment").path("entity");
        JsonNode payout = event.path("payload").path("payout").path("entity");
        switch (type) {
            case "payment.captured" -> deposits.captured(payment.path("order_id").asText(), payment.path("id").asText(),
                    payment.path("amount").asLong(-1), payment.path("currency").asText());
            case "payment.failed" -> deposits.failed(payment.path("order_id").asText(), payment.path("id").asText());
            case "refund.processed", "refund.failed" -> {
                JsonNode refund = event.path("payload").path("refund").path("entity");
                UUID refundId = refunds.find(refund.path("id").asText(null), refund.path("receipt").asText(null));
                if (refundId == null) {
                    return Outcome.IGNORED;
                }
                refunds.apply(refundId, refund.path("id").asText(null), type.equals("refund.processed") ? "PROCESSED" : "FAILED", null);
            }
            case "payout.processed", "payout.failed", "payout.reversed" -> {
                UUID payoutId = payoutOf(payout);
                if (payoutId == null) {
                    LOG.warning("Webhook " + id + " for an unknown payout " + payout.path("id").asText());
                    return Outcome.IGNORED;
                }
                payouts.applyGatewayStatus(payoutId, payout.path("id").asText(null), type.substring("payout.".length()));
            }
            default -> {
                return Outcome.IGNORED;
            }
        }
        return Outcome.APPLIED;
    }

    /**
     * Cashfree webhooks: {@code x-webhook-signature} (base64 HMAC-SHA256 of timestamp + raw body with the client secret)
     * and a timestamp within 5 minutes, else 401; then claimed once by the body's digest (Cashfree sends no event id), in
     * the transaction of its effect. PAYMENT_SUCCESS_WEBHOOK credits a deposit once (an amount that does not match is
     * recorded and credits nothing), PAYMENT_FAILED_WEBHOOK fails it, REFUND_STATUS_WEBHOOK completes a refund.
     */
    public Outcome handleCashfree(byte[] rawBody, String timestamp, String signature) {
        if (!cashfree.verifyWebhook(rawBody, timestamp, signature)) {
            throw Problems.unauthenticated("the webhook signature is missing or wrong, or its timestamp is too old");
        }
        JsonNode event = parse(rawBody);
        String type = event.path("type").asText("");
        if (type.isBlank()) {
            throw Problems.badRequest("a Cashfree webhook has a type", List.of());
        }
        int claimed = em.createNativeQuery("insert into gateway_event (event_id, event_type, received_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, "cashfree:" + org.parley.common.Sha256.hex(new String(rawBody, StandardCharsets.UTF_8))).setParameter(2, type)
                .setParameter(3, Timestamp.from(clock.instant())).executeUpdate();
        if (claimed == 0) {
            return Outcome.DUPLICATE;
        }
        JsonNode data = event.path("data");
        String orderId = data.path("order").path("order_id").asText();
        JsonNode payment = data.path("payment");
        switch (type) {
            case "PAYMENT_SUCCESS_WEBHOOK" -> deposits.captured(orderId, payment.path("cf_payment_id").asText(),
                    CashfreeGateway.paise(payment.path("payment_amount")), payment.path("payment_currency").asText("INR"));
            case "PAYMENT_FAILED_WEBHOOK", "PAYMENT_USER_DROPPED_WEBHOOK" -> deposits.failed(orderId, payment.path("cf_payment_id").asText(null));
            case "REFUND_STATUS_WEBHOOK" -> {
                JsonNode refund = data.path("refund");
                UUID refundId = refunds.find(refund.path("cf_refund_id").asText(null), refund.path("refund_id").asText(null));
                if (refundId == null) {
                    return Outcome.IGNORED;
                }
                refunds.apply(refundId, refund.path("cf_refund_id").asText(null),
                        CashfreeGateway.refundStatus(refund.path("refund_status").asText()), null);
            }
            default -> {
                return Outcome.IGNORED;
            }
        }
        return Outcome.APPLIED;
    }

    private UUID payoutOf(JsonNode payout) {
        UUID byGateway = payout.hasNonNull("id") ? payouts.byGatewayId(payout.path("id").asText()) : null;
        if (byGateway != null) {
            return byGateway;
        }
        try {
            return payout.hasNonNull("reference_id") ? UUID.fromString(payout.path("reference_id").asText()) : null;
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    private static JsonNode parse(byte[] rawBody) {
        try {
            return Json.mapper().readTree(new String(rawBody, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw Problems.badRequest("the webhook body is not JSON", List.of());
        }
    }
}
