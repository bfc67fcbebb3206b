package org.parley.ws.support;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.parley.common.Problems;
import org.parley.identity.Caller;
import org.parley.support.SupportDesk;
import org.parley.ws.AdmittedEndpoint;
import org.parley.ws.SocketRegistry;
import org.parley.ws.live.LiveConfigurator;
import org.parley.ws.live.LiveSockets;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code /ws/support}: admitted like {@code /ws/live} (token, Origin, frame size, rate). {@code support-message
 * {ticketId, body, clientMsgId}} is stored by the desk (numbered) before it is relayed, to the requester's sockets and
 * every admin's; {@code typing {ticketId}} reaches the others only.
 */
@ServerEndpoint(value = "/ws/support", configurator = LiveConfigurator.class)
public class SupportEndpoint extends AdmittedEndpoint {

    @Inject
    private SupportSockets sockets;
    @Inject
    private LiveSockets live;
    @Inject
    private SupportDesk desk;

    @Override
    protected SocketRegistry sockets() {
        return sockets;
    }

    @Override
    protected Executor executor() {
        return live.executor();
    }

    @Override
    protected void opened(Caller caller, Session session) {
        sockets.add(caller.id(), session);
        if (caller.isAdmin()) {
            sockets.watch(caller.id(), session);
        }
    }

    @Override
    protected void closed(Caller caller, Session session) {
        sockets.remove(caller.id(), session);
    }

    @Override
    protected CompletionStage<?> handle(Caller caller, Session session, JsonNode frame) {
        switch (frame.path("type").asText("")) {
            case "ping" -> sockets.sendTo(session, Map.of("type", "pong"));
            case "support-message" -> desk.post(caller, uuid(frame, "ticketId"), body(frame), false, List.of(), clientMsgId(frame));
            case "typing" -> desk.typing(caller, uuid(frame, "ticketId"));
            default -> sockets.sendTo(session, error("unknown-type", "unknown frame type '" + frame.path("type").asText("") + "'", null));
        }
        return CompletableFuture.completedFuture(null);
    }

    private static String body(JsonNode frame) {
        String body = frame.path("body").asText("");
        if (body.isBlank() || body.length() > 10_000) {
            throw Problems.badRequest("body must be 1 to 10,000 characters", List.of());
        }
        return body;
    }

    private static String clientMsgId(JsonNode frame) {
        String id = frame.path("clientMsgId").asText(null);
        if (id != null && id.length() > 64) {
            throw Problems.badRequest("clientMsgId is at most 64 characters", List.of());
        }
        return id;
    }
}
