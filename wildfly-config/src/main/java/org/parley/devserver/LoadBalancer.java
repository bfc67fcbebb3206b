package org.parley.devserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * HAProxy in front of Parley's nodes, for HTTP and WebSocket: its configuration, written from the list of nodes, and
 * the process (Debian's {@code haproxy} package). Why HAProxy rather than WildFly's own balancer is in
 * {@code docs/cluster.md}. The operator's template for nodes on several machines is {@code docs/haproxy.cfg}.
 */
public final class LoadBalancer implements AutoCloseable {

    /** A node behind the balancer: its HTTP port and its management port (where readiness is checked). */
    public record Node(String name, String host, int httpPort, int managementPort) {
    }

    private final Process process;

    private LoadBalancer(Process process) {
        this.process = process;
    }

    /** {@code haproxy} on the PATH, if installed. */
    public static Optional<Path> executable() {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .flatMap(dir -> Stream.of(Path.of(dir, "haproxy")))
                .filter(Files::isExecutable).findFirst()
                .or(() -> Optional.of(Path.of("/usr/sbin/haproxy")).filter(Files::isExecutable));
    }

    /**
     * The configuration: one HTTP front on {@code port}, the nodes behind it balanced by least connections (sockets
     * are long-lived), each checked at its readiness endpoint once a second; a node marked down has its connections cut
     * (clients reconnect to a live one); a request that cannot connect is tried on another node. Nothing else is retried:
     * a request that reached a node may have done its work (clients retry with their {@code Idempotency-Key}).
     */
    public static String configuration(String bindAddress, int port, List<Node> nodes) {
        StringBuilder servers = new StringBuilder();
        for (Node n : nodes) {
            servers.append("    server %s %s:%d check port %d%n".formatted(n.name(), n.host(), n.httpPort(), n.managementPort()));
        }
        return """
                # Written by Parley's launcher (org.parley.devserver.LoadBalancer); the template for several machines is docs/haproxy.cfg.
                global
                    # connections: as many as the open-files limit allows (ulimit -n; each proxied socket takes two)

                defaults
                    mode http
                    option http-server-close
                    option forwardfor
                    option redispatch
                    retries 3
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    # an open WebSocket is a tunnel; Parley's clients ping well within this
                    timeout tunnel 1h
                    timeout http-request 10s

                frontend parley
                    bind %s:%d
                    default_backend nodes

                backend nodes
                    balance leastconn
                    option httpchk GET /health/ready
                    http-check expect status 200
                    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
                %s""".formatted(bindAddress, port, servers);
    }

    /** Writes the configuration to {@code file} and starts HAProxy on it in the foreground (stopped by {@link #close}). */
    public static LoadBalancer start(Path executable, Path file, String configuration, Path log) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, configuration);
        Process p = new ProcessBuilder(executable.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new LoadBalancer(p);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
