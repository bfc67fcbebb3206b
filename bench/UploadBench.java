import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * 20 MB files through WildFly to the file store (run it against bench/files-s3.sh's server: S3 through s3proxy):
 * upload throughput (one at a time), download throughput (the presigned URL straight from the store, and Parley's own
 * signed link streamed through WildFly), then 10 concurrent 20 MB uploads while WildFly's heap is sampled with jstat.
 *
 *   java bench/UploadBench.java [baseUrl=http://127.0.0.1:8080] [wildflyPid] [dataDir=.parley/data]
 */
public class UploadBench {

    private static final Pattern FIELD = Pattern.compile("\"(id|accessToken)\":\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int SIZE = 20_000_000;

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        String api = base + "/api/v1";
        String pid = args.length > 1 ? args[1] : null;
        Path data = Path.of(args.length > 2 ? args[2] : ".parley/data");
        String email = "bench-expert-" + UUID.randomUUID() + "@bench.parley.test";
        send(api + "/auth/register", null, "application/json", ("{\"email\":\"" + email
                + "\",\"password\":\"bench password\",\"name\":\"Bench\",\"role\":\"EXPERT\"}").getBytes());
        String token = field(new String(send(api + "/auth/login", null, "application/json",
                ("{\"email\":\"" + email + "\",\"password\":\"bench password\"}").getBytes()).body()), "accessToken");
        byte[] file = pdf(SIZE, 1);

        for (int i = 0; i < 2; i++) {
            upload(api, token, file); // warm-up
        }
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            ids.add(upload(api, token, pdf(SIZE, i + 2)));
        }
        double up = 5 * SIZE / 1e6 / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("upload, one at a time: %.1f MB/s (5 x 20 MB)%n", up);

        long t1 = System.nanoTime();
        for (String id : ids) {
            HttpResponse<byte[]> redirect = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/files/" + id + "/content"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
            String location = redirect.headers().firstValue("Location").orElseThrow();
            drain(location);
        }
        double presigned = 5 * SIZE / 1e6 / ((System.nanoTime() - t1) / 1e9);
        byte[] key = Base64.getDecoder().decode(Files.readString(data.resolve("file-signing.key")).trim());
        long t2 = System.nanoTime();
        for (String id : ids) {
            long expires = Instant.now().plusSeconds(300).getEpochSecond();
            drain(api + "/files/" + id + "/signed?expires=" + expires + "&signature=" + hmac(key, id + ":" + expires));
        }
        double through = 5 * SIZE / 1e6 / ((System.nanoTime() - t2) / 1e9);
        System.out.printf("download, one at a time: %.1f MB/s from the presigned URL, %.1f MB/s streamed through WildFly%n", presigned, through);

        AtomicLong peak = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(pid != null);
        long before = pid == null ? -1 : heapUsed(pid);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(heapUsed(pid), Math::max);
            }
        });
        sampler.start();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<String>> all = new ArrayList<>();
        long t3 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            byte[] each = pdf(SIZE, 100 + i);
            all.add(pool.submit(() -> upload(api, token, each)));
        }
        for (Future<String> f : all) {
            f.get();
        }
        double concurrent = 10 * SIZE / 1e6 / ((System.nanoTime() - t3) / 1e9);
        sampling.set(false);
        sampler.join();
        pool.shutdown();
        System.out.printf("10 concurrent 20 MB uploads: %.1f MB/s in all", concurrent);
        if (pid != null) {
            System.out.printf("; WildFly heap used %.0f MB before, peak %.0f MB during (jstat every ~100 ms)", before / 1e6, peak.get() / 1e6);
        }
        System.out.println();
    }

    /** A PDF header followed by random bytes (typed as PDF from its first bytes), {@code size} long. */
    private static byte[] pdf(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        byte[] head = "%PDF-1.4\n".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    private static String upload(String api, String token, byte[] bytes) throws Exception {
        String boundary = "bench-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + 512);
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nEXPERT_DOCUMENT\r\n").getBytes());
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes());
        body.write(bytes);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes());
        HttpResponse<byte[]> r = send(api + "/files", token, "multipart/form-data; boundary=" + boundary, body.toByteArray());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("upload " + r.statusCode() + " " + new String(r.body()));
        }
        return field(new String(r.body()), "id");
    }

    private static void drain(String url) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            long n = in.transferTo(java.io.OutputStream.nullOutputStream());
            if (r.statusCode() != 200 || n != SIZE) {
                throw new IllegalStateException("download " + r.statusCode() + ", " + n + " bytes");
            }
        }
    }

    private static HttpResponse<byte[]> send(String url, String token, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Eden + survivors + old generation in use, from {@code jstat -gc}. */
    private static long heapUsed(String pid) {
        try {
            Process p = new ProcessBuilder("jstat", "-gc", pid).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            String[] names = lines.get(0).trim().split("\\s+");
            String[] values = lines.get(1).trim().split("\\s+");
            double kb = 0;
            for (int i = 0; i < names.length; i++) {
                if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                    kb += Double.parseDouble(values[i]);
                }
            }
            return (long) (kb * 1024);
        } catch (Exception e) {
            return 0;
        }
    }

    private static String hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
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
}
