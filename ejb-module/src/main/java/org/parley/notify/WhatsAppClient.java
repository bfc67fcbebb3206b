package org.parley.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.parley.common.Json;
import org.parley.payment.Signatures;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * WhatsApp through Meta's Cloud API: {@code POST {base}/{version}/{phoneNumberId}/messages} with a bearer token and a
 * {@code template} message (name, language, body parameters in order); the answer's {@code messages[0].id} is what its
 * status webhooks name. Webhooks are signed {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the
 * app secret>}; the subscription handshake echoes {@code hub.challenge} when {@code hub.verify_token} matches. Timeouts
 * and Fault Tolerance as {@link Msg91Client}; with no {@code PARLEY_WHATSAPP_TOKEN} it is a logged mock.
 */
@ApplicationScoped
public class WhatsAppClient {

    private static final Logger LOG = Logger.getLogger(WhatsAppClient.class.getName());

    @Inject
    @ConfigProperty(name = "parley.whatsapp.base-url", defaultValue = "https://graph.facebook.com")
    String baseUrl;
    @Inject
    @ConfigProperty(name = "parley.whatsapp.version", defaultValue = "v21.0")
    String version;
    @Inject
    @ConfigProperty(name = "parley.whatsapp.token")
    Optional<String> token;
    @Inject
    @ConfigProperty(name = "parley.whatsapp.phone-number-id", defaultValue = "mock-phone-number")
    String phoneNumberId;
    @Inject
    @ConfigProperty(name = "parley.whatsapp.app-secret", defaultValue = "mock_app_secret")
    String appSecret;
    @Inject
    @ConfigProperty(name = "parley.whatsapp.verify-token", defaultValue = "mock_verify_token")
    String verifyToken;

    private Client client;

    public boolean isMock() {
        return token.filter(k -> !k.isBlank()).isEmpty();
    }

    /** Sends one template message to {@code to} (digits with country code); returns the message id. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 15, delayUnit = ChronoUnit.SECONDS,
            skipOn = ProviderException.class)
    public String send(String to, String templateName, String language, String variablesJson) {
        List<String> values = Msg91Client.values(variablesJson);
        if (isMock()) {
            String id = "wamid.mock-" + UUID.randomUUID();
            LOG.info("MOCK whatsapp " + id + " to " + to + " template " + templateName + "/" + language + " " + values);
            return id;
        }
        Map<String, Object> body = Map.of("messaging_product", "whatsapp", "recipient_type", "individual", "to", to, "type", "template",
                "template", Map.of("name", templateName, "language", Map.of("code", language == null ? "en" : language),
                        "components", values.isEmpty() ? List.of() : List.of(Map.of("type", "body",
                                "parameters", values.stream().map(v -> Map.of("type", "text", "text", v)).toList()))));
        try (Response r = client.target(baseUrl).path(version).path(phoneNumberId).path("messages").request(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + token.get())
                .post(Entity.entity(Json.mapper().writeValueAsString(body), MediaType.APPLICATION_JSON))) {
            String answer = r.readEntity(String.class);
            if (r.getStatus() / 100 != 2) {
                throw ProviderException.of("WhatsApp", r.getStatus(), answer);
            }
            JsonNode id = Json.mapper().readTree(answer).path("messages").path(0).path("id");
            if (id.isMissingNode() || id.asText().isBlank()) {
                throw new ProviderException("WhatsApp answered without a message id: " + answer, false);
            }
            return id.asText();
        } catch (JsonProcessingException e) {
            throw new ProviderException("WhatsApp answered something that is not JSON: " + e.getOriginalMessage(), false);
        }
    }

    /** Is {@code header} ({@code sha256=<hex>}) the app secret's HMAC-SHA256 of {@code rawBody}? */
    public boolean signatureMatches(byte[] rawBody, String header) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        return Signatures.matches(Signatures.hmacSha256Hex(appSecret.getBytes(StandardCharsets.UTF_8), rawBody), header.substring(7).trim());
    }

    public boolean verifyTokenMatches(String candidate) {
        return candidate != null && MessageDigest.isEqual(verifyToken.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @PostConstruct
    void open() {
        client = ProviderException.httpClient();
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
