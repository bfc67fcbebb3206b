package org.parley.it.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.parley.devserver.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;

/**
 * Starts what the server needs before Arquillian boots WildFly, and stops it when the test run ends: a fresh
 * embedded PostgreSQL (the datasource must answer when the EAR deploys), a WireMock server standing in for
 * Razorpay over real HTTP, a GreenMail SMTP server receiving the platform's email, and s3proxy as the S3 store. Publishes their ports and the server's data folder as system properties that
 * arquillian.xml and the tests read.
 */
public class TestEnvironment implements LauncherSessionListener {

    private static EmbeddedDatabase database;
    private static WireMockServer razorpay;
    private static WireMockServer providers;
    private static GreenMail mail;

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
        // extra JVM options for the test server (diagnostics: -Dparley.it.jvm-options="-Xlog:gc:file=/tmp/gc.log"), none by default
        System.setProperty("parley.it.jvm-options", System.getProperty("parley.it.jvm-options", ""));
        System.setProperty("parley.it.admin.email", "admin@parley.test");
        System.setProperty("parley.it.admin.password", "it-" + UUID.randomUUID());
        // a fixed port, so DepositsIT can restart it where Parley expects it
        razorpay = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(freePort()));
        razorpay.start();
        System.setProperty("parley.it.razorpay.port", Integer.toString(razorpay.port()));
        // MSG91, the WhatsApp Cloud API (and Cashfree) answer on their own paths of one server
        providers = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(freePort()));
        providers.start();
        System.setProperty("parley.it.providers.port", Integer.toString(providers.port()));
        // Parley signs in to the SMTP peer (SMTP AUTH) with these; EmailDispatchIT changes the password to prove it.
        String smtpPassword = "smtp-" + UUID.randomUUID();
        mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("parley-smtp", smtpPassword));
        mail.start();
        System.setProperty("parley.it.smtp.user", "parley-smtp");
        System.setProperty("parley.it.smtp.password", smtpPassword);
        System.setProperty("parley.it.smtp.port", Integer.toString(mail.getSmtp().getPort()));
        startS3(work);
    }

    private static Process s3;

    /**
     * s3proxy, a real S3 server (SigV4, presigned URLs) on a filesystem backend, as its own process: its many
     * dependencies (Jetty, Logback, jclouds) stay off this JVM's class path.
     */
    private static void startS3(Path work) {
        try {
            int port = freePort();
            Path dir = work.resolve("s3");
            deleteRecursively(dir);
            Files.createDirectories(dir.resolve("data"));
            String identity = "parley-it";
            String credential = "s3-" + UUID.randomUUID();
            Path conf = dir.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + identity,
                    "s3proxy.credential=" + credential,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
            s3 = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-jar", System.getProperty("parley.it.s3proxy.jar"), "--properties", conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> s3.destroy()));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline || !s3.isAlive()) {
                        throw new IllegalStateException("s3proxy did not start; see " + dir.resolve("s3proxy.log"));
                    }
                    Thread.sleep(100);
                }
            }
            System.setProperty("parley.it.s3.port", Integer.toString(port));
            System.setProperty("parley.it.s3.identity", identity);
            System.setProperty("parley.it.s3.credential", credential);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The GreenMail SMTP server the platform's mail session sends to. */
    public static GreenMail mail() {
        return mail;
    }

    /** A port free on the loopback address now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The WireMock server playing MSG91, the WhatsApp Cloud API and Cashfree. */
    public static WireMockServer providers() {
        return providers;
    }

    /** The WireMock server playing Razorpay. */
    public static WireMockServer razorpay() {
        return razorpay;
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (s3 != null) {
            s3.destroy();
            s3 = null;
        }
        if (mail != null) {
            mail.stop();
            mail = null;
        }
        if (razorpay != null) {
            razorpay.stop();
            razorpay = null;
        }
        if (providers != null) {
            providers.stop();
            providers = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    public static void deleteRecursively(Path dir) {
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
