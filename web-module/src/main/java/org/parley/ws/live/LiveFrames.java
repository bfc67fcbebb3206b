package org.parley.ws.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import org.parley.api.JacksonConfig;
import org.parley.booking.BookingService;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.expert.ExpertService;
import org.parley.identity.Caller;
import org.parley.live.ChatGroupCommit;
import org.parley.live.ChatService;
import org.parley.live.LiveEvents;
import org.parley.live.Presence;
import org.parley.live.SessionQueue;
import org.parley.live.SessionService;
import org.parley.live.SessionStatus;
import org.parley.live.SessionView;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What each client frame of {@code /ws/live} means: the session and chat frames call the session service (whose
 * frames reach both sides after commit); signalling frames are relayed, with {@code fromId}, only to the other
 * participant of a live session. Media never passes through here. {@code get-online-experts} answers the list and
 * subscribes that socket to {@code expert-online} / {@code expert-offline} (the "interested clients"): presence is not
 * pushed to sockets that never asked, so 2,000 experts connecting do not cost 2,000 frames to every socket.
 */
@ApplicationScoped
public class LiveFrames {

    private static final Set<String> SIGNALLING = Set.of("call-offer", "call-answer", "ice-candidate", "call-ended", "call-rejected");

    @Inject
    private LiveSockets sockets;
    @Inject
    private LiveEvents events;
    @Inject
    private SessionService sessions;
    @Inject
    private ExpertService experts;
    @Inject
    private SessionQueue queue;
    @Inject
    private ChatGroupCommit chat;
    @Inject
    private Presence presence;
    @Inject
    private BookingService bookings;

    void opened(Caller caller, Session session) {
        sockets.add(caller.id(), session);
        presence.connected(caller);
    }

    void closed(Caller caller, Session session) {
        sockets.remove(caller.id(), session);
        presence.disconnected(caller);
    }

    /** A chat line from a socket's I/O thread: queued for the next group, never stored on the calling thread. */
    CompletionStage<?> queueChat(Caller caller, JsonNode frame) {
        return chat.queue(line(caller, frame));
    }

    private static ChatService.Line line(Caller caller, JsonNode frame) {
        return new ChatService.Line(caller.id(), LiveEndpoint.uuid(frame, "sessionId"), body(frame), frame.path("clientMsgId").asText(null));
    }

    /**
     * Works on one frame; the returned stage completes when the frame's effect is done (a chat line: once its group
     * has committed), and fails with the reason it was refused.
     */
    CompletionStage<?> handle(Caller caller, Session session, JsonNode frame) {
        String type = frame.path("type").asText("");
        if ("chat-message".equals(type)) {
            return chat.submit(line(caller, frame));
        }
        switch (type) {
            case "ping" -> sockets.sendTo(session, Map.of("type", "pong"));
            case "get-online-experts" -> {
                sockets.watch(caller.id(), session);
                sockets.sendTo(session, Map.of("type", "online-experts", "experts",
                        experts.directory(new ExpertService.DirectoryQuery(null, null, true, null, null, null, "rating"),
                                new PageRequest(0, PageRequest.MAX_SIZE)).items()));
            }
            case "request-session" -> sessions.request(caller, LiveEndpoint.uuid(frame, "expertId"), LiveEndpoint.channel(frame), true);
            case "leave-queue" -> queue.leave(caller, LiveEndpoint.uuid(frame, "expertId"));
            case "end-session" -> sessions.end(caller, LiveEndpoint.uuid(frame, "sessionId"));
            case "join-booking" -> bookings.join(caller, LiveEndpoint.uuid(frame, "bookingId"));
            default -> {
                if (SIGNALLING.contains(type)) {
                    relay(caller, frame);
                } else {
                    sockets.sendTo(session, LiveEndpoint.error("unknown-type", "unknown frame type '" + type + "'", null));
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private void relay(Caller caller, JsonNode frame) {
        SessionView s = sessions.get(caller, LiveEndpoint.uuid(frame, "sessionId"));
        if (s.status() == SessionStatus.ENDED) {
            throw Problems.conflict("session-ended", "the session has ended");
        }
        UUID other = s.userId().equals(caller.id()) ? s.expertId() : s.userId();
        ObjectNode relayed = ((ObjectNode) frame.deepCopy()).put("fromId", caller.id().toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> asMap = JacksonConfig.MAPPER.convertValue(relayed, Map.class);
        events.publish(other, asMap); // to the other side's sockets on this node and, with cluster fan-out, on the others
    }

    private static String body(JsonNode frame) {
        String body = frame.path("body").asText("");
        if (body.isBlank() || body.length() > 4000) {
            throw Problems.badRequest("body must be 1 to 4000 characters", List.of());
        }
        return body;
    }
}
