package org.parley.ws.live;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.parley.identity.Caller;
import org.parley.ws.AdmittedEndpoint;
import org.parley.ws.SocketRegistry;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code /ws/live}: admitted as every Parley socket is ({@link AdmittedEndpoint}); each frame is handed to
 * {@link LiveFrames}. A chat line, when nothing of its socket is pending, joins the group commit from the I/O thread at
 * once (queued: the group is stored on the executor).
 */
@ServerEndpoint(value = "/ws/live", configurator = LiveConfigurator.class)
public class LiveEndpoint extends AdmittedEndpoint {

    @Inject
    private LiveFrames frames;
    @Inject
    private LiveSockets sockets;

    @Override
    protected SocketRegistry sockets() {
        return sockets;
    }

    @Override
    protected Executor executor() {
        return sockets.executor();
    }

    @Override
    protected void opened(Caller caller, Session session) {
        frames.opened(caller, session);
    }

    @Override
    protected void closed(Caller caller, Session session) {
        frames.closed(caller, session);
    }

    @Override
    protected CompletionStage<?> handle(Caller caller, Session session, JsonNode frame) {
        return frames.handle(caller, session, frame);
    }

    @Override
    protected CompletionStage<?> fastPath(Caller caller, JsonNode frame) {
        return "chat-message".equals(frame.path("type").asText()) ? frames.queueChat(caller, frame) : null;
    }
}
