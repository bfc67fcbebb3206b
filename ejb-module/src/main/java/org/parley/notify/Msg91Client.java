package org.parley.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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

import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * SMS through MSG91's flow API: {@code POST {base}/api/v5/flow} with the {@code authkey} header and {@code {template_id,
 * sender?, short_url: "0", recipients: [{mobiles, VAR1..}]}}, where {@code template_id} is the DLT-registered template.
 * The answer's {@code message} is MSG91's request id, which its delivery reports name. A JAX-RS client with connect and
 * read timeouts, under Fault Tolerance (a timeout, and a circuit breaker that stops calling a provider that keeps
 * failing; the outbox retries later either way). With no {@code PARLEY_MSG91_AUTH_KEY} it is a logged mock.
 */
@ApplicationScoped
public class Msg91Client {

    private static final Logger LOG = Logger.getLogger(Msg91Client.class.getName());

    @Inject
    @ConfigProperty(name = "parley.msg91.base-url", defaultValue = "https://control.msg91.com")
    String baseUrl;
    @Inject
    @ConfigProperty(name = "parley.msg91.auth-key")
    Optional<String> authKey;
    @Inject
    @ConfigProperty(name = "parley.sms.sender-id")
    Optional<String> senderId;
    @Inject
    @ConfigProperty(name = "parley.dlt.entity-id")
    Optional<String> dltEntityId;

    private Client client;

    public boolean isMock() {
        return authKey.filter(k -> !k.isBlank()).isEmpty();
    }

    /** Sends one templated SMS to {@code mobile} (digits with country code); returns MSG91's request id. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 15, delayUnit = ChronoUnit.SECONDS,
            skipOn = ProviderException.class)
    public String send(String mobile, String dltTemplateId, String variablesJson) {
        List<String> values = values(variablesJson);
        if (isMock()) {
            String id = "mock-" + UUID.randomUUID();
            LOG.info("MOCK sms " + id + " to " + mobile + " template " + dltTemplateId + " (DLT entity " + dltEntityId.orElse("unset") + ") " + values);
            return id;
        }
        Map<String, Object> recipient = new LinkedHashMap<>();
        recipient.put("mobiles", mobile);
        for (int i = 0; i < values.size(); i++) {
            recipient.put("VAR" + (i + 1), values.get(i));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("template_id", dltTemplateId);
        senderId.filter(s -> !s.isBlank()).ifPresent(s -> body.put("sender", s));
        body.put("short_url", "0");
        body.put("recipients", List.of(recipient));
        try (Response r = client.target(baseUrl).path("api/v5/flow").request(MediaType.APPLICATION_JSON)
                .header("authkey", authKey.get()).post(Entity.entity(Json.mapper().writeValueAsString(body), MediaType.APPLICATION_JSON))) {
            String answer = r.readEntity(String.class);
            JsonNode json = answer == null || answer.isBlank() ? null : Json.mapper().readTree(answer);
            if (r.getStatus() / 100 != 2 || json == null || !"success".equalsIgnoreCase(json.path("type").asText())) {
                throw ProviderException.of("MSG91", r.getStatus(), answer);
            }
            return json.path("message").asText(null);
        } catch (JsonProcessingException e) {
            throw new ProviderException("MSG91 answered something that is not JSON: " + e.getOriginalMessage(), false);
        }
    }

    static List<String> values(String variablesJson) {
        try {
            return variablesJson == null ? List.of() : Json.mapper().readValue(variablesJson, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
