package org.parley.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Builds the people a test needs, through the public API only. */
public final class Accounts {

    public static final String PASSWORD = "correct horse battery";
    public static final List<String> PIPELINE = List.of("DOCUMENTS_VERIFIED", "CALL_SCHEDULED", "CALL_DONE", "APPROVED");

    private Accounts() {
    }

    /** A registered, signed-in account. */
    public record Person(String id, String email, String token) {
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID() + "@it.parley.test";
    }

    public static Person user(Api api) {
        return register(api, "USER", "Test User");
    }

    public static Person expertApplicant(Api api) {
        return register(api, "EXPERT", "Test Expert");
    }

    public static Person register(Api api, String role, String name) {
        String email = uniqueEmail(role.toLowerCase());
        Api.Resp r = api.post("/auth/register", null, Map.of("email", email, "password", PASSWORD, "name", name, "role", role));
        assertEquals(201, r.status(), r::toString);
        return new Person(r.json().get("id").asText(), email, login(api, email, PASSWORD));
    }

    public static String login(Api api, String email, String password) {
        Api.Resp r = api.post("/auth/login", null, Map.of("email", email, "password", password));
        assertEquals(200, r.status(), r::toString);
        return r.json().get("accessToken").asText();
    }

    public static String admin(Api api) {
        // outside the server the suite's properties; inside it (in-container tests) the server's own
        return login(api, System.getProperty("parley.it.admin.email", System.getProperty("parley.admin.email")),
                System.getProperty("parley.it.admin.password", System.getProperty("parley.admin.password")));
    }

    /** Moves an application through every step to APPROVED. */
    public static void approve(Api api, String adminToken, String expertId) {
        for (String step : PIPELINE) {
            Api.Resp r = api.put("/admin/expert-applications/" + expertId, adminToken, Map.of("status", step));
            assertEquals(200, r.status(), r::toString);
        }
    }

    /** An approved expert with the given public profile. */
    public static Person approvedExpert(Api api, String adminToken, String name, Map<String, Object> profile) {
        Person expert = register(api, "EXPERT", name);
        Api.Resp r = api.put("/experts/me", expert.token(), profile);
        assertEquals(200, r.status(), r::toString);
        approve(api, adminToken, expert.id());
        return expert;
    }

    public static Map<String, Object> profile(String title, List<String> specialties, List<String> languages, Map<String, Long> rates) {
        return Map.of("title", title, "bio", "Bio of " + title, "experienceYears", 5,
                "specialties", specialties, "languages", languages, "rates", rates);
    }

    public static JsonNode me(Api api, String token) {
        Api.Resp r = api.get("/auth/me", token);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }
}
