package org.parley.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.parley.it.support.Api;
import org.parley.it.support.Eventually;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A client of {@code /ws/live} that stays connected the way a real app does: when its socket closes or breaks (its node
 * stopped or was killed) it opens a new one at the same address (the load balancer's, which picks a live node), and
 * keeps every frame it was ever sent, in arrival order.
 */
final class Peer implements WebSocket.Listener, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String url;
    private final List<JsonNode> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    final AtomicInteger connections = new AtomicInteger();
    private volatile WebSocket socket;
    private volatile boolean closing;

    private Peer(String url) {
        this.url = url;
    }

    /** Connects to {@code wsUrl} (e.g. {@code ws://127.0.0.1:PORT/ws/live}) as the holder of {@code token}. */
    static Peer connect(String wsUrl, String token) {
        Peer p = new Peer(wsUrl + "?access_token=" + token);
        p.open();
        return p;
    }

    private void open() {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!closing) {
            try {
                socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3)).buildAsync(URI.create(url), this)
                        .get(10, TimeUnit.SECONDS);
                connections.incrementAndGet();
                return;
            } catch (Exception e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not reconnect to " + url, e);
                }
                sleep(200);
            }
        }
    }

    private void reopen() {
        if (!closing) {
            Thread t = new Thread(this::open, "peer-reconnect");
            t.setDaemon(true);
            t.start();
        }
    }

    void send(Map<String, Object> frame) {
        try {
            socket.sendText(Api.JSON.writeValueAsString(frame), true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send " + frame, e);
        }
    }

    /** Every frame of {@code type} for {@code sessionId} so far, in arrival order. */
    List<JsonNode> frames(String type, String sessionId) {
        List<JsonNode> out = new ArrayList<>();
        synchronized (frames) {
            for (JsonNode f : frames) {
                if (type.equals(f.path("type").asText()) && (sessionId == null || sessionId.equals(f.path("sessionId").asText()))) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** Waits until the frames of {@code type} for {@code sessionId} satisfy {@code done}; returns them. */
    List<JsonNode> await(String type, String sessionId, Predicate<List<JsonNode>> done, Duration timeout, String what) {
        return Eventually.until(timeout, () -> frames(type, sessionId), done, what);
    }

    @Override
    public void onOpen(WebSocket ws) {
        partial.setLength(0);
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode f = Api.JSON.readTree(partial.toString());
                synchronized (frames) {
                    frames.add(f);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        reopen();
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        reopen();
    }

    @Override
    public void close() {
        closing = true;
        WebSocket s = socket;
        if (s != null && !s.isOutputClosed()) {
            s.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
