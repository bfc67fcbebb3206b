package org.parley.bench;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;


/**
 * The baseline of the chat benchmark, deployed only with it: a trivial relay that forwards each text frame of one
 * side of a pair to the other side, with no authentication, no persistence and no JSON.
 */
@ServerEndpoint("/bench/relay/{pair}/{side}")
public class RawRelayEndpoint {

    private static final RelayPairs PAIRS = new RelayPairs();

    @OnOpen
    public void open(Session session, @PathParam("pair") String pair, @PathParam("side") String side) {
        PAIRS.open(pair, side, session);
    }

    @OnMessage
    public void message(String text, @PathParam("pair") String pair, @PathParam("side") String side) {
        PAIRS.forward(pair, side, text);
    }

    @OnClose
    public void close(@PathParam("pair") String pair, @PathParam("side") String side) {
        PAIRS.close(pair, side);
    }
}
