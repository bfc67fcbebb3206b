package org.parley.crash;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;
import org.parley.it.support.Api;
import org.parley.it.support.Razorpay;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A WildFly of a fault test's own, with the built EAR deployed from its deployments folder: started as a process,
 * killed with SIGKILL (the process and its children, by their pids), started again on the same folder, stopped in
 * order. Ports are the standard ones plus {@code offset}; the database is the one given (the suite's by default).
 */
public final class OwnServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path base;
    private final int offset;
    private final List<String> properties;
    private String config = "parley.xml";
    private Process process;
    private Instant readyAt;

    private OwnServer(Path base, int offset, List<String> properties) {
        this.base = base;
        this.offset = offset;
        this.properties = properties;
    }

    /**
     * A fresh server folder {@code name} under the test work folder with WildFly's configuration and the EAR;
     * {@code dbUrl} null means the suite's database; {@code extra} are more {@code -D} settings ("name=value").
     */
    public static OwnServer prepare(String name, int offset, String dbUrl, String... extra) throws IOException {
        Path home = Path.of(System.getProperty("jboss.home"));
        Path base = Path.of(System.getProperty("parley.it.work", "target/it")).toAbsolutePath().resolve(name);
        if (Files.exists(base)) {
            try (var old = Files.walk(base)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        try (var files = Files.list(home.resolve("standalone/configuration"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, base.resolve("configuration").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.copy(Path.of(System.getProperty("parley.ear")), base.resolve("deployments/parley.ear"), StandardCopyOption.REPLACE_EXISTING);
        List<String> props = new ArrayList<>(List.of(
                "-Dparley.db.url=" + (dbUrl == null ? System.getProperty("parley.it.db.url") : dbUrl), "-Dparley.db.user=postgres",
                "-Dparley.data.dir=" + base.resolve("data"),
                "-Dparley.admin.email=" + System.getProperty("parley.it.admin.email"),
                "-Dparley.admin.password=" + System.getProperty("parley.it.admin.password"),
                "-Dparley.password.bcrypt-cost=6", "-Dparley.live.node-timeout-seconds=5"));
        for (String e : extra) {
            props.add("-D" + e);
        }
        return new OwnServer(base, offset, props);
    }

    /** As {@link #prepare} on the suite's database, with the suite's WireMock as Razorpay (its test keys). */
    public static OwnServer withRazorpay(String name, int offset) throws IOException {
        return prepare(name, offset, null, "parley.razorpay.base-url=http://127.0.0.1:" + System.getProperty("parley.it.razorpay.port"),
                "parley.razorpay.key-id=" + Razorpay.KEY_ID, "parley.razorpay.key-secret=" + Razorpay.KEY_SECRET,
                "parley.razorpay.webhook-secret=" + Razorpay.WEBHOOK_SECRET);
    }

    public Path base() {
        return base;
    }

    /**
     * Makes this server a node of a cluster: the clustered profile ({@code parley-ha.xml}), its node name, the data
     * folder the nodes share (one JWT key pair, one file store) and more {@code -D} settings ("name=value").
     */
    public OwnServer clustered(String node, Path sharedData, String... extra) {
        config = "parley-ha.xml";
        properties.removeIf(p -> p.startsWith("-Dparley.data.dir="));
        properties.add("-Dparley.data.dir=" + sharedData);
        properties.add("-Djboss.node.name=" + node);
        for (String e : extra) {
            properties.add("-D" + e);
        }
        return this;
    }

    public int httpPort() {
        return 8080 + offset;
    }

    public int managementPort() {
        return 9990 + offset;
    }

    /** WildFly's server log (Parley's log lines included). */
    public Path log() {
        return base.resolve("log/server.log");
    }

    /** The Prometheus counter {@code name} (e.g. {@code parley_charges_total}) on this server's management port, 0 if absent. */
    public double metric(String name) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /**
     * The members of this node's JGroups channel {@code ee} as its management model gives them (e.g. {@code node-a,
     * node-b}), empty when it cannot be asked.
     */
    public List<String> clusterMembers() {
        ModelNode view = manage("read-attribute", "view", "subsystem", "jgroups", "channel", "ee");
        if (!view.isDefined()) {
            return List.of();
        }
        // "[node-a|3] (2) [node-a, node-b]": the members are the last bracket's
        String text = view.asString();
        int open = text.lastIndexOf('[');
        int close = text.lastIndexOf(']');
        return open < 0 || close < open ? List.of()
                : List.of(text.substring(open + 1, close).split(",\\s*")).stream().map(m -> m.replaceAll("\\(.*\\)$", "")).toList();
    }

    /** How many other nodes this node's Artemis cluster connection has bridged to (the live-events topic crosses them). */
    public int artemisPeers() {
        ModelNode nodes = manage("get-nodes", null, "subsystem", "messaging-activemq", "server", "default", "cluster-connection", "my-cluster");
        return nodes.isDefined() ? nodes.keys().size() : 0;
    }

    /** An operation on this server's management model, through its local (same user) authentication; undefined on failure. */
    private ModelNode manage(String operation, String attribute, String... address) {
        try (ModelControllerClient client = ModelControllerClient.Factory.create("remote+http", "127.0.0.1", managementPort())) {
            ModelNode op = new ModelNode();
            op.get("operation").set(operation);
            for (int i = 0; i < address.length; i += 2) {
                op.get("address").add(address[i], address[i + 1]);
            }
            if (attribute != null) {
                op.get("name").set(attribute);
            }
            ModelNode result = client.execute(op);
            return "success".equals(result.get("outcome").asString()) ? result.get("result") : new ModelNode();
        } catch (IOException e) {
            return new ModelNode();
        }
    }

    /** The REST base, {@code http://127.0.0.1:8080+offset}. */
    public String url() {
        return "http://127.0.0.1:" + (8080 + offset);
    }

    public String websocketUrl() {
        return "ws://127.0.0.1:" + (8080 + offset) + "/ws/live";
    }

    /** The management port's readiness URL. */
    public String readinessUrl() {
        return "http://127.0.0.1:" + (9990 + offset) + "/health/ready";
    }

    /** The pid of the running server's JVM (the launch script's child). */
    public long pid() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    /** Starts the server and waits until it serves the API; returns the instant it was first seen serving. */
    public Instant start() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("jboss.home"));
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(), "-c", config,
                "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset));
        command.addAll(properties);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("console.log").toFile()));
        pb.environment().put("JBOSS_HOME", home.toString());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        String heap = System.getProperty("parley.own-server.heap"); // WildFly's default is 512 MB; benchmarks want more
        if (heap != null) {
            pb.environment().put("JBOSS_JAVA_SIZING", "-Xms" + heap + " -Xmx" + heap);
        }
        process = pb.start();
        readyAt = awaitServing();
        return readyAt;
    }

    public Instant readyAt() {
        return readyAt;
    }

    private Instant awaitServing() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited; see " + base.resolve("console.log"));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/experts")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return Instant.now();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("the server did not become ready; see " + base.resolve("console.log"));
    }

    /** The readiness check's HTTP status now (200 UP, 503 DOWN), or -1 when nothing answers. */
    public int readiness() {
        return status(readinessUrl());
    }

    /** The HTTP status of a GET of {@code url} now, or -1 when nothing answers within 5 s. */
    public static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL to the server and every process it started (by pid), waiting until all are gone. */
    public void killMinus9() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        for (ProcessHandle p : tree) {
            p.onExit().join();
        }
        process.onExit().join();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** An orderly stop (SIGTERM to the process tree), forced after a minute. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            List<ProcessHandle> tree = process.descendants().toList();
            tree.forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    // --- set-up through the API, shared by the fault tests -----------------------------------------------------------

    public Api api(String address) {
        return new Api(address, url());
    }

    public static String login(Api api, String email, String password) {
        Api.Resp r = api.post("/auth/login", null, Map.of("email", email, "password", password));
        assertEquals(200, r.status(), r::toString);
        return r.json().get("accessToken").asText();
    }

    public static String adminToken(Api api) {
        return login(api, System.getProperty("parley.it.admin.email"), System.getProperty("parley.it.admin.password"));
    }

    public static String register(Api api, String email, String role) {
        Api.Resp r = api.post("/auth/register", null, Map.of("email", email, "password", "fault test password", "name", "Fault", "role", role));
        assertEquals(201, r.status(), r::toString);
        return r.json().get("id").asText();
    }

    /** An approved expert offering CHAT at {@code rate} paise: its id and token. */
    public static String[] expert(Api api, String admin, long rate) {
        String email = "fault-expert-" + UUID.randomUUID() + "@it.parley.test";
        String id = register(api, email, "EXPERT");
        String token = login(api, email, "fault test password");
        api.put("/experts/me", token, Map.of("title", "Fault listener", "specialties", List.of("x"), "languages", List.of("en"),
                "rates", Map.of("CHAT", rate)));
        for (String step : List.of("DOCUMENTS_VERIFIED", "CALL_SCHEDULED", "CALL_DONE", "APPROVED")) {
            assertEquals(200, api.put("/admin/expert-applications/" + id, admin, Map.of("status", step)).status());
        }
        return new String[]{id, token};
    }

    /** A user with {@code paise} in the wallet: its id and token. */
    public static String[] fundedUser(Api api, String admin, long paise) {
        String email = "fault-user-" + UUID.randomUUID() + "@it.parley.test";
        String id = register(api, email, "USER");
        String token = login(api, email, "fault test password");
        Api.Resp r = api.sendWithHeaders("POST", "/admin/wallets/" + id + "/adjustments", Map.of("amount", paise, "reason", "fault test"),
                "application/json", "Authorization", "Bearer " + admin, "Idempotency-Key", UUID.randomUUID().toString());
        assertEquals(201, r.status(), r::toString);
        return new String[]{id, token};
    }
}
