package org.parley.notify;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.common.Json;
import org.parley.common.Problems;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Delivery status from the providers' webhooks, matched to outbox rows by the provider's message id. A status only ever
 * moves forward (SENT → DELIVERED → READ; FAILED last), so reports arriving twice or out of order change nothing.
 * WhatsApp's are signed with the app secret (checked by the resource before this is called); MSG91's carry Parley's own
 * secret token in the URL ({@code PARLEY_MSG91_WEBHOOK_TOKEN}), since MSG91 does not sign its reports.
 */
@Stateless
public class DeliveryReports {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private Clock clock;
    @Inject
    @ConfigProperty(name = "parley.msg91.webhook-token")
    Optional<String> msg91Token;

    /** A status update and its error (null if none). */
    record Status(String messageId, String status, String error) {
    }

    /** Applies a WhatsApp webhook body ({@code entry[].changes[].value.statuses[]}); how many rows moved. */
    public int whatsApp(byte[] rawBody) {
        List<Status> statuses = new ArrayList<>();
        for (JsonNode entry : parse(rawBody).path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                for (JsonNode s : change.path("value").path("statuses")) {
                    String error = s.path("errors").path(0).path("title").asText(null);
                    statuses.add(new Status(s.path("id").asText(null), s.path("status").asText("").toUpperCase(Locale.ROOT), error));
                }
            }
        }
        return apply(Notifications.Channel.WHATSAPP, statuses);
    }

    /**
     * Applies an MSG91 delivery report posted to {@code /notifications/webhooks/msg91/{token}} (a wrong token is 401):
     * a list, or {@code {data: [...]}}, of {@code {requestId, report: [{status|desc}]}} or {@code {requestId, status|desc}};
     * status 1 or DELIVERED is delivered, 2/9/16/17/25/26 or FAILED/REJECTED/NDNC is failed, anything else pending.
     */
    public int msg91(String token, byte[] rawBody) {
        String expected = msg91Token.filter(t -> !t.isBlank()).orElse(null);
        if (expected == null || token == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw Problems.unauthenticated("unknown delivery-report token");
        }
        JsonNode root = parse(rawBody);
        JsonNode items = root.isArray() ? root : root.path("data");
        List<Status> statuses = new ArrayList<>();
        for (JsonNode item : items) {
            String id = item.path("requestId").asText(item.path("request_id").asText(null));
            JsonNode reports = item.path("report").isArray() ? item.path("report") : null;
            for (JsonNode r : reports == null ? List.of(item) : iterable(reports)) {
                String status = msg91Status(r.path("status").asText(""), r.path("desc").asText(""));
                if (status != null) {
                    statuses.add(new Status(id, status, "FAILED".equals(status) ? r.path("desc").asText(null) : null));
                }
            }
        }
        return apply(Notifications.Channel.SMS, statuses);
    }

    static String msg91Status(String code, String desc) {
        String d = desc.toUpperCase(Locale.ROOT);
        if ("1".equals(code) || d.equals("DELIVERED")) {
            return "DELIVERED";
        }
        if (List.of("2", "9", "16", "17", "25", "26").contains(code) || d.contains("FAIL") || d.contains("REJECT") || d.contains("NDNC")) {
            return "FAILED";
        }
        return null;
    }

    private int apply(Notifications.Channel channel, List<Status> statuses) {
        int moved = 0;
        for (Status s : statuses) {
            int rank = rank(s.status());
            if (s.messageId() == null || rank == 0) {
                continue;
            }
            moved += em.createNativeQuery("""
                            update notification set delivery_status = ?3, delivery_error = ?4,
                                delivered_at = case when ?3 in ('DELIVERED', 'READ') then coalesce(delivered_at, ?5) else delivered_at end
                            where channel = ?1 and provider_message_id = ?2
                              and (case delivery_status when 'SENT' then 1 when 'DELIVERED' then 2 when 'READ' then 3 when 'FAILED' then 4 else 0 end) < ?6""")
                    .setParameter(1, channel.name()).setParameter(2, s.messageId()).setParameter(3, s.status())
                    .setParameter(4, s.error() == null ? null : s.error().length() > 1000 ? s.error().substring(0, 1000) : s.error())
                    .setParameter(5, Timestamp.from(clock.instant())).setParameter(6, rank).executeUpdate();
        }
        return moved;
    }

    private static int rank(String status) {
        return switch (status) {
            case "SENT" -> 1;
            case "DELIVERED" -> 2;
            case "READ" -> 3;
            case "FAILED" -> 4;
            default -> 0;
        };
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw Problems.badRequest("the report is not JSON", List.of());
        }
    }
}
