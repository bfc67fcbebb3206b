package org.parley.devserver;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded PostgreSQL server (zonky binaries, no system install) with a {@code parley} database.
 * Used by the run command (data kept across restarts) and by the system tests (fresh data each run).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "parley";

    private final EmbeddedPostgres postgres;
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /**
     * Starts PostgreSQL on 127.0.0.1:{@code port} (0 picks a free port) keeping its data in {@code dataDir};
     * the binaries are extracted under {@code runtimeDir} so nothing lands in /tmp.
     */
    public static EmbeddedDatabase start(Path dataDir, Path runtimeDir, int port) {
        return start(dataDir, runtimeDir, port, true, false);
    }

    /**
     * As {@link #start(Path, Path, int)}; with {@code stopAtJvmExit} false the caller stops it (the run command stops
     * WildFly first and the database after, so WildFly's own shutdown can still write to it). {@code durable}: a commit
     * is acknowledged only once its WAL is flushed to disk ({@code synchronous_commit} and {@code fsync} on), so a crash
     * of PostgreSQL loses no acknowledged commit; zonky's default, kept for the throwaway test database, is
     * {@code synchronous_commit=off}, which may lose the last fraction of a second of acknowledged commits in a crash.
     */
    public static EmbeddedDatabase start(Path dataDir, Path runtimeDir, int port, boolean stopAtJvmExit, boolean durable) {
        try {
            Files.createDirectories(runtimeDir);
            Files.createDirectories(dataDir.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(runtimeDir.toFile())
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setRegisterShutdownHook(stopAtJvmExit);
            if (durable) {
                builder.setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").setServerConfig("full_page_writes", "on");
            }
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            EmbeddedDatabase db = new EmbeddedDatabase(pg, pg.getPort());
            db.createDatabaseIfAbsent();
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private void createDatabaseIfAbsent() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
