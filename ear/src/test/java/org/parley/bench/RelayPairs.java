package org.parley.bench;

import jakarta.websocket.Session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sockets of a benchmark relay, by pair and side ("a" or "b"): what one side sends goes to the other. */
final class RelayPairs {

    private final Map<String, Session> sockets = new ConcurrentHashMap<>();

    void open(String pair, String side, Session session) {
        sockets.put(pair + "/" + side, session);
    }

    void close(String pair, String side) {
        sockets.remove(pair + "/" + side);
    }

    void forward(String pair, String fromSide, String text) {
        Session other = sockets.get(pair + "/" + ("a".equals(fromSide) ? "b" : "a"));
        if (other != null && other.isOpen()) {
            other.getAsyncRemote().sendText(text);
        }
    }
}
