package org.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Resource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.identity.JwtKeys;
import org.parley.it.support.InContainer;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark, not a test ({@code ./mvnw -Pbench verify -Dit.test=ChatBench}). The same chat load pointed first at a
 * trivial relay ({@link RawRelayEndpoint}) and then at Parley's {@code /ws/live} (JWT-authenticated, each line
 * persisted with its sequence number under the session's row lock and relayed after commit), twice: PAIRS pairs each
 * sending RATE messages/s for SECONDS (after WARMUP_SECONDS of the same load, not counted), then CONNECTED_PAIRS pairs each sending 1 message/s. Prints delivered/s, latency
 * p50/p95/p99, lost, duplicated, reordered, the JVM's CPU and RSS.
 * Clients run in the server's JVM (the machine has two cores either way).
 */
@ExtendWith(ArquillianExtension.class)
class ChatBench {

    private static final int PAIRS = Integer.getInteger("parley.bench.pairs", 500);
    private static final int CONNECTED_PAIRS = Integer.getInteger("parley.bench.connected-pairs", 2_000);
    private static final int RATE = 10;
    private static final int SECONDS = 20;
    /** Unmeasured seconds of the same load first (each path's code compiled, pools and caches filled), for both paths alike. */
    private static final int WARMUP_SECONDS = 5;
    private static final long MEASURED_FROM = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Deployment
    static EnterpriseArchive deployment() {
        return InContainer.earWith(ChatBench.class, ProcessStats.class, RawRelayEndpoint.class);
    }

    @Resource(lookup = "java:jboss/datasources/ParleyDS")
    private DataSource dataSource;

    /**
     * The sending side of a Parley pair also receives its own lines (new-message goes to both participants); it only
     * takes them off the wire. Latency is measured on the other side, and the clients share the server's two cores,
     * so parsing frames nobody measures would only slow the server under test.
     */
    private static final WebSocket.Listener DISCARD = new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            ws.request(1);
            return null;
        }
    };

    /** What one receiving side saw. */
    private static final class Receiver implements WebSocket.Listener {
        /** Per delivered frame: {sent at (nanoTime), latency in ns}. */
        final List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
        final Map<Long, Integer> seen = new ConcurrentHashMap<>();
        final AtomicLong reordered = new AtomicLong();
        volatile long lastN = -1;
        private final StringBuilder partial = new StringBuilder();
        private final boolean parley;

        void clear() {
            samples.clear();
            seen.clear();
            reordered.set(0);
        }

        Receiver(boolean parley) {
            this.parley = parley;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    String body = text;
                    if (parley) {
                        JsonNode f = JSON.readTree(text);
                        body = "new-message".equals(f.path("type").asText()) ? f.path("body").asText() : null;
                    }
                    if (body != null && body.startsWith("n=")) {
                        String[] parts = body.split(";");
                        long n = Long.parseLong(parts[0].substring(2));
                        long sentAt = Long.parseLong(parts[1].substring(2));
                        samples.add(new long[]{sentAt, System.nanoTime() - sentAt});
                        seen.merge(n, 1, Integer::sum);
                        if (n < lastN) {
                            reordered.incrementAndGet();
                        }
                        lastN = Math.max(lastN, n);
                    }
                } catch (Exception e) {
                    // a frame the benchmark does not count
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Test
    void chatThroughARawRelayAndThroughParley() throws Exception {
        compare(PAIRS, RATE);
        compare(CONNECTED_PAIRS, 1);
        long stored;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            var rs = st.executeQuery("select count(*) from chat_message m join account a on a.id = m.sender_id where a.email like 'chat-bench-%'");
            rs.next();
            stored = rs.getLong(1);
        }
        System.out.printf("[bench] chat lines persisted by parley over both runs: %,d%n", stored);
    }

    /** The same load through the raw relay, then through Parley. */
    private void compare(int pairs, int rate) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket[]> relay = new ArrayList<>();
        List<Receiver> relayReceivers = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            Receiver r = new Receiver(false);
            WebSocket b = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:8180/bench/relay/" + p + "/b"), r).join();
            WebSocket a = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:8180/bench/relay/" + p + "/a"), new Receiver(false)).join();
            relay.add(new WebSocket[]{a, b});
            relayReceivers.add(r);
        }
        Frame relayFrame = (pair, n, at) -> "n=" + n + ";t=" + at;
        drive(relay, relayReceivers, rate, relayFrame, WARMUP_SECONDS, 0);
        report("raw relay", pairs, rate, drive(relay, relayReceivers, rate, relayFrame, SECONDS, MEASURED_FROM));
        close(relay);

        List<String[]> seeded = seed(pairs);
        List<WebSocket[]> parley = new ArrayList<>();
        List<Receiver> parleyReceivers = new ArrayList<>();
        for (String[] s : seeded) {
            Receiver r = new Receiver(true);
            WebSocket expert = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:8180/ws/live?access_token=" + s[3]), r).join();
            WebSocket user = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:8180/ws/live?access_token=" + s[2]), DISCARD).join();
            parley.add(new WebSocket[]{user, expert});
            parleyReceivers.add(r);
        }
        Frame parleyFrame = (pair, n, at) -> "{\"type\":\"chat-message\",\"sessionId\":\""
                + seeded.get(pair)[0] + "\",\"body\":\"n=" + n + ";t=" + at + "\",\"clientMsgId\":\"c" + n + "\"}";
        drive(parley, parleyReceivers, rate, parleyFrame, WARMUP_SECONDS, 0);
        report("parley /ws/live", pairs, rate, drive(parley, parleyReceivers, rate, parleyFrame, SECONDS, MEASURED_FROM));
        close(parley);
        endSeeded(seeded);
    }

    /**
     * The seeded sessions were written by SQL, charges and all, without the ledger; they are ended the same way.
     * Left alone, the disconnect sweep would end them all disconnectTimeoutSeconds (60 s) after their sockets closed —
     * in the middle of the next run, which would then measure that burst of session ends rather than chat.
     */
    private void endSeeded(List<String[]> seeded) throws Exception {
        try (Connection c = dataSource.getConnection(); var q = c.prepareStatement(
                "update live_session set status = 'ENDED', ended_at = now(), end_reason = 'user-ended', settled = true where id = any(?)")) {
            q.setArray(1, c.createArrayOf("uuid", seeded.stream().map(s -> UUID.fromString(s[0])).toArray()));
            q.executeUpdate();
        }
    }

    private static void close(List<WebSocket[]> pairs) {
        for (WebSocket[] pair : pairs) {
            for (WebSocket ws : pair) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
        }
    }

    private interface Frame {
        String of(int pair, long n, long sentAt);
    }

    private record Result(long sent, long delivered, long lost, long duplicated, long reordered, List<long[]> samples, double seconds,
                          double cpuSeconds, long rssMiB) {
    }

    /**
     * Each pair's sender sends {@code rate} frames a second for {@code seconds}, numbered from {@code firstN}; then
     * waits 3 s for stragglers, counts what each receiver saw of those frames, and clears the receivers.
     */
    private static Result drive(List<WebSocket[]> pairs, List<Receiver> receivers, int rate, Frame frame, int seconds, long firstN) throws Exception {
        long cpu0 = ProcessStats.cpuNanos();
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(4);
        AtomicLong sent = new AtomicLong();
        long[] next = new long[pairs.size()];
        long start = System.nanoTime();
        for (int p = 0; p < pairs.size(); p++) {
            int pair = p;
            senders.scheduleAtFixedRate(() -> {
                synchronized (pairs.get(pair)) {
                    long n = firstN + next[pair]++;
                    pairs.get(pair)[0].sendText(frame.of(pair, n, System.nanoTime()), true).join();
                    sent.incrementAndGet();
                }
            }, (long) (1000.0 / rate * p / pairs.size()), 1000 / rate, TimeUnit.MILLISECONDS);
        }
        Thread.sleep(seconds * 1000L);
        senders.shutdownNow();
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (ProcessStats.cpuNanos() - cpu0) / 1e9;
        long rssMiB = ProcessStats.rssMiB();
        Thread.sleep(3_000);
        long delivered = 0;
        long lost = 0;
        long duplicated = 0;
        long reordered = 0;
        List<long[]> samples = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            Receiver r = receivers.get(p);
            for (long n = firstN; n < firstN + next[p]; n++) {
                Integer times = r.seen.get(n);
                if (times == null) {
                    lost++;
                } else {
                    delivered++;
                    duplicated += times - 1;
                }
            }
            reordered += r.reordered.get();
            samples.addAll(r.samples);
            r.clear();
        }
        return new Result(sent.get(), delivered, lost, duplicated, reordered, samples, elapsed, cpuSeconds, rssMiB);
    }

    /** The worst latency of each second of the run, by when the frames were sent. */
    private static void timeline(List<long[]> t) {
        if (t.isEmpty()) {
            return;
        }
        long t0 = t.stream().mapToLong(x -> x[0]).min().getAsLong();
        java.util.TreeMap<Long, List<Long>> buckets = new java.util.TreeMap<>();
        for (long[] x : t) {
            buckets.computeIfAbsent((x[0] - t0) / 1_000_000_000L, k -> new ArrayList<>()).add(x[1]);
        }
        StringBuilder sb = new StringBuilder("[bench-timeline] max ms per second:");
        buckets.forEach((sec, l) -> sb.append(' ').append(sec).append('=').append(l.stream().mapToLong(Long::longValue).max().getAsLong() / 1_000_000));
        System.out.println(sb);
    }

    private static void report(String label, int pairs, int rate, Result r) {
        timeline(r.samples());
        List<Long> l = r.samples().stream().map(x -> x[1]).sorted().toList();
        System.out.printf("[bench] %-16s %,d pairs x %d msg/s x %d s: sent %,d, delivered %,d (%.0f/s); latency p50 %.1f ms, p95 %.1f ms,"
                        + " p99 %.1f ms; lost %d, duplicated %d, reordered %d; JVM CPU %.0f%% of one core (clients included), RSS %,d MiB%n",
                label, pairs, rate, SECONDS, r.sent(), r.delivered(), r.delivered() / r.seconds(), pct(l, 50), pct(l, 95), pct(l, 99),
                r.lost(), r.duplicated(), r.reordered(), 100 * r.cpuSeconds() / r.seconds(), r.rssMiB());
    }

    /** PAIRS users and approved online experts with an active session each (no billing due), and their tokens. */
    private List<String[]> seed(int pairs) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        List<String[]> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (int p = 0; p < pairs; p++) {
                String user = UUID.randomUUID().toString();
                String expert = UUID.randomUUID().toString();
                String session = UUID.randomUUID().toString();
                String userJti = UUID.randomUUID().toString();
                String expertJti = UUID.randomUUID().toString();
                s.addBatch("insert into account (id, email, password_hash, name, role, status, created_at, updated_at) values ('" + user
                        + "', 'chat-bench-u" + p + "-" + tag + "@bench.parley.test', 'x', 'U', 'USER', 'ACTIVE', now(), now())");
                s.addBatch("insert into account (id, email, password_hash, name, role, status, created_at, updated_at) values ('" + expert
                        + "', 'chat-bench-e" + p + "-" + tag + "@bench.parley.test', 'x', 'E', 'EXPERT', 'ACTIVE', now(), now())");
                s.addBatch("insert into expert_profile (account_id, status, status_changed_at, rate_chat, online) values ('" + expert
                        + "', 'APPROVED', now(), 100, true)");
                s.addBatch("insert into live_session (id, user_id, expert_id, channel, status, rate_per_minute, period_seconds, max_periods,"
                        + " started_at, next_charge_at, periods_billed, amount_charged) values ('" + session + "', '" + user + "', '" + expert
                        + "', 'CHAT', 'ACTIVE', 100, 86400, 10, now(), now() + interval '1 day', 1, 100)");
                s.addBatch("insert into auth_token (jti, account_id, issued_at, expires_at) values ('" + userJti + "', '" + user
                        + "', now(), now() + interval '1 day'), ('" + expertJti + "', '" + expert + "', now(), now() + interval '1 day')");
                out.add(new String[]{session, user, token(user, "USER", userJti), token(expert, "EXPERT", expertJti)});
            }
            s.executeBatch();
        }
        return out;
    }

    private static String token(String subject, String role, String jti) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(JSON.writeValueAsBytes(Map.of("iss", JwtKeys.issuer(), "sub", subject, "upn", subject,
                "groups", List.of(role), "iat", now, "exp", now + 86400, "jti", jti)));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(JwtKeys.privateKey());
        rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(rsa.sign());
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }
}
