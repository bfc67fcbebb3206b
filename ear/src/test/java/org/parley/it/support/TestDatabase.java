package org.parley.it.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.parley.devserver.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;

/**
 * Starts a fresh embedded PostgreSQL before Arquillian boots WildFly (the datasource must answer when the EAR
 * deploys) and stops it when the test run ends. Publishes its port and the server's data folder as system
 * properties that arquillian.xml and the tests read.
 */
public class TestDatabase implements LauncherSessionListener {

    private static EmbeddedDatabase database;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (database != null) {
            return;
        }
        Path work = Path.of(System.getProperty("parley.it.work", "target/it")).toAbsolutePath();
        Path data = work.resolve("pgdata");
        deleteRecursively(data);
        deleteRecursively(work.resolve("server"));
        database = EmbeddedDatabase.start(data, work.getParent().resolve("pg-runtime"), 0);
        System.setProperty("parley.it.db.port", Integer.toString(database.port()));
        System.setProperty("parley.it.db.url", database.jdbcUrl());
        System.setProperty("parley.it.work", work.toString());
        System.setProperty("parley.it.data.dir", work.resolve("server-data").toString());
        System.setProperty("parley.it.admin.email", "admin@parley.test");
        System.setProperty("parley.it.admin.password", "it-" + UUID.randomUUID());
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
