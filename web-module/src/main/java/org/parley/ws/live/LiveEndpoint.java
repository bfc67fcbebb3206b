package org.parley.ws.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.parley.api.JacksonConfig;
import org.parley.common.Channel;
import org.parley.common.DomainException;
import org.parley.identity.Caller;
import org.parley.identity.TokenVerifier;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * {@code /ws/live}: authenticated by the JWT ({@code access_token} query parameter or the Sec-WebSocket-Protocol
 * value; otherwise closed with 1008), frames over 64 KiB close the socket (1009), and a client over its message rate
 * gets {@code error rate-limited} and 1008. Each frame is handed to {@link LiveFrames}; nothing here decides anything.
 */
@ServerEndpoint(value = "/ws/live", configurator = LiveConfigurator.class)
public class LiveEndpoint {

    private static final Logger LOG = Logger.getLogger(LiveEndpoint.class.getName());
    static final int MAX_FRAME = 64 * 1024;
    private static final String CALLER = "parley.caller";
    private static final String BUCKET = "parley.bucket";
    private static final String BUFFER = "parley.buffer";
    private static final String TAIL = "parley.tail";

    @Inject
    private TokenVerifier tokens;
    @Inject
    private LiveFrames frames;
    @Inject
    private LiveSockets sockets;

    @OnOpen
    public void open(Session session) throws IOException {
        Optional<Caller> caller = tokens.verify(token(session));
        if (caller.isEmpty()) {
            session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "a valid access token is required"));
            return;
        }
        session.setMaxIdleTimeout(0);
        session.getUserProperties().put(CALLER, caller.get());
        session.getUserProperties().put(BUCKET, new RateLimit(20, 10));
        frames.opened(caller.get(), session);
    }

    /** Frames arrive in parts; a frame longer than 64 KiB closes the socket with 1009 before it is buffered whole. */
    @OnMessage
    public void message(Session session, String part, boolean last) throws IOException {
        Caller caller = (Caller) session.getUserProperties().get(CALLER);
        if (caller == null) {
            return;
        }
        StringBuilder buffer = (StringBuilder) session.getUserProperties().computeIfAbsent(BUFFER, k -> new StringBuilder());
        if (buffer.length() + part.length() > MAX_FRAME) {
            buffer.setLength(0);
            session.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG, "frames are limited to 64 KiB"));
            return;
        }
        buffer.append(part);
        if (!last) {
            return;
        }
        String text = buffer.toString();
        buffer.setLength(0);
        if (!((RateLimit) session.getUserProperties().get(BUCKET)).tryTake()) {
            sockets.sendTo(session, Map.of("type", "error", "code", "rate-limited", "detail", "too many frames"));
            session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "rate limited"));
            return;
        }
        JsonNode frame;
        try {
            frame = JacksonConfig.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            sockets.sendTo(session, error("bad-frame", "frames are JSON objects with a type", null));
            return;
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Void> tail = (CompletableFuture<Void>) session.getUserProperties().getOrDefault(TAIL, CompletableFuture.completedFuture(null));
        if (tail.isDone() && "chat-message".equals(frame.path("type").asText())) {
            // A chat line goes to the group commit from here at once: stored on this (worker) thread if no group is
            // being stored, else queued for the next group.
            session.getUserProperties().put(TAIL, handle(caller, session, frame));
            return;
        }
        // Other work (database, relays) leaves the I/O thread; frames of one socket still run one after another.
        session.getUserProperties().put(TAIL, tail.thenComposeAsync(done -> handle(caller, session, frame), sockets.executor()));
    }

    /** Works on a frame; the stage completes when its effect is done, and a refusal has been answered with an error frame. */
    private CompletableFuture<Void> handle(Caller caller, Session session, JsonNode frame) {
        CompletionStage<?> done;
        try {
            done = frames.handle(caller, session, frame);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.<Void>handle((result, failure) -> {
            if (failure != null) {
                refused(session, frame, failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
            }
            return null;
        }).toCompletableFuture();
    }

    private void refused(Session session, JsonNode frame, Throwable failure) {
        String ref = frame.path("clientMsgId").asText(null);
        if (failure instanceof DomainException e) {
            String code = e.status() == 403 ? "not-allowed" : e.slug();
            sockets.sendTo(session, error(code, e.detail(), ref));
        } else {
            LOG.log(java.util.logging.Level.WARNING, "a frame could not be handled", failure);
            sockets.sendTo(session, error("server-error", "the frame could not be handled", ref));
        }
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        Caller caller = (Caller) session.getUserProperties().get(CALLER);
        if (caller != null) {
            frames.closed(caller, session);
        }
    }

    @OnError
    public void error(Session session, Throwable t) {
        LOG.fine(() -> "socket error: " + t);
    }

    static Map<String, Object> error(String code, String detail, String ref) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "error");
        f.put("code", code);
        f.put("detail", detail);
        if (ref != null) {
            f.put("ref", ref);
        }
        return f;
    }

    private static String token(Session session) {
        List<String> fromQuery = session.getRequestParameterMap().get("access_token");
        if (fromQuery != null && !fromQuery.isEmpty()) {
            return fromQuery.get(0);
        }
        String protocol = session.getNegotiatedSubprotocol();
        return protocol == null || protocol.isBlank() ? null : protocol;
    }

    /** A token bucket per socket: {@code burst} frames at once, refilled at {@code perSecond}. */
    static final class RateLimit {
        private final double burst;
        private final double perSecond;
        private double tokens;
        private long last = System.nanoTime();

        RateLimit(double burst, double perSecond) {
            this.burst = burst;
            this.perSecond = perSecond;
            this.tokens = burst;
        }

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    static UUID uuid(JsonNode frame, String field) {
        try {
            return UUID.fromString(frame.path(field).asText());
        } catch (IllegalArgumentException e) {
            throw org.parley.common.Problems.badRequest(field + " must be a UUID", List.of());
        }
    }

    static Channel channel(JsonNode frame) {
        try {
            return Channel.valueOf(frame.path("channel").asText());
        } catch (IllegalArgumentException e) {
            throw org.parley.common.Problems.badRequest("channel must be CHAT, VOICE or VIDEO", List.of());
        }
    }
}
