package org.parley.it.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A plain HTTP client for Parley's API, as any client would use it. Each instance presents its own client
 * address (X-Forwarded-For, trusted in tests) so one test's failed logins never throttle another's.
 */
public final class Api {

    public static final String BASE = "http://127.0.0.1:8180";
    public static final String API = BASE + "/api/v1";
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String address;
    private final String api;
    private final Duration timeout;

    public Api() {
        this("198.51.100." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(1, 255));
    }

    public Api(String address) {
        this(address, BASE);
    }

    /** A client of the Parley at {@code base} (another port than the suite's server). */
    public Api(String address, String base) {
        this(address, base + "/api/v1", Duration.ofSeconds(30));
    }

    private Api(String address, String api, Duration timeout) {
        this.address = address;
        this.api = api;
        this.timeout = timeout;
    }

    /**
     * This client, giving up on a response after {@code timeout}: a client that never learns the outcome (the request
     * fails with an {@link AssertionError} caused by {@link java.net.http.HttpTimeoutException}).
     */
    public Api impatient(Duration timeout) {
        return new Api(address, api, timeout);
    }

    /** A response: status, headers, body text; {@link #json()} parses the body. */
    public record Resp(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Resp get(String path, String token) {
        return send("GET", path, token, null, "application/json");
    }

    public Resp post(String path, String token, Object body) {
        return send("POST", path, token, body, "application/json");
    }

    public Resp put(String path, String token, Object body) {
        return send("PUT", path, token, body, "application/json");
    }

    public Resp patch(String path, String token, Object body) {
        return send("PATCH", path, token, body, "application/json");
    }

    public Resp delete(String path, String token) {
        return send("DELETE", path, token, null, "application/json");
    }

    /** Sends with extra headers given as name, value, name, value, ... (no bearer token unless among them). */
    public Resp sendWithHeaders(String method, String path, Object body, String contentType, String... headers) {
        return exchange(method, path, null, body, contentType, headers);
    }

    /**
     * Sends {@code body} (a String is sent as it is, anything else as JSON) to {@code path} (relative to /api/v1
     * unless it starts with http).
     */
    public Resp send(String method, String path, String token, Object body, String contentType) {
        return exchange(method, path, token, body, contentType);
    }

    private Resp exchange(String method, String path, String token, Object body, String contentType, String... headers) {
        try {
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : api + path))
                    .timeout(timeout)
                    .header("X-Forwarded-For", address)
                    .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            if (text != null) {
                b.header("Content-Type", contentType);
            }
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
