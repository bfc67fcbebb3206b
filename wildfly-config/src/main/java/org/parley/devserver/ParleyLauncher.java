package org.parley.devserver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The run command: starts the embedded PostgreSQL (unless {@code PARLEY_DB_URL} names an external one),
 * then WildFly with Parley's EAR, waits until it is ready, says where to look, and stops both on Ctrl-C.
 *
 * <p>With {@code PARLEY_NODES=N} (N &gt; 1) it starts N clustered nodes instead ({@code parley-ha.xml}, node
 * {@code i} at port offset {@code 1000 + 100 (i-1)}: HTTP 9080, 9180, ...) and HAProxy in front of them on the HTTP
 * port (8080), if {@code haproxy} is installed.
 *
 * <p>Everything that must survive a restart lives under the Parley home ({@code .parley/} in the project):
 * {@code pgdata/} the database, {@code data/} keys (shared by the nodes), {@code server/} (or {@code node-i/})
 * WildFly's base directory and its logs.
 */
public final class ParleyLauncher {

    private static final Logger LOG = Logger.getLogger(ParleyLauncher.class.getName());

    private final Path home;
    private final Path wildflyHome;
    private final Path ear;
    private final List<Process> wildflies = new ArrayList<>();
    private EmbeddedDatabase database;
    private LoadBalancer balancer;

    private ParleyLauncher(Path home, Path wildflyHome, Path ear) {
        this.home = home;
        this.wildflyHome = wildflyHome;
        this.ear = ear;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(required("parley.home")).toAbsolutePath();
        Path wildflyHome = Path.of(required("parley.wildfly.home")).toAbsolutePath();
        Path ear = Path.of(required("parley.ear")).toAbsolutePath();
        new ParleyLauncher(home, wildflyHome, ear).run();
    }

    private void run() throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "parley-shutdown"));
        String dbUrl = Settings.get("PARLEY_DB_URL", "parley.db.url", null);
        List<String> props = new ArrayList<>();
        if (dbUrl == null) {
            int port = Integer.parseInt(Settings.get("PARLEY_EMBEDDED_DB_PORT", "parley.embedded-db.port", "15432"));
            // stopped by stop(), after WildFly: zonky's own exit hook would stop it while WildFly is still shutting down
            database = EmbeddedDatabase.start(home.resolve("pgdata"), home.resolve("pg-runtime"), port, false, true);
            props.add("-Dparley.db.url=" + database.jdbcUrl());
            props.add("-Dparley.db.user=postgres");
            LOG.info("Embedded PostgreSQL on 127.0.0.1:" + port + ", data in " + home.resolve("pgdata"));
        } else {
            LOG.info("Using external PostgreSQL " + dbUrl + " (PARLEY_DB_URL); no embedded database started");
        }
        String adminNote = developmentAdmin(props);
        props.add("-Dparley.data.dir=" + home.resolve("data"));
        int nodes = Integer.parseInt(Settings.get("PARLEY_NODES", "parley.nodes", "1"));
        if (nodes <= 1) {
            Path base = prepareServerBase("server");
            props.add("-Djboss.server.base.dir=" + base);
            Process wildfly = startWildfly("parley.xml", props);
            awaitReady(wildfly, base, 9990);
            LOG.info(String.join(System.lineSeparator(), "",
                    "  Parley is up:  http://localhost:" + httpPort() + "/api/v1   (OpenAPI: http://localhost:" + httpPort() + "/openapi)",
                    "  Health:        http://localhost:9990/health/ready",
                    "  Server log:    " + base.resolve("log/server.log"),
                    "  Admin:         " + adminNote,
                    "  Data:          " + home + "   (Ctrl-C stops everything)"));
        } else {
            startCluster(nodes, props, adminNote);
        }
        for (Process p : wildflies) {
            LOG.info("WildFly exited with " + p.waitFor());
        }
    }

    private static String httpPort() {
        return Settings.get("PARLEY_HTTP_PORT", "jboss.http.port", "8080");
    }

    /** N nodes of the clustered profile on this machine, HAProxy in front of them when it is installed. */
    private void startCluster(int nodes, List<String> shared, String adminNote) throws Exception {
        int port = Integer.parseInt(httpPort());
        List<LoadBalancer.Node> members = new ArrayList<>();
        List<Path> bases = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            int offset = 1000 + 100 * (i - 1);
            String name = "node-" + i;
            Path base = prepareServerBase(name);
            List<String> props = new ArrayList<>(shared);
            props.add("-Djboss.server.base.dir=" + base);
            props.add("-Djboss.node.name=" + name);
            props.add("-Djboss.socket.binding.port-offset=" + offset);
            props.add("-Dparley.trust-forwarded-for=true");
            startWildfly("parley-ha.xml", props);
            members.add(new LoadBalancer.Node(name, "127.0.0.1", port + offset, 9990 + offset));
            bases.add(base);
        }
        for (int i = 0; i < nodes; i++) {
            awaitReady(wildflies.get(i), bases.get(i), members.get(i).managementPort());
        }
        List<String> lines = new ArrayList<>(List.of(""));
        var haproxy = LoadBalancer.executable();
        if (haproxy.isPresent()) {
            balancer = LoadBalancer.start(haproxy.get(), home.resolve("haproxy/haproxy.cfg"),
                    LoadBalancer.configuration("0.0.0.0", port, members), home.resolve("haproxy/haproxy.log"));
            lines.add("  Parley is up:  http://localhost:" + port + "/api/v1   (HAProxy in front of " + nodes + " nodes)");
        } else {
            LOG.warning("haproxy is not installed (apt-get install haproxy): no load balancer; use the nodes' own ports");
            lines.add("  Parley is up on " + nodes + " nodes, without a load balancer");
        }
        for (int i = 0; i < nodes; i++) {
            LoadBalancer.Node n = members.get(i);
            lines.add("  " + n.name() + ":        http://localhost:" + n.httpPort() + "/api/v1   health http://localhost:"
                    + n.managementPort() + "/health/ready   log " + bases.get(i).resolve("log/server.log"));
        }
        lines.add("  Admin:         " + adminNote);
        lines.add("  Data:          " + home + "   (Ctrl-C stops everything)");
        LOG.info(String.join(System.lineSeparator(), lines));
    }

    /** A server base directory of our own: fresh configuration from the build, deployments, logs, data. */
    private Path prepareServerBase(String name) throws IOException {
        Path base = home.resolve(name);
        Path config = base.resolve("configuration");
        Path deployments = base.resolve("deployments");
        Files.createDirectories(config);
        Files.createDirectories(deployments);
        Path stockConfig = wildflyHome.resolve("standalone/configuration");
        try (var files = Files.list(stockConfig)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, config.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (var old = Files.list(deployments)) {
            for (Path f : (Iterable<Path>) old::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.copy(ear, deployments.resolve("parley.ear"), StandardCopyOption.REPLACE_EXISTING);
        return base;
    }

    private Process startWildfly(String config, List<String> props) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(wildflyHome.resolve("bin/standalone.sh").toString());
        cmd.add("-c");
        cmd.add(config);
        cmd.addAll(props);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("JBOSS_HOME", wildflyHome.toString());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        Process p = pb.start();
        wildflies.add(p);
        return p;
    }

    /**
     * Without PARLEY_ADMIN_EMAIL the development server still gets a first admin: admin@parley.local with a
     * password generated once into the data folder (never a fixed password in the repository).
     */
    private String developmentAdmin(List<String> props) throws IOException {
        if (Settings.get("PARLEY_ADMIN_EMAIL", "parley.admin.email", null) != null) {
            return "first admin from PARLEY_ADMIN_EMAIL";
        }
        Path file = home.resolve("data/admin-password");
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            byte[] random = new byte[12];
            new java.security.SecureRandom().nextBytes(random);
            Files.writeString(file, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random));
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        props.add("-Dparley.admin.email=admin@parley.local");
        props.add("-Dparley.admin.password=" + Files.readString(file).trim());
        return "admin@parley.local, password in " + file;
    }

    private void awaitReady(Process wildfly, Path base, int managementPort) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        Path deployments = base.resolve("deployments");
        while (Instant.now().isBefore(deadline) && wildfly.isAlive()) {
            if (Files.exists(deployments.resolve("parley.ear.failed"))) {
                LOG.severe("Parley failed to deploy: see " + base.resolve("log/server.log"));
                return;
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 && Files.exists(deployments.resolve("parley.ear.deployed"))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    private void stop() {
        if (balancer != null) {
            balancer.close();
        }
        List<List<ProcessHandle>> trees = new ArrayList<>();
        for (Process wildfly : wildflies) {
            trees.add(wildfly.descendants().toList());
            if (wildfly.isAlive()) {
                LOG.info("Stopping WildFly");
                wildfly.destroy();
                trees.get(trees.size() - 1).forEach(ProcessHandle::destroy);
            }
        }
        for (int i = 0; i < wildflies.size(); i++) {
            Process wildfly = wildflies.get(i);
            List<ProcessHandle> tree = trees.get(i);
            try {
                if (!wildfly.waitFor(60, TimeUnit.SECONDS)) {
                    tree.forEach(ProcessHandle::destroyForcibly);
                    wildfly.destroyForcibly();
                }
                for (ProcessHandle p : tree) {
                    p.onExit().get(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        }
        if (database != null) {
            LOG.info("Stopping embedded PostgreSQL");
            database.close();
        }
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + property + " is required");
        }
        return v;
    }
}
