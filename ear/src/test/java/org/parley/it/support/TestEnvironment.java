package org.parley.it.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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
 * Starts what the server needs before Arquillian boots WildFly, and stops it when the test run ends: a fresh
 * embedded PostgreSQL (the datasource must answer when the EAR deploys) and a WireMock server standing in for
 * Razorpay over real HTTP. Publishes their ports and the server's data folder as system properties that
 * arquillian.xml and the tests read.
 */
public class TestEnvironment implements LauncherSessionListener {

    private static EmbeddedDatabase database;
    private static WireMockServer razorpay;

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
        razorpay = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        razorpay.start();
        System.setProperty("parley.it.razorpay.port", Integer.toString(razorpay.port()));
    }

    /** The WireMock server playing Razorpay. */
    public static WireMockServer razorpay() {
        return razorpay;
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (razorpay != null) {
            razorpay.stop();
            razorpay = null;
        }
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
