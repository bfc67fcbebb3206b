import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Login throughput: registers one account per client, then has {@code clients} threads sign in as fast as they
 * can for {@code seconds}, and prints requests/s and latency percentiles. Run against a running Parley:
 *
 *   java bench/LoginBench.java [baseUrl=http://127.0.0.1:8080] [clients=8] [seconds=20]
 */
public class LoginBench {

    public static void main(String[] args) throws Exception {
        String base = (args.length > 0 ? args[0] : "http://127.0.0.1:8080") + "/api/v1";
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        List<String> emails = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String email = "bench-" + UUID.randomUUID() + "@bench.parley.test";
            int status = post(http, base + "/auth/register", "{\"email\":\"" + email + "\",\"password\":\"bench password\",\"name\":\"Bench\",\"role\":\"USER\"}").statusCode();
            if (status != 201) {
                throw new IllegalStateException("register failed: " + status);
            }
            emails.add(email);
        }
        // Warm-up: JIT and connection pools.
        long warmUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < warmUntil) {
            login(http, base, emails.get(0));
        }

        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long started = System.nanoTime();
        List<Future<long[]>> futures = new ArrayList<>();
        for (String email : emails) {
            futures.add(pool.submit(() -> {
                List<Long> lat = new ArrayList<>();
                long errors = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    int status = login(http, base, email);
                    lat.add(System.nanoTime() - t0);
                    if (status != 200) {
                        errors++;
                    }
                }
                long[] out = new long[lat.size() + 1];
                out[0] = errors;
                for (int i = 0; i < lat.size(); i++) {
                    out[i + 1] = lat.get(i);
                }
                return out;
            }));
        }
        List<Long> all = new ArrayList<>();
        long errors = 0;
        for (Future<long[]> f : futures) {
            long[] r = f.get();
            errors += r[0];
            for (int i = 1; i < r.length; i++) {
                all.add(r[i]);
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Collections.sort(all);
        System.out.printf("logins: %d in %.1f s with %d clients -> %.1f req/s, errors %d%n", all.size(), elapsed, clients, all.size() / elapsed, errors);
        System.out.printf("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
                pct(all, 50), pct(all, 95), pct(all, 99), all.get(all.size() - 1) / 1e6);
    }

    private static int login(HttpClient http, String base, String email) throws Exception {
        return post(http, base + "/auth/login", "{\"email\":\"" + email + "\",\"password\":\"bench password\"}").statusCode();
    }

    private static HttpResponse<String> post(HttpClient http, String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }
}
