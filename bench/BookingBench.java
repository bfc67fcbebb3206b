import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bookings against the run command's server (production settings: a minute is a minute), two figures:
 * 1. GET /experts/{id}/slots over the whole 30-day horizon for an expert available around the clock with 200 standing
 *    bookings: latency p50/p99 of sequential requests (after a warm-up) and how many starts it lists;
 * 2. 100 concurrent POST /bookings from 100 users over 10 slots of one expert: bookings made, conflicts, requests/s.
 *
 *   java bench/BookingBench.java [baseUrl=http://127.0.0.1:8080] [adminEmail=admin@parley.local] [adminPassword=<.parley/data/admin-password>]
 */
public class BookingBench {

    private static final Pattern FIELD = Pattern.compile("\"(id|accessToken|startsAt)\":\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String api;

    public static void main(String[] args) throws Exception {
        api = (args.length > 0 ? args[0] : "http://127.0.0.1:8080") + "/api/v1";
        String adminEmail = args.length > 1 ? args[1] : "admin@parley.local";
        String adminPassword = args.length > 2 ? args[2] : Files.readString(Path.of(".parley/data/admin-password")).trim();
        String admin = login(adminEmail, adminPassword);
        check(send("PATCH", "/admin/config", admin, null, "{\"billingPeriodSeconds\":60,\"bookingHorizonDays\":30,"
                + "\"bookingMinNoticeMinutes\":60,\"bookingBufferMinutes\":0}"), 200);

        // 1. slots over the horizon for an expert with 200 bookings
        String[] expert = expert(admin);
        List<String> users = users(admin, 20);
        List<String> starts = starts(expert[0], 15);
        int step = starts.size() / 200;
        for (int i = 0; i < 200; i++) {
            check(book(users.get(i % users.size()), expert[0], starts.get(i * step), 15), 201);
        }
        for (int i = 0; i < 20; i++) {
            starts(expert[0], 30);
        }
        List<Long> latencies = new ArrayList<>();
        int listed = 0;
        for (int i = 0; i < 200; i++) {
            long t0 = System.nanoTime();
            listed = starts(expert[0], 30).size();
            latencies.add(System.nanoTime() - t0);
        }
        Collections.sort(latencies);
        System.out.printf("slots over 30 days, 200 bookings: p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%d starts listed, 200 requests)%n",
                pct(latencies, 50), pct(latencies, 99), latencies.get(latencies.size() - 1) / 1e6, listed);

        // 2. 100 concurrent requests over 10 slots
        String[] contested = expert(admin);
        List<String> slots = starts(contested[0], 15).subList(0, 10);
        List<String> bookers = users(admin, 100);
        ExecutorService pool = Executors.newFixedThreadPool(100);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String token = bookers.get(i);
            String start = slots.get(i % 10);
            answers.add(pool.submit(() -> {
                go.await();
                return book(token, contested[0], start, 15).statusCode();
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        int made = 0;
        int conflicts = 0;
        int other = 0;
        for (Future<Integer> f : answers) {
            int status = f.get();
            if (status == 201) {
                made++;
            } else if (status == 409) {
                conflicts++;
            } else {
                other++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        System.out.printf("100 concurrent requests over 10 slots: %d bookings, %d conflicts (409), %d other, %.2f s, %.0f requests/s%n",
                made, conflicts, other, seconds, 100 / seconds);
        check(send("PATCH", "/admin/config", admin, null, "{\"bookingMinNoticeMinutes\":60}"), 200);
    }

    /** An approved expert, available around the clock in Asia/Kolkata: {id, token}. */
    private static String[] expert(String admin) throws Exception {
        String email = "bench-expert-" + UUID.randomUUID() + "@bench.parley.test";
        String id = field(check(send("POST", "/auth/register", null, null, "{\"email\":\"" + email
                + "\",\"password\":\"bench password\",\"name\":\"Bench Expert\",\"role\":\"EXPERT\"}"), 201).body(), "id");
        String token = login(email, "bench password");
        check(send("PUT", "/experts/me", token, null, "{\"title\":\"Bench\",\"specialties\":[\"x\"],\"languages\":[\"en\"],"
                + "\"rates\":{\"CHAT\":100}}"), 200);
        for (String s : List.of("DOCUMENTS_VERIFIED", "CALL_SCHEDULED", "CALL_DONE", "APPROVED")) {
            check(send("PUT", "/admin/expert-applications/" + id, admin, null, "{\"status\":\"" + s + "\"}"), 200);
        }
        StringBuilder week = new StringBuilder();
        for (String d : List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")) {
            week.append(week.isEmpty() ? "" : ",").append("{\"day\":\"").append(d).append("\",\"from\":\"00:00\",\"to\":\"24:00\"}");
        }
        check(send("PUT", "/experts/me/schedule", token, null, "{\"timezone\":\"Asia/Kolkata\",\"weekly\":[" + week + "],\"overrides\":[]}"), 200);
        return new String[]{id, token};
    }

    /** {@code n} users with ₹1,000 each, registered 8 at a time (sign-up hashes a password): their tokens. */
    private static List<String> users(String admin, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            made.add(pool.submit(() -> {
                String email = "bench-user-" + UUID.randomUUID() + "@bench.parley.test";
                String id = field(check(send("POST", "/auth/register", null, null, "{\"email\":\"" + email
                        + "\",\"password\":\"bench password\",\"name\":\"Bench User\",\"role\":\"USER\"}"), 201).body(), "id");
                check(send("POST", "/admin/wallets/" + id + "/adjustments", admin, UUID.randomUUID().toString(),
                        "{\"amount\":100000,\"reason\":\"bench\"}"), 201);
                return login(email, "bench password");
            }));
        }
        List<String> tokens = new ArrayList<>();
        for (Future<String> f : made) {
            tokens.add(f.get());
        }
        pool.shutdown();
        return tokens;
    }

    private static List<String> starts(String expertId, int minutes) throws Exception {
        String body = check(send("GET", "/experts/" + expertId + "/slots?minutes=" + minutes, null, null, null), 200).body();
        List<String> out = new ArrayList<>();
        Matcher m = FIELD.matcher(body);
        while (m.find()) {
            if (m.group(1).equals("startsAt")) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    private static HttpResponse<String> book(String token, String expertId, String start, int minutes) throws Exception {
        return send("POST", "/bookings", token, UUID.randomUUID().toString(), "{\"expertId\":\"" + expertId + "\",\"startsAt\":\""
                + start + "\",\"minutes\":" + minutes + ",\"channel\":\"CHAT\"}");
    }

    private static String login(String email, String password) throws Exception {
        return field(check(send("POST", "/auth/login", null, null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"), 200)
                .body(), "accessToken");
    }

    private static HttpResponse<String> send(String method, String path, String token, String key, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> check(HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri() + ": " + r.statusCode() + " " + r.body());
        }
        return r;
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

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }
}
