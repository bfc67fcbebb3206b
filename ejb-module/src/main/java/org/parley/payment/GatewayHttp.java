package org.parley.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.parley.common.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One gateway's JSON over HTTP: 3 s to connect, 10 s to answer; no answer is {@link GatewayException.NoAnswer}, a 5xx
 * {@link GatewayException.Unavailable}, a 4xx a plain {@link GatewayException} (a 409 {@link Conflict}), and the body
 * that is not JSON a {@link GatewayException} too.
 */
final class GatewayHttp {

    private static final Logger LOG = Logger.getLogger(GatewayHttp.class.getName());

    /** The gateway answered 409: the thing exists already (a refund id used before). */
    static class Conflict extends GatewayException {
        Conflict(String detail) {
            super(detail);
        }
    }

    private final String gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

    /** How a failed call ended, for the metrics: no-answer, unavailable (5xx), conflict (409) or refused (other 4xx, nonsense). */
    static String outcome(GatewayException e) {
        return e instanceof GatewayException.NoAnswer ? "no-answer" : e instanceof GatewayException.Unavailable ? "unavailable"
                : e instanceof Conflict ? "conflict" : "refused";
    }

    GatewayHttp(String gateway) {
        this.gateway = gateway;
    }

    /** {@link #call}, counted in the gateway-call metrics under the gateway's name by its outcome. */
    JsonNode call(org.parley.analytics.ParleyMetrics metrics, String method, String url, Map<String, String> headers, Map<String, ?> body) {
        String name = gateway.toLowerCase(java.util.Locale.ROOT);
        try {
            JsonNode answer = call(method, url, headers, body);
            metrics.gatewayCall(name, "ok");
            return answer;
        } catch (GatewayException e) {
            metrics.gatewayCall(name, outcome(e));
            throw e;
        }
    }

    JsonNode call(String method, String url, Map<String, String> headers, Map<String, ?> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Accept", "application/json");
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(Json.canonical(body), StandardCharsets.UTF_8))
                    .header("Content-Type", "application/json");
        }
        String path = URI.create(url).getPath();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.log(Level.WARNING, gateway + " " + method + " " + path + " got no answer", e);
            throw new GatewayException.NoAnswer("the payment gateway could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException.NoAnswer("interrupted while waiting for the payment gateway");
        }
        String text = response.body();
        if (response.statusCode() >= 500) {
            LOG.warning(gateway + " " + method + " " + path + " failed: " + response.statusCode() + " " + text);
            throw new GatewayException.Unavailable("the payment gateway answered " + response.statusCode());
        }
        if (response.statusCode() == 409) {
            throw new Conflict("the payment gateway has this already (" + text + ")");
        }
        if (response.statusCode() >= 400) {
            LOG.warning(gateway + " " + method + " " + path + " refused: " + response.statusCode() + " " + text);
            throw new GatewayException("the payment gateway refused the request (" + response.statusCode() + ")");
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            LOG.log(Level.WARNING, gateway + " " + method + " " + path + " answered something that is not JSON: " + text, e);
            throw new GatewayException("the payment gateway answered something that is not JSON");
        }
    }
}
