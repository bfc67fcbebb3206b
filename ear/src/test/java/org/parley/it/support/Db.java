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

    /** Reads on one connection kept open to the suite's database (for tests that read a dozen times a step). */
    public static Kept keep() {
        return new Kept(System.getProperty("parley.it.db.url"));
    }

    /** Reads on one connection kept open to the database at {@code url} (a fault test's own), opened on first use. */
    public static Kept keep(String url) {
        return new Kept(url);
    }

    /** A connection kept open for reads; reopened if it was closed (the database restarted). */
    public static final class Kept implements AutoCloseable {
        private final String url;
        private Connection connection;

        private Kept(String url) {
            this.url = url;
        }

        private PreparedStatement statement(String sql, Object... args) throws SQLException {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, "postgres", "postgres");
            }
            return prepare(connection, sql, args);
        }

        public long count(String sql, Object... args) {
            try (PreparedStatement s = statement(sql, args); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new AssertionError(sql, e);
            }
        }

        public String string(String sql, Object... args) {
            try (PreparedStatement s = statement(sql, args); ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            } catch (SQLException e) {
                throw new AssertionError(sql, e);
            }
        }

        /** The first two columns of every row, keyed by the first. */
        public java.util.Map<String, String> pairs(String sql, Object... args) {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            try (PreparedStatement s = statement(sql, args); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
                return out;
            } catch (SQLException e) {
                throw new AssertionError(sql, e);
            }
        }

        @Override
        public void close() throws SQLException {
            if (connection != null) {
                connection.close();
            }
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
