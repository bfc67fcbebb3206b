package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.SystemTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertProblem;

/**
 * Training against the deployed EAR (files in s3proxy): exact, idempotent progress, the approval gate, the certificate
 * PDF parsed back with PDFBox and its public verification, and experts' documents. Every required module a test makes
 * is made optional again after it, so other tests can still approve experts.
 */
class TrainingIT extends SystemTest {

    private String admin;
    private final List<String> requiredModules = new ArrayList<>();

    @BeforeEach
    void signIn() {
        admin = Accounts.admin(api);
    }

    @AfterEach
    void optionalAgain() {
        for (String id : requiredModules) {
            api.put("/admin/training/modules/" + id, admin, Map.of("title", "retired", "required", false, "position", 999,
                    "fileIds", List.of(trainingFile())));
        }
    }

    private String trainingFile() {
        Api.Resp r = FilesIT.upload(admin, "TRAINING", "lesson.pdf", "application/pdf", FilesIT.pdf());
        assertEquals(201, r.status(), r::toString);
        return r.json().get("id").asText();
    }

    private String module(String title, boolean required, List<String> files) {
        Api.Resp r = api.post("/admin/training/modules", admin, Map.of("title", title, "description", "about " + title, "required", required,
                "position", 1, "fileIds", files));
        assertEquals(201, r.status(), r::toString);
        String id = r.json().get("id").asText();
        if (required) {
            requiredModules.add(id);
        }
        return id;
    }

    private JsonNode view(Person expert, String module, String file) {
        Api.Resp r = api.post("/training/modules/" + module + "/views", expert.token(), Map.of("fileId", file));
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    @Test
    void progressIsExactAndIdempotentAndCompletingTheRequiredTrainingIssuesAVerifiableCertificate() throws Exception {
        List<String> files = List.of(trainingFile(), trainingFile(), trainingFile());
        String outside = trainingFile();
        String listening = module("Active listening", true, files);
        Person expert = Accounts.register(api, "EXPERT", "Meera Iyer");

        JsonNode before = api.get("/training/modules", expert.token()).json().get("items");
        JsonNode mine = null;
        for (JsonNode m : before) {
            if (m.get("id").asText().equals(listening)) {
                mine = m;
            }
        }
        assertEquals(0, mine.get("progress").get("viewed").asInt());
        assertEquals(3, mine.get("progress").get("total").asInt());
        assertEquals(33, view(expert, listening, files.get(0)).get("percent").asInt());
        JsonNode again = view(expert, listening, files.get(0));
        assertEquals(1, again.get("viewed").asInt(), "viewing again changes nothing");
        assertEquals(33, again.get("percent").asInt());
        assertProblem(api.post("/training/modules/" + listening + "/views", expert.token(), Map.of("fileId", outside)), 404, "not-found");
        assertEquals(67, view(expert, listening, files.get(1)).get("percent").asInt());
        JsonNode done = view(expert, listening, files.get(2));
        assertEquals(100, done.get("percent").asInt());
        assertTrue(done.hasNonNull("completedAt"));
        assertEquals(done.get("completedAt").asText(), view(expert, listening, files.get(2)).get("completedAt").asText(), "completed once");

        JsonNode certificates = api.get("/certificates", expert.token()).json().get("items");
        assertEquals(1, certificates.size(), certificates::toString);
        JsonNode certificate = certificates.get(0);
        String code = certificate.get("code").asText();
        Api.Resp redirect = api.get("/certificates/" + certificate.get("id").asText() + "/content", expert.token());
        assertEquals(302, redirect.status(), redirect::toString);
        byte[] pdf = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(redirect.headers().firstValue("Location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("Meera Iyer") && text.contains(code) && text.contains("Active listening"), text);
        }
        JsonNode valid = api.get("/certificates/verify/" + code, null).json();
        assertTrue(valid.get("valid").asBoolean());
        assertEquals("Meera Iyer", valid.get("expertName").asText());
        assertTrue(valid.get("modules").toString().contains("Active listening"));
        assertFalse(api.get("/certificates/verify/PRL-NOTACODE00", null).json().get("valid").asBoolean());
        assertProblem(api.get("/certificates/" + certificate.get("id").asText(), Accounts.register(api, "EXPERT", "Other").token()), 404, "not-found");

        JsonNode progress = api.get("/admin/training/progress?expertId=" + expert.id(), admin).json().get("items");
        assertTrue(progress.toString().contains("\"percent\":100"), progress::toString);
        assertProblem(api.get("/training/modules", Accounts.user(api).token()), 403, null);
        assertProblem(api.post("/admin/training/modules", expert.token(), Map.of("title", "x", "required", false, "position", 1,
                "fileIds", files)), 403, null);
        assertProblem(api.post("/admin/training/modules", admin, Map.of("title", "x", "required", false, "position", 1,
                "fileIds", List.of(outside, certificate.get("fileId").asText()))), 422, "not-training-files");
    }

    @Test
    void approvalWaitsUntilTheExpertHasCompletedEveryRequiredModule() {
        String file = trainingFile();
        String ethics = module("Ethics", true, List.of(file));
        Person expert = Accounts.expertApplicant(api);
        for (String step : List.of("DOCUMENTS_VERIFIED", "CALL_SCHEDULED", "CALL_DONE")) {
            assertEquals(200, api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", step)).status());
        }
        assertProblem(api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "APPROVED")), 409, "training-incomplete");
        view(expert, ethics, file);
        Api.Resp approved = api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "APPROVED"));
        assertEquals(200, approved.status(), approved::toString);
        assertEquals("APPROVED", approved.json().get("status").asText());
    }

    @Test
    void expertsAttachTheirOwnDocumentsOnceAndAdminsReadThem() {
        Person expert = Accounts.expertApplicant(api);
        Person other = Accounts.expertApplicant(api);
        String file = FilesIT.upload(expert.token(), "EXPERT_DOCUMENT", "aadhaar.pdf", "application/pdf", FilesIT.pdf()).json().get("id").asText();
        String othersFile = FilesIT.upload(other.token(), "EXPERT_DOCUMENT", "cv.pdf", "application/pdf", FilesIT.pdf()).json().get("id").asText();
        Api.Resp attached = api.post("/experts/me/documents", expert.token(), Map.of("fileId", file, "kind", "ID_PROOF"));
        assertEquals(201, attached.status(), attached::toString);
        assertEquals("aadhaar.pdf", attached.json().get("name").asText());
        assertProblem(api.post("/experts/me/documents", expert.token(), Map.of("fileId", file, "kind", "ID_PROOF")), 409, "already-attached");
        assertProblem(api.post("/experts/me/documents", expert.token(), Map.of("fileId", othersFile, "kind", "RESUME")), 404, "not-found");
        assertProblem(api.post("/experts/me/documents", expert.token(), Map.of("fileId", file, "kind", "PASSPORT_PHOTO")), 400, null);
        JsonNode forAdmin = api.get("/admin/expert-applications/" + expert.id() + "/documents", admin).json().get("items");
        assertEquals(1, forAdmin.size());
        assertEquals("ID_PROOF", forAdmin.get(0).get("kind").asText());
        assertEquals(302, api.get("/files/" + file + "/content", admin).status());
        assertProblem(api.get("/admin/expert-applications/" + expert.id() + "/documents", other.token()), 403, null);
    }
}
