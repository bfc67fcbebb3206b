package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.SystemTest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertProblem;

/**
 * The file store against the deployed EAR with s3proxy as the S3 server (the test server's upload limit is 2 MB,
 * parley.max-upload-mb): round trips through presigned URLs, typing from the bytes, the limit, who reads what, and
 * Parley's own signed links.
 */
class FilesIT extends SystemTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private String admin;

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
    }

    /** A small valid PDF, different each time. */
    static byte[] pdf() {
        String body = "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
                + "% " + UUID.randomUUID() + "\ntrailer <</Root 1 0 R>>\n%%EOF\n";
        return body.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] png() {
        return Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    }

    /** multipart/form-data with a file part and a purpose. */
    static Api.Resp upload(String token, String purpose, String fileName, String declaredType, byte[] bytes) {
        String boundary = "parley-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose + "\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\nContent-Type: "
                    + declaredType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(bytes);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(Api.API + "/files"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Resp(r.statusCode(), r.headers(), r.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<byte[]> fetch(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The Location of GET /files/{id}/content (a 302), or the problem. */
    private Api.Resp content(String token, String id) {
        return api.get("/files/" + id + "/content", token);
    }

    @Test
    void anUploadRoundTripsThroughThePresignedUrlWithTheSameBytesAndSha256() throws Exception {
        Person expert = Accounts.expertApplicant(api);
        byte[] bytes = pdf();
        Api.Resp up = upload(expert.token(), "EXPERT_DOCUMENT", "id-proof.pdf", "application/octet-stream", bytes);
        assertEquals(201, up.status(), up::toString);
        JsonNode f = up.json();
        assertEquals("application/pdf", f.get("contentType").asText());
        assertEquals(bytes.length, f.get("size").asLong());
        assertEquals(sha256(bytes), f.get("sha256").asText());
        assertEquals("id-proof.pdf", f.get("name").asText());
        assertEquals(expert.id(), f.get("ownerId").asText());
        assertEquals("EXPERT_DOCUMENT", f.get("purpose").asText());
        assertEquals(f.toString(), api.get("/files/" + f.get("id").asText(), expert.token()).json().toString());

        Api.Resp redirect = content(expert.token(), f.get("id").asText());
        assertEquals(302, redirect.status(), redirect::toString);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("http://127.0.0.1:" + System.getProperty("parley.it.s3.port")), location);
        assertTrue(location.contains("X-Amz-Signature=") && location.contains("X-Amz-Expires=300"), "presigned for 5 minutes: " + location);
        HttpResponse<byte[]> got = fetch(location);
        assertEquals(200, got.statusCode());
        assertArrayEquals(bytes, got.body());
        assertEquals(sha256(bytes), sha256(got.body()));

        String tampered = location.replaceFirst("X-Amz-Signature=([0-9a-f])", "X-Amz-Signature=" + (location.contains("X-Amz-Signature=0") ? "1" : "0"));
        assertEquals(403, fetch(tampered).statusCode(), "the S3 server refuses a tampered signature");
        assertEquals(1, Db.count("select count(*) from stored_file where id = ?::uuid", f.get("id").asText()));
    }

    @Test
    void theTypeComesFromTheBytesARenamedExecutableIs415AndTheLimitIs413() {
        Person user = Accounts.user(api);
        byte[] exe = new byte[4096];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[0x3c] = (byte) 0x80;
        exe[0x80] = 'P';
        exe[0x81] = 'E';
        assertProblem(upload(user.token(), "TICKET_ATTACHMENT", "receipt.pdf", "application/pdf", exe), 415, "unsupported-file-type");
        JsonNode png = upload(user.token(), "TICKET_ATTACHMENT", "screenshot.jpg", "image/jpeg", png()).json();
        assertEquals("image/png", png.get("contentType").asText(), "what the bytes are, not what the name says");
        byte[] big = new byte[2 * 1024 * 1024 + 1];
        System.arraycopy(pdf(), 0, big, 0, 20);
        assertProblem(upload(user.token(), "TICKET_ATTACHMENT", "big.pdf", "application/pdf", big), 413, "file-too-large");
        assertProblem(upload(user.token(), "HOLIDAY_PHOTOS", "a.png", "image/png", png()), 400, null);
        assertEquals(1, Db.count("select count(*) from stored_file where owner_id = ?::uuid", user.id()), "only the PNG was kept");
    }

    @Test
    void whoReadsWhatFollowsThePurposeAndEveryoneElseGets404() {
        Person expert = Accounts.expertApplicant(api);
        Person otherExpert = Accounts.expertApplicant(api);
        Person user = Accounts.user(api);
        Person stranger = Accounts.user(api);
        String document = upload(expert.token(), "EXPERT_DOCUMENT", "cv.pdf", "application/pdf", pdf()).json().get("id").asText();
        assertEquals(302, content(expert.token(), document).status());
        assertEquals(302, content(admin, document).status());
        assertProblem(content(otherExpert.token(), document), 404, "not-found");
        assertProblem(api.get("/files/" + document, user.token()), 404, "not-found");

        assertProblem(upload(expert.token(), "TRAINING", "module.pdf", "application/pdf", pdf()), 403, null);
        String training = upload(admin, "TRAINING", "module.pdf", "application/pdf", pdf()).json().get("id").asText();
        assertEquals(302, content(otherExpert.token(), training).status(), "every expert reads training");
        assertProblem(content(user.token(), training), 404, "not-found");

        String attachment = upload(user.token(), "TICKET_ATTACHMENT", "receipt.pdf", "application/pdf", pdf()).json().get("id").asText();
        Api.Resp ticket = api.post("/support/tickets", user.token(), Map.of("subject", "Receipt attached", "description", "see file",
                "category", "BILLING", "attachmentIds", List.of(attachment)));
        assertEquals(201, ticket.status(), ticket::toString);
        assertEquals(302, content(admin, attachment).status());
        assertProblem(content(stranger.token(), attachment), 404, "not-found");
        assertProblem(api.post("/support/tickets", stranger.token(), Map.of("subject", "Someone else's receipt", "description", "see file",
                "category", "BILLING", "attachmentIds", List.of(attachment))), 422, "bad-attachments");
        String notAnAttachment = upload(stranger.token(), "TICKET_ATTACHMENT", "other.pdf", "application/pdf", pdf()).json().get("id").asText();
        assertProblem(upload(user.token(), "EXPERT_DOCUMENT", "cv.pdf", "application/pdf", pdf()), 403, null);
        assertProblem(upload(user.token(), "CERTIFICATE", "fake.pdf", "application/pdf", pdf()), 403, null);
        assertProblem(api.post("/support/tickets/" + ticket.json().get("id").asText() + "/messages", user.token(),
                Map.of("body", "and this", "attachmentIds", List.of(notAnAttachment))), 422, "bad-attachments");
        assertProblem(api.get("/files/" + UUID.randomUUID(), admin), 404, "not-found");
    }

    @Test
    void parleysOwnSignedLinksServeTheBytesAndRefuseATamperedOrExpiredOne() throws Exception {
        Person expert = Accounts.expertApplicant(api);
        byte[] bytes = pdf();
        String id = upload(expert.token(), "EXPERT_DOCUMENT", "doc.pdf", "application/pdf", bytes).json().get("id").asText();
        byte[] key = Base64.getDecoder().decode(Files.readString(Path.of(System.getProperty("parley.it.data.dir"), "file-signing.key")).trim());
        long future = Instant.now().plusSeconds(120).getEpochSecond();
        HttpResponse<byte[]> ok = fetch(Api.API + "/files/" + id + "/signed?expires=" + future + "&signature=" + hmac(key, id + ":" + future));
        assertEquals(200, ok.statusCode());
        assertArrayEquals(bytes, ok.body());
        assertEquals("application/pdf", ok.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(403, fetch(Api.API + "/files/" + id + "/signed?expires=" + (future + 1) + "&signature=" + hmac(key, id + ":" + future))
                .statusCode(), "a signature for another expiry");
        long past = Instant.now().minusSeconds(5).getEpochSecond();
        HttpResponse<byte[]> expired = fetch(Api.API + "/files/" + id + "/signed?expires=" + past + "&signature=" + hmac(key, id + ":" + past));
        assertEquals(403, expired.statusCode());
        assertTrue(new String(expired.body(), StandardCharsets.UTF_8).contains("link-expired"));
    }

    private static String hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
