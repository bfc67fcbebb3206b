package org.parley.bench;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.it.support.Db;
import org.parley.it.support.InContainer;
import org.parley.it.support.Tokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark, not a test ({@code ./mvnw -Pbench verify -Dit.test=ChatBench}). The same chat load pointed first at a
 * trivial relay ({@link RawRelayEndpoint}), at a relay that stores each frame first ({@link PersistingRelayEndpoint}) and at Parley's {@code /ws/live} (JWT-authenticated, each line
 * persisted with its per-session sequence number and relayed after commit), twice: PAIRS pairs each
 * sending RATE messages/s for SECONDS (after WARMUP_SECONDS of the same load, not counted), then CONNECTED_PAIRS pairs
 * each sending 1 message/s. Prints delivered/s, latency p50/p95/p99, lost, duplicated, reordered, WildFly's CPU and
 * RSS. The clients run here, in the test JVM, not in WildFly's (they share the machine's two cores either way), so the
 * server's CPU, memory and garbage collection are its own.
 */
@ExtendWith(ArquillianExtension.class)
class ChatBench {

    private static final int PAIRS = Integer.getInteger("parley.bench.pairs", 500);
    private static final int CONNECTED_PAIRS = Integer.getInteger("parley.bench.connected-pairs", 2_000);
    private static final int RATE = 10;
    private static final int SECONDS = 20;
    /** Unmeasured seconds of the same load first (each path's code compiled, pools and caches filled), for both paths alike. */
    private static final int WARMUP_SECONDS = 15;
    private static final long MEASURED_FROM = 1_000_000;
    /** The relay, like the test server's HTTP port, is on 127.0.0.1 with port offset 100. */
    private static final String WS = "ws://127.0.0.1:8180";

    /** The real EAR with the relay endpoint added to its WAR; the benchmark itself runs outside the server. */
    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return InContainer.earWith(RawRelayEndpoint.class, PersistingRelayEndpoint.class, RelayPairs.class);
    }

    /** WildFly's CPU and memory (found once the server runs). */
    private ProcessStats server;

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

    /**
     * What one receiving side saw, in arrays allocated before the run: recording a frame allocates nothing, so the
     * benchmark's own bookkeeping adds no garbage (and no old-to-young references) to the server's collector. Both
     * paths' frames carry {@code n=<number>;t=<sent at, nanoTime>}; the receiver finds them by text search (a Parley
     * frame is not parsed as JSON: that would charge the client's parsing to the server under test).
     */
    private static final class Receiver implements WebSocket.Listener {
        final long[] sentAt;
        final long[] latency;
        final byte[] seen;
        volatile int count;
        volatile long reordered;
        volatile long firstN;
        private long lastN = -1;
        private final StringBuilder partial = new StringBuilder();

        Receiver(int capacity) {
            sentAt = new long[capacity];
            latency = new long[capacity];
            seen = new byte[capacity];
        }

        /** Ready for frames numbered from {@code first}. */
        void reset(long first) {
            Arrays.fill(seen, (byte) 0);
            count = 0;
            reordered = 0;
            lastN = -1;
            firstN = first;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            long now = System.nanoTime();
            CharSequence text = data;
            if (!last || partial.length() > 0) {
                partial.append(data);
                text = partial;
            }
            if (last) {
                record(text, now);
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void record(CharSequence text, long now) {
            String s = text.toString();
            int at = s.indexOf("n=");
            int semi = at < 0 ? -1 : s.indexOf(';', at);
            if (semi < 0 || !s.startsWith("t=", semi + 1)) {
                return; // a frame the benchmark does not count (a Parley frame other than new-message)
            }
            int end = semi + 3;
            while (end < s.length() && Character.isDigit(s.charAt(end))) {
                end++;
            }
            long n = Long.parseLong(s, at + 2, semi, 10);
            long sent = Long.parseLong(s, semi + 3, end, 10);
            int i = (int) (n - firstN);
            if (i < 0 || i >= seen.length || count >= sentAt.length) {
                return;
            }
            if (seen[i] < Byte.MAX_VALUE) {
                seen[i]++;
            }
            sentAt[count] = sent;
            latency[count] = now - sent;
            count++;
            if (n < lastN) {
                reordered++;
            }
            lastN = Math.max(lastN, n);
        }
    }

    @Test
    void chatThroughARawRelayAndThroughParley() throws Exception {
        server = ProcessStats.ofTestServer();
        try (Connection c = Db.connect(); Statement st = c.createStatement()) {
            // like chat_message: a logged table with a primary key index
            st.execute("create table if not exists " + PersistingRelayEndpoint.TABLE
                    + " (id bigint generated always as identity primary key, pair int not null, body text not null)");
        }
        compare(PAIRS, RATE);
        compare(CONNECTED_PAIRS, 1);
        long stored;
        try (Connection c = Db.connect(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("select count(*) from chat_message m join account a on a.id = m.sender_id where a.email like 'chat-bench-%'");
            rs.next();
            stored = rs.getLong(1);
        }
        System.out.printf("[bench] chat lines persisted by parley over both runs: %,d%n", stored);
        try (Connection c = Db.connect(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("select count(*) from " + PersistingRelayEndpoint.TABLE);
            rs.next();
            System.out.printf("[bench] frames persisted by the persisting relay over both runs: %,d%n", rs.getLong(1));
        }
    }

    /** The same load through the raw relay, the persisting relay, then Parley. */
    private void compare(int pairs, int rate) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        relay(http, "raw relay", "/bench/relay/", pairs, rate);
        relay(http, "persisting relay", "/bench/persisting-relay/", pairs, rate);

        List<String[]> seeded = seed(pairs);
        List<WebSocket[]> parley = new ArrayList<>();
        List<Receiver> parleyReceivers = new ArrayList<>();
        for (String[] s : seeded) {
            Receiver r = new Receiver(capacity(rate));
            WebSocket expert = http.newWebSocketBuilder().buildAsync(URI.create(WS + "/ws/live?access_token=" + s[3]), r).join();
            WebSocket user = http.newWebSocketBuilder().buildAsync(URI.create(WS + "/ws/live?access_token=" + s[2]), DISCARD).join();
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

    /** The load through one of the baseline endpoints ({@link RawRelayEndpoint}, {@link PersistingRelayEndpoint}). */
    private void relay(HttpClient http, String label, String path, int pairs, int rate) throws Exception {
        List<WebSocket[]> relay = new ArrayList<>();
        List<Receiver> receivers = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            Receiver r = new Receiver(capacity(rate));
            WebSocket b = http.newWebSocketBuilder().buildAsync(URI.create(WS + path + p + "/b"), r).join();
            WebSocket a = http.newWebSocketBuilder().buildAsync(URI.create(WS + path + p + "/a"), DISCARD).join();
            relay.add(new WebSocket[]{a, b});
            receivers.add(r);
        }
        Frame frame = (pair, n, at) -> "n=" + n + ";t=" + at;
        drive(relay, receivers, rate, frame, WARMUP_SECONDS, 0);
        report(label, pairs, rate, drive(relay, receivers, rate, frame, SECONDS, MEASURED_FROM));
        close(relay);
    }

    /**
     * The seeded sessions were written by SQL, charges and all, without the ledger; they are ended the same way.
     * Left alone, the disconnect sweep would end them all disconnectTimeoutSeconds (60 s) after their sockets closed —
     * in the middle of the next run, which would then measure that burst of session ends rather than chat.
     */
    private void endSeeded(List<String[]> seeded) throws Exception {
        try (Connection c = Db.connect(); var q = c.prepareStatement(
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

    /** Room for every frame one receiver can see in a run (the scheduler may catch up a few beyond rate x seconds). */
    private static int capacity(int rate) {
        return rate * (Math.max(SECONDS, WARMUP_SECONDS) + 3) + 64;
    }

    /** Per delivered frame, when it was sent (nanoTime) and its latency in ns. */
    private record Samples(long[] sentAt, long[] latency) {
    }

    private record Result(long sent, long delivered, long lost, long duplicated, long reordered, Samples samples, double seconds,
                          double cpuSeconds, double clientCpuSeconds, double databaseCpuSeconds, long rssMiB) {
    }

    /**
     * Each pair's sender sends {@code rate} frames a second for {@code seconds}, numbered from {@code firstN}; then
     * waits 3 s for stragglers and counts what each receiver saw of those frames.
     */
    private Result drive(List<WebSocket[]> pairs, List<Receiver> receivers, int rate, Frame frame, int seconds, long firstN) throws Exception {
        receivers.forEach(r -> r.reset(firstN));
        long cpu0 = server.cpu();
        long clientCpu0 = ProcessStats.self().cpu();
        long databaseCpu0 = ProcessStats.testDatabaseCpuNanos();
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
        double cpuSeconds = (server.cpu() - cpu0) / 1e9;
        double clientCpuSeconds = (ProcessStats.self().cpu() - clientCpu0) / 1e9;
        double databaseCpuSeconds = (ProcessStats.testDatabaseCpuNanos() - databaseCpu0) / 1e9;
        long rssMiB = server.rss();
        Thread.sleep(3_000);
        long delivered = 0;
        long lost = 0;
        long duplicated = 0;
        long reordered = 0;
        int[] counts = receivers.stream().mapToInt(r -> r.count).toArray();
        int total = Arrays.stream(counts).sum();
        Samples samples = new Samples(new long[total], new long[total]);
        int k = 0;
        for (int p = 0; p < pairs.size(); p++) {
            Receiver r = receivers.get(p);
            for (int i = 0; i < next[p]; i++) {
                int times = i < r.seen.length ? r.seen[i] : 0;
                if (times == 0) {
                    lost++;
                } else {
                    delivered++;
                    duplicated += times - 1;
                }
            }
            reordered += r.reordered;
            int c = counts[p];
            System.arraycopy(r.sentAt, 0, samples.sentAt(), k, c);
            System.arraycopy(r.latency, 0, samples.latency(), k, c);
            k += c;
        }
        return new Result(sent.get(), delivered, lost, duplicated, reordered, samples, elapsed, cpuSeconds, clientCpuSeconds, databaseCpuSeconds, rssMiB);
    }

    /** The worst latency of each second of the run, by when the frames were sent. */
    private static void timeline(Samples t) {
        if (t.sentAt().length == 0) {
            return;
        }
        long t0 = Arrays.stream(t.sentAt()).min().getAsLong();
        TreeMap<Long, Long> worst = new TreeMap<>();
        for (int i = 0; i < t.sentAt().length; i++) {
            worst.merge((t.sentAt()[i] - t0) / 1_000_000_000L, t.latency()[i], Math::max);
        }
        StringBuilder sb = new StringBuilder("[bench-timeline] max ms per second:");
        worst.forEach((sec, max) -> sb.append(' ').append(sec).append('=').append(max / 1_000_000));
        System.out.println(sb);
    }

    private static void report(String label, int pairs, int rate, Result r) {
        timeline(r.samples());
        long[] l = r.samples().latency().clone();
        Arrays.sort(l);
        System.out.printf("[bench] %-16s %,d pairs x %d msg/s x %d s: sent %,d, delivered %,d (%.0f/s); latency p50 %.1f ms, p95 %.1f ms,"
                        + " p99 %.1f ms; lost %d, duplicated %d, reordered %d; WildFly CPU %.0f%% of one core, RSS %,d MiB;"
                        + " PostgreSQL CPU %.0f%%, clients' JVM CPU %.0f%%%n",
                label, pairs, rate, SECONDS, r.sent(), r.delivered(), r.delivered() / r.seconds(), pct(l, 50), pct(l, 95), pct(l, 99),
                r.lost(), r.duplicated(), r.reordered(), 100 * r.cpuSeconds() / r.seconds(), r.rssMiB(),
                100 * r.databaseCpuSeconds() / r.seconds(), 100 * r.clientCpuSeconds() / r.seconds());
    }

    /** PAIRS users and approved online experts with an active session each (no billing due), and their tokens. */
    private List<String[]> seed(int pairs) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        List<String[]> out = new ArrayList<>();
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
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
            // Rows that arrived in one batch: refresh the planner's statistics, as autovacuum would have done long
            // before on a server where they arrived over time (the server's plans are otherwise made for 20 sessions).
            s.execute("analyze account, expert_profile, live_session, auth_token");
        }
        return out;
    }

    private static String token(String subject, String role, String jti) throws Exception {
        Instant now = Instant.now();
        return Tokens.signedByServer(Tokens.claims(subject, role, now, now.plus(1, ChronoUnit.DAYS), jti));
    }

    private static double pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
