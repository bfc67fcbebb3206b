package org.parley.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads (and, where a test must stage or tamper, writes) the real database the server uses. */
public final class Db {

    private Db() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(System.getProperty("parley.it.db.url"), "postgres", "postgres");
    }

    public static long count(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    public static String string(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    public static int exec(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    /** Like {@link #exec}, but the database's refusal reaches the caller (a test of a constraint). */
    public static int execChecked(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args)) {
            return s.executeUpdate();
        }
    }

    /**
     * Runs {@code sql} (a {@code select ... for update}) in a transaction left open, so the rows it locks stay locked
     * until the returned handle is closed (rolled back): a request that needs them waits meanwhile.
     */
    public static AutoCloseable lock(String sql, Object... args) {
        try {
            Connection c = connect();
            c.setAutoCommit(false);
            try (PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    c.close();
                    throw new AssertionError("nothing to lock: " + sql);
                }
            }
            return () -> {
                if (!c.isClosed()) { // closing twice is harmless
                    c.rollback();
                    c.close();
                }
            };
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }
}
