import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The REST deposit path at N clients against a Parley in gateway mock mode (the run command without
 * PARLEY_RAZORPAY_KEY_ID): each client opens deposits (POST /wallet/deposits with an Idempotency-Key), then confirms
 * them with a valid checkout signature (POST .../confirm with an Idempotency-Key), which credits the wallet once.
 *
 *   java bench/DepositConfirmBench.java [baseUrl=http://127.0.0.1:8080] [clients=8] [depositsPerClient=200] [keySecret=mock_key_secret]
 */
public class DepositConfirmBench {

    private static final Pattern FIELD = Pattern.compile("\"(id|gatewayOrderId|accessToken|balance)\":\"?([^\",}]+)");

    public static void main(String[] args) throws Exception {
        String base = (args.length > 0 ? args[0] : "http://127.0.0.1:8080") + "/api/v1";
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int perClient = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        String secret = args.length > 3 ? args[3] : "mock_key_secret";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String email = "bench-" + UUID.randomUUID() + "@bench.parley.test";
            send(http, base + "/auth/register", null, null, "{\"email\":\"" + email + "\",\"password\":\"bench password\",\"name\":\"B\",\"role\":\"USER\"}");
            tokens.add(field(send(http, base + "/auth/login", null, null, "{\"email\":\"" + email + "\",\"password\":\"bench password\"}").body(), "accessToken"));
        }
        List<List<String[]>> opened = new ArrayList<>();
        double createRate = phase("create", clients, perClient, (c, i, lat) -> {
            long t0 = System.nanoTime();
            HttpResponse<String> r = send(http, base + "/wallet/deposits", tokens.get(c), UUID.randomUUID().toString(), "{\"amount\":10000}");
            lat.add(System.nanoTime() - t0);
            if (r.statusCode() != 201) {
                throw new IllegalStateException("create " + r.statusCode() + " " + r.body());
            }
            synchronized (opened) {
                while (opened.size() <= c) {
                    opened.add(new ArrayList<>());
                }
                opened.get(c).add(new String[]{field(r.body(), "id"), field(r.body(), "gatewayOrderId")});
            }
        });
        double confirmRate = phase("confirm", clients, perClient, (c, i, lat) -> {
            String[] d = opened.get(c).get(i);
            String paymentId = "pay_" + UUID.randomUUID().toString().substring(0, 14);
            String signature = hmac(secret, d[1] + "|" + paymentId);
            long t0 = System.nanoTime();
            HttpResponse<String> r = send(http, base + "/wallet/deposits/" + d[0] + "/confirm", tokens.get(c), UUID.randomUUID().toString(),
                    "{\"gatewayPaymentId\":\"" + paymentId + "\",\"signature\":\"" + signature + "\"}");
            lat.add(System.nanoTime() - t0);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("confirm " + r.statusCode() + " " + r.body());
            }
        });
        for (String token : tokens) {
            String balance = field(send(http, base + "/wallet", token, null, null).body(), "balance");
            if (Long.parseLong(balance) != 10_000L * perClient) {
                throw new IllegalStateException("wallet holds " + balance + ", expected " + 10_000L * perClient);
            }
        }
        System.out.printf("every wallet credited exactly once per deposit (create %.0f/s, confirm %.0f/s)%n", createRate, confirmRate);
    }

    interface Step {
        void run(int client, int index, List<Long> latencies) throws Exception;
    }

    private static double phase(String name, int clients, int perClient, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                List<Long> lat = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                    step.run(client, i, lat);
                }
                return lat;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Collections.sort(all);
        double rate = all.size() / seconds;
        System.out.printf("%-8s %d clients: %6.0f req/s  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (%d requests)%n",
                name, clients, rate, pct(all, 50), pct(all, 95), pct(all, 99), all.size());
        return rate;
    }

    private static HttpResponse<String> send(HttpClient http, String url, String token, String key, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        b.method(json == null ? "GET" : "POST", json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }

    private static String hmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }
}
