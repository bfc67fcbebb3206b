package org.parley.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** A real WebSocket client of /ws/live (java.net.http): collects frames, waits for the ones a test expects. */
public final class LiveClient implements WebSocket.Listener, AutoCloseable {

    public static final String URL = "ws://127.0.0.1:8180/ws/live";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    /** Connects with the token as the access_token query parameter. */
    public static LiveClient connect(String token) {
        return open(URL + "?access_token=" + token, null, null);
    }

    public static LiveClient open(String url, String origin, String subprotocol) {
        LiveClient client = new LiveClient();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (subprotocol != null) {
            b.subprotocols(subprotocol);
        }
        client.socket = b.buildAsync(URI.create(url), client).join();
        return client;
    }

    public void send(Map<String, Object> frame) {
        try {
            socket.sendText(Api.JSON.writeValueAsString(frame), true).join();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    /** The next frame of {@code type} matching {@code when}, within {@code timeout}; earlier frames of other kinds are kept. */
    public JsonNode await(String type, Predicate<JsonNode> when, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            for (JsonNode f : seen) {
                if (type.equals(f.path("type").asText()) && when.test(f)) {
                    seen.remove(f);
                    return f;
                }
            }
        }
        while (System.nanoTime() < end) {
            try {
                JsonNode f = frames.poll(50, TimeUnit.MILLISECONDS);
                if (f == null) {
                    continue;
                }
                if (type.equals(f.path("type").asText()) && when.test(f)) {
                    return f;
                }
                synchronized (seen) {
                    seen.add(f);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(e);
            }
        }
        synchronized (seen) {
            return fail("no '" + type + "' frame within " + timeout + "; got " + seen);
        }
    }

    public JsonNode await(String type) {
        return await(type, f -> true, Duration.ofSeconds(10));
    }

    /** Every frame of {@code type} received so far or within {@code wait}. */
    public List<JsonNode> all(String type, Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<JsonNode> out = new ArrayList<>();
        synchronized (seen) {
            frames.drainTo(seen);
            for (JsonNode f : seen) {
                if (type.equals(f.path("type").asText())) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return fail("the socket was not closed within " + timeout);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(Api.JSON.readTree(partial.toString()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                fail("server sent non-JSON: " + partial);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
