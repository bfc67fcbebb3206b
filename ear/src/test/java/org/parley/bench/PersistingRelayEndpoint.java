package org.parley.bench;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The chat benchmark's second baseline, deployed only with it: the raw relay plus the cheapest persistence there is —
 * each text frame is stored by one auto-commit INSERT (Parley's datasource, on the thread that received the frame)
 * before it is forwarded to the other side. No authentication, no JSON, no sequence numbers, no locks, no grouping.
 * It shows what storing a line before relaying it costs by itself on this machine.
 */
@ServerEndpoint("/bench/persisting-relay/{pair}/{side}")
public class PersistingRelayEndpoint {

    static final String TABLE = "bench_relay_line";
    private static final RelayPairs PAIRS = new RelayPairs();
    private static volatile DataSource dataSource;

    @OnOpen
    public void open(Session session, @PathParam("pair") String pair, @PathParam("side") String side) {
        PAIRS.open(pair, side, session);
    }

    @OnMessage
    public void message(String text, @PathParam("pair") String pair, @PathParam("side") String side) throws SQLException {
        try (Connection c = dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("insert into " + TABLE + " (pair, body) values (?, ?)")) {
            insert.setInt(1, Integer.parseInt(pair));
            insert.setString(2, text);
            insert.executeUpdate();
        }
        PAIRS.forward(pair, side, text);
    }

    @OnClose
    public void close(@PathParam("pair") String pair, @PathParam("side") String side) {
        PAIRS.close(pair, side);
    }

    private static DataSource dataSource() {
        if (dataSource == null) {
            try {
                dataSource = (DataSource) new InitialContext().lookup("java:jboss/datasources/ParleyDS");
            } catch (NamingException e) {
                throw new IllegalStateException("Parley's datasource is not bound", e);
            }
        }
        return dataSource;
    }
}
