package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.Eventually;
import org.parley.it.support.SystemTest;
import org.parley.it.support.TestEnvironment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** The expert-import job: CSV upload through the admin API, per-row results, progress, restart, idempotence on email. */
class ExpertImportIT extends SystemTest {

    private static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");
    private static final Pattern INVITATION_CODE = Pattern.compile("\\n\\n([A-Za-z0-9_-]{43})\\n");
    private String admin;

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
    }

    private Api.Resp upload(String csv, String query) {
        return api.send("POST", "/admin/expert-imports" + query, admin, csv, "text/csv");
    }

    private JsonNode uploaded(String csv, String query) {
        Api.Resp r = upload(csv, query);
        assertEquals(202, r.status(), r::toString);
        return r.json();
    }

    private JsonNode awaitFinished(long executionId) {
        return Eventually.until(Duration.ofSeconds(90), () -> api.get("/admin/batch/executions/" + executionId, admin).json(),
                e -> FINISHED.contains(e.path("status").asText()), "execution " + executionId + " to finish");
    }

    /** Uploads, waits for the job, returns the import's view. */
    private JsonNode importFile(String csv) {
        JsonNode started = uploaded(csv, "?fileName=applicants.csv");
        JsonNode done = awaitFinished(started.get("executionId").asLong());
        assertEquals("COMPLETED", done.get("status").asText(), done::toString);
        return api.get("/admin/expert-imports/" + started.get("import").get("id").asText(), admin).json();
    }

    private List<JsonNode> rows(String importId, String outcome) {
        Api.Resp r = api.get("/admin/expert-imports/" + importId + "/rows?size=100" + (outcome == null ? "" : "&outcome=" + outcome), admin);
        assertEquals(200, r.status(), r::toString);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("items").forEach(out::add);
        return out;
    }

    private static long accountsWithEmail(String email) {
        return Db.count("select count(*) from account where lower(email) = lower(?)", email);
    }

    private static String invitationCodeFor(String email) {
        for (MimeMessage m : TestEnvironment.mail().getReceivedMessages()) {
            try {
                if (m.getRecipients(Message.RecipientType.TO)[0].toString().equalsIgnoreCase(email)) {
                    Matcher code = INVITATION_CODE.matcher(m.getContent().toString().replace("\r\n", "\n"));
                    if (code.find()) {
                        return code.group(1);
                    }
                }
            } catch (MessagingException | IOException e) {
                throw new AssertionError(e);
            }
        }
        return null;
    }

    @Test
    void goodRowsBecomeApplicantsBadRowsAreReportedByLineAndReasonAndARerunImportsNoEmailTwice() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Person registered = Accounts.expertApplicant(api);
        String asha = "asha-" + tag + "@import.parley.test";
        String bala = "bala-" + tag + "@import.parley.test";
        String chitra = "chitra-" + tag + "@import.parley.test";
        String dev = "dev-" + tag + "@import.parley.test";
        String csv = "email,name,phone,title,experienceYears,specialties,languages,rateChat,rateVoice,rateVideo\n"
                + asha + ",Asha Rao,+91 98765 43210,Vedic astrologer,12,Vedic;Tarot,Hindi;English,2500,4000,9000\n" // line 2
                + bala + ",Bala,,Listener,,,Tamil,1500,,\n"                                                             // line 3
                + "not-an-email,Nobody,,,,,,,,\n"                                                                      // line 4
                + "\n"
                + dev + ",Dev,,\"Mentor, career\",99,,,0,,\n"                                                           // line 6
                + chitra + ",\"Chitra\nNair\",,Mentor,3,,,,,\n"                                                         // line 7 (name spans 2 lines)
                + registered.email().toUpperCase() + ",Already There,,,,,,,,\n"                                         // line 9
                + asha + ",Asha Again,,,,,,,,\n";                                                                       // line 10
        JsonNode view = importFile(csv);
        assertEquals(7, view.get("totalRows").asInt());
        assertEquals(7, view.get("processedRows").asInt());
        assertEquals(3, view.get("imported").asInt(), view::toString);
        assertEquals(2, view.get("skipped").asInt(), view::toString);
        assertEquals(2, view.get("rejected").asInt(), view::toString);
        assertTrue(view.get("done").asBoolean());
        String importId = view.get("id").asText();
        JsonNode execution = api.get("/admin/batch/executions/" + view.get("executionId").asLong(), admin).json();
        assertEquals("IMPORTED: 3, SKIPPED: 2, REJECTED: 2 of 7 rows", execution.get("exitStatus").asText());
        assertEquals(7, execution.get("steps").get(0).get("metrics").get("readCount").asInt(), execution::toString);
        assertEquals(100, execution.get("progress").get("percent").asInt(), execution::toString);

        List<JsonNode> rejected = rows(importId, "REJECTED");
        assertEquals(List.of(4, 6), rejected.stream().map(r -> r.get("line").asInt()).toList());
        assertTrue(rejected.get(0).get("reason").asText().contains("email: must be a well-formed email address"), rejected.get(0)::toString);
        String devReason = rejected.get(1).get("reason").asText();
        assertTrue(devReason.contains("experienceYears") && devReason.contains("rateChat"), devReason);
        assertEquals(dev, rejected.get(1).get("email").asText());
        List<JsonNode> skipped = rows(importId, "SKIPPED");
        assertEquals(List.of(9, 10), skipped.stream().map(r -> r.get("line").asInt()).toList());
        assertEquals(List.of(2, 3, 7), rows(importId, "IMPORTED").stream().map(r -> r.get("line").asInt()).toList());

        // The imported applicants are EXPERT accounts in APPLIED with the file's profile.
        assertEquals(1, accountsWithEmail(asha));
        assertEquals(1, accountsWithEmail(registered.email()), "an email registered before is left alone");
        assertEquals(0, accountsWithEmail(dev));
        String ashaId = Db.string("select id::text from account where email = ?", asha);
        assertEquals("APPLIED", Db.string("select status from expert_profile where account_id = ?::uuid", ashaId));
        assertEquals("Vedic astrologer|12|2500|4000|9000", Db.string("select title || '|' || experience_years || '|' || rate_chat || '|'"
                + " || rate_voice || '|' || rate_video from expert_profile where account_id = ?::uuid", ashaId));
        assertEquals("tarot,vedic", Db.string("select string_agg(specialty, ',' order by specialty) from expert_specialty where expert_id = ?::uuid", ashaId));
        assertEquals("Chitra\nNair", Db.string("select name from account where email = ?", chitra));
        assertTrue(rows(importId, null).stream().anyMatch(r -> r.get("accountId").asText().equals(ashaId)));

        // Each imported applicant is emailed an invitation; it sets the password once, then they sign in.
        String code = Eventually.until(Duration.ofSeconds(30), () -> invitationCodeFor(asha), c -> c != null, "asha's invitation email");
        Api.Resp accepted = api.post("/auth/invitations/accept", null, Map.of("token", code, "password", "a new password 1"));
        assertEquals(200, accepted.status(), accepted::toString);
        assertEquals("APPLIED", accepted.json().get("expertStatus").asText());
        assertEquals(ashaId, Accounts.me(api, Accounts.login(api, asha, "a new password 1")).get("id").asText());
        assertProblem(api.post("/auth/invitations/accept", null, Map.of("token", code, "password", "another password")), 422, "invitation-invalid");
        assertProblem(api.post("/auth/invitations/accept", null, Map.of("token", "x".repeat(43), "password", "another password")), 422, "invitation-invalid");
        assertEquals(401, api.post("/auth/login", null, Map.of("email", bala, "password", "")).status(),
                "an imported account has no usable password before it accepts");

        // The same file again: nothing imported twice; a corrected file imports only the rows fixed.
        JsonNode again = importFile(csv);
        assertEquals(0, again.get("imported").asInt(), again::toString);
        assertEquals(5, again.get("skipped").asInt(), again::toString);
        assertEquals(2, again.get("rejected").asInt(), again::toString);
        JsonNode fixed = importFile("EMAIL,Name,experienceYears,rateChat\n" + asha + ",Asha,1,100\n" + dev + ",Dev,9,1200\n");
        assertEquals(1, fixed.get("imported").asInt(), fixed::toString);
        assertEquals(1, fixed.get("skipped").asInt(), fixed::toString);
        for (String email : List.of(asha, bala, chitra, dev)) {
            assertEquals(1, accountsWithEmail(email), email);
        }
        assertEquals(1, Db.count("select count(*) from notification where account_id = ?::uuid and kind = 'invitation'", ashaId),
                "invited once");
    }

    @Test
    void progressIsVisibleWhileItRunsAndAStoppedImportRestartsFromItsCheckpointWithEachRowOnce() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("email,name,rateChat\n");
        int total = 400;
        for (int i = 0; i < total; i++) {
            csv.append("bulk-").append(i).append('-').append(tag).append("@import.parley.test,Bulk ").append(i).append(",1000\n");
        }
        JsonNode started = uploaded(csv.toString(), "?chunkSize=1");
        long executionId = started.get("executionId").asLong();
        String importId = started.get("import").get("id").asText();

        JsonNode midway = Eventually.until(Duration.ofSeconds(60), () -> api.get("/admin/expert-imports/" + importId, admin).json(),
                v -> v.get("processedRows").asInt() > 0, "the first rows to be committed");
        assertTrue(midway.get("processedRows").asInt() < total, "still running: " + midway);
        assertEquals(202, api.post("/admin/batch/executions/" + executionId + "/stop", admin, null).status());
        JsonNode stopped = awaitFinished(executionId);
        assertEquals("STOPPED", stopped.get("status").asText(), stopped::toString);
        JsonNode progress = stopped.get("progress");
        assertNotNull(progress, stopped::toString);
        long doneAtStop = progress.get("done").asLong();
        assertTrue(doneAtStop > 0 && doneAtStop < total, "stopped part-way: " + progress);
        assertEquals(total, progress.get("total").asInt());
        assertEquals(doneAtStop, Db.count("select count(*) from expert_import_row where import_id = ?::uuid", importId));

        Api.Resp restart = api.post("/admin/batch/executions/" + executionId + "/restart", admin, null);
        assertEquals(202, restart.status(), restart::toString);
        long restarted = restart.json().get("executionId").asLong();
        JsonNode done = awaitFinished(restarted);
        assertEquals("COMPLETED", done.get("status").asText(), done::toString);
        JsonNode readBack = done.get("steps").get(0).get("metrics");
        assertEquals(total - doneAtStop, readBack.get("readCount").asLong(), "the restart reads only the rows after the checkpoint: " + readBack);

        JsonNode view = api.get("/admin/expert-imports/" + importId, admin).json();
        assertEquals(restarted, view.get("executionId").asLong(), "the import follows its latest execution");
        assertEquals(total, view.get("imported").asInt(), view::toString);
        assertEquals(total, Db.count("select count(*) from account where email like ?", "bulk-%-" + tag + "@import.parley.test"));
        assertEquals(0, Db.count("select count(*) from (select lower(email) from account where email like ? group by 1 having count(*) > 1) d",
                "bulk-%-" + tag + "@import.parley.test"));
    }

    @Test
    void aBrowserStyleMultipartUploadIsImportedLikeARawOne() throws Exception {
        String email = "form-" + UUID.randomUUID() + "@import.parley.test";
        String boundary = "----parley" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"team.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\nemail,name\r\n" + email + ",Form Person\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(Api.API + "/admin/expert-imports"))
                .header("Authorization", "Bearer " + admin).header("X-Forwarded-For", "10.9.9.9")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r::body);
        JsonNode started = Api.JSON.readTree(r.body());
        assertEquals("team.csv", started.get("import").get("fileName").asText());
        assertEquals("COMPLETED", awaitFinished(started.get("executionId").asLong()).get("status").asText());
        assertEquals(1, accountsWithEmail(email));
    }

    @Test
    void badFilesBadParametersAndNonAdminsAreRefusedAndStoreNothing() {
        long importsBefore = Db.count("select count(*) from expert_import");
        assertFieldError(assertProblem(upload("email,name,salary\na@b.test,A,1\n", ""), 400, "validation"), "file");
        assertFieldError(assertProblem(upload("email,title\na@b.test,T\n", ""), 400, "validation"), "file");
        assertFieldError(assertProblem(upload("email,name\n", ""), 400, "validation"), "file");
        assertFieldError(assertProblem(upload("email,name\na@b.test,\"never closed\n", ""), 400, "validation"), "file");
        byte[] notUtf8 = "email,name\nz@b.test,Jos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertFieldError(assertProblem(rawUpload(notUtf8), 400, "validation"), "file");
        byte[] huge = new byte[5 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertProblem(rawUpload(huge), 413, "file-too-large");
        assertFieldError(assertProblem(upload("email,name\nq@b.test,Q\n", "?chunkSize=0"), 400, "validation"), "chunkSize");
        assertEquals(importsBefore, Db.count("select count(*) from expert_import"), "no refused file is stored");

        Person user = Accounts.user(api);
        assertEquals(403, api.send("POST", "/admin/expert-imports", user.token(), "email,name\nu@b.test,U\n", "text/csv").status());
        assertEquals(403, api.get("/admin/expert-imports", user.token()).status());
        assertEquals(401, api.send("POST", "/admin/expert-imports", null, "email,name\nu@b.test,U\n", "text/csv").status());
        assertEquals(415, api.send("POST", "/admin/expert-imports", admin, "{}", "application/json").status());

        String unknown = UUID.randomUUID().toString();
        assertProblem(api.get("/admin/expert-imports/" + unknown, admin), 404, "not-found");
        assertProblem(api.get("/admin/expert-imports/" + unknown + "/rows", admin), 404, "not-found");
        assertFieldError(assertProblem(api.post("/admin/batch/jobs/expert-import/executions", admin, Map.of("parameters", Map.of())),
                400, "validation"), "parameters.importId");
        assertFieldError(assertProblem(api.post("/admin/batch/jobs/expert-import/executions", admin,
                Map.of("parameters", Map.of("importId", unknown))), 400, "validation"), "parameters.importId");
        assertProblem(api.post("/auth/invitations/accept", null, Map.of("token", "abc", "password", "short")), 400, "validation");
    }

    private Api.Resp rawUpload(byte[] bytes) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(Api.API + "/admin/expert-imports"))
                    .header("Authorization", "Bearer " + admin).header("X-Forwarded-For", "10.9.9.9").header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Resp(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
