package org.parley.bench;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline of the chat benchmark, deployed only with it: a trivial relay that forwards each text frame of one
 * side of a pair to the other side, with no authentication, no persistence and no JSON.
 */
@ServerEndpoint("/bench/relay/{pair}/{side}")
public class RawRelayEndpoint {

    static final Map<String, Session> SOCKETS = new ConcurrentHashMap<>();

    @OnOpen
    public void open(Session session, @PathParam("pair") String pair, @PathParam("side") String side) {
        SOCKETS.put(pair + "/" + side, session);
    }

    @OnMessage
    public void message(String text, @PathParam("pair") String pair, @PathParam("side") String side) {
        Session other = SOCKETS.get(pair + "/" + ("a".equals(side) ? "b" : "a"));
        if (other != null && other.isOpen()) {
            other.getAsyncRemote().sendText(text);
        }
    }

    @OnClose
    public void close(@PathParam("pair") String pair, @PathParam("side") String side) {
        SOCKETS.remove(pair + "/" + side);
    }
}
