package org.parley.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
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
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What every Parley socket endpoint admits and how it works a frame: authenticated by the JWT ({@code access_token}
 * query parameter or the Sec-WebSocket-Protocol value; otherwise closed with 1008), frames over 64 KiB close the
 * socket (1009), a client over its message rate gets {@code error rate-limited} and 1008 (the Origin check is the
 * endpoints' configurator's). The callbacks run on Undertow's I/O threads and never block: the token check, the
 * socket's registration and each frame run on the executor, one frame of a socket after the other. Subclasses say
 * what a frame means; nothing here decides anything.
 */
public abstract class AdmittedEndpoint {

    private static final Logger LOG = Logger.getLogger(AdmittedEndpoint.class.getName());
    public static final int MAX_FRAME = 64 * 1024;
    private static final String STATE = "parley.socket";

    /**
     * What a socket carries between frames: its rate limit, a frame being received in parts, who it is once the token
     * has been checked (on the executor), and the work of its last frame, which the next one waits behind.
     */
    private static final class SocketState {
        final RateLimit bucket = new RateLimit(20, 10);
        final StringBuilder buffer = new StringBuilder();
        volatile Caller caller;
        volatile CompletableFuture<Void> tail;
    }

    @Inject
    private TokenVerifier tokens;

    /** The hub's sockets (replies and errors go through it). */
    protected abstract SocketRegistry sockets();

    /** Where the socket's work runs, off the I/O threads. */
    protected abstract Executor executor();

    /** An authenticated socket is registered. */
    protected abstract void opened(Caller caller, Session session);

    /** A registered socket has closed. */
    protected abstract void closed(Caller caller, Session session);

    /**
     * Works on one frame on the executor; the stage completes when its effect is done, and fails with the reason it
     * was refused (answered with an error frame).
     */
    protected abstract CompletionStage<?> handle(Caller caller, Session session, JsonNode frame);

    /** A frame that may be worked on from the I/O thread at once (nothing before it pending), or null for the executor. */
    protected CompletionStage<?> fastPath(Caller caller, JsonNode frame) {
        return null;
    }

    /**
     * The endpoint's callbacks run on Undertow's I/O threads (configure.cli turns off dispatching them to workers: one
     * thread hand-off per frame was a fifth of the chat's CPU), so nothing here blocks: the token check and the socket's
     * registration (database work) run on the executor, and a socket's frames wait behind them.
     */
    @OnOpen
    public void open(Session session) {
        session.setMaxIdleTimeout(0);
        SocketState state = new SocketState();
        session.getUserProperties().put(STATE, state);
        String token = token(session);
        state.tail = CompletableFuture.runAsync(() -> authenticate(session, state, token), executor());
    }

    private void authenticate(Session session, SocketState state, String token) {
        Optional<Caller> caller = tokens.verify(token);
        if (caller.isEmpty()) {
            closeQuietly(session, new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "a valid access token is required"));
            return;
        }
        try {
            opened(caller.get(), session);
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "a socket could not be registered; closing it", e);
            closeQuietly(session, new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "try again"));
            return;
        }
        state.caller = caller.get();
    }

    private static void closeQuietly(Session session, CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException e) {
            LOG.fine(() -> "closing a socket failed: " + e);
        }
    }

    /** Frames arrive in parts; a frame longer than 64 KiB closes the socket with 1009 before it is buffered whole. */
    @OnMessage
    public void message(Session session, String part, boolean last) throws IOException {
        SocketState state = (SocketState) session.getUserProperties().get(STATE);
        StringBuilder buffer = state.buffer;
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
        if (!state.bucket.tryTake()) {
            sockets().sendTo(session, Map.of("type", "error", "code", "rate-limited", "detail", "too many frames"));
            session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "rate limited"));
            return;
        }
        JsonNode frame;
        try {
            frame = JacksonConfig.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            sockets().sendTo(session, error("bad-frame", "frames are JSON objects with a type", null));
            return;
        }
        CompletableFuture<Void> tail = state.tail;
        Caller caller = state.caller;
        if (caller != null && tail.isDone()) {
            CompletionStage<?> now;
            try {
                now = fastPath(caller, frame);
            } catch (RuntimeException e) {
                now = CompletableFuture.failedFuture(e);
            }
            if (now != null) {
                CompletionStage<?> started = now;
                state.tail = settle(session, frame, () -> started);
                return;
            }
        }
        // Everything else (database, relays) runs on the executor; frames of one socket still run one after another,
        // and only once the socket has been authenticated (a socket refused by then drops them).
        state.tail = tail.thenComposeAsync(done -> {
            Caller authenticated = state.caller;
            return authenticated == null ? CompletableFuture.completedFuture(null)
                    : settle(session, frame, () -> handle(authenticated, session, frame));
        }, executor());
    }

    /** Works on a frame; the stage completes when its effect is done, and a refusal has been answered with an error frame. */
    private CompletableFuture<Void> settle(Session session, JsonNode frame, Supplier<CompletionStage<?>> work) {
        CompletionStage<?> done;
        try {
            done = work.get();
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
            sockets().sendTo(session, error(code, e.detail(), ref));
        } else {
            LOG.log(java.util.logging.Level.WARNING, "a frame could not be handled", failure);
            sockets().sendTo(session, error("server-error", "the frame could not be handled", ref));
        }
    }

    /** After the socket's open and its frames in flight: its registration is taken off on the executor. */
    @OnClose
    public void close(Session session, CloseReason reason) {
        SocketState state = (SocketState) session.getUserProperties().get(STATE);
        state.tail.whenCompleteAsync((done, failure) -> {
            Caller caller = state.caller;
            if (caller != null) {
                closed(caller, session);
            }
        }, executor());
    }

    @OnError
    public void error(Session session, Throwable t) {
        LOG.fine(() -> "socket error: " + t);
    }

    public static Map<String, Object> error(String code, String detail, String ref) {
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

    public static UUID uuid(JsonNode frame, String field) {
        try {
            return UUID.fromString(frame.path(field).asText());
        } catch (IllegalArgumentException e) {
            throw org.parley.common.Problems.badRequest(field + " must be a UUID", List.of());
        }
    }

    public static Channel channel(JsonNode frame) {
        try {
            return Channel.valueOf(frame.path("channel").asText());
        } catch (IllegalArgumentException e) {
            throw org.parley.common.Problems.badRequest("channel must be CHAT, VOICE or VIDEO", List.of());
        }
    }
}
