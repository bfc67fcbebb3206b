package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.Concurrently;
import org.parley.it.support.SystemTest;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** The onboarding pipeline from APPLIED to APPROVED or REJECTED, its illegal moves, and what approval unlocks. */
class ExpertOnboardingIT extends SystemTest {

    private static final Map<String, Object> PROFILE = Accounts.profile("Vedic astrologer", List.of("Astrology", "career"),
            List.of("en", "hi"), Map.of("CHAT", 1500L, "VOICE", 2500L));

    @Test
    void applicantCompletesProfileButCannotGoOnlineOrBeListedUntilApproved() {
        Person expert = Accounts.expertApplicant(api);
        assertEquals("APPLIED", Accounts.me(api, expert.token()).get("expertStatus").asText());
        Api.Resp put = api.put("/experts/me", expert.token(), PROFILE);
        assertEquals(200, put.status(), put::toString);
        assertEquals(List.of("astrology", "career"), List.of(put.json().get("specialties").get(0).asText(), put.json().get("specialties").get(1).asText()));
        assertEquals(1500, put.json().get("rates").get("CHAT").asLong());

        assertProblem(api.put("/experts/me/presence", expert.token(), Map.of("online", true)), 403, "forbidden");
        assertProblem(api.get("/experts/" + expert.id(), null), 404, "not-found");
        assertEquals(0, api.get("/experts?q=" + expert.id(), null).json().get("total").asInt());
        assertEquals("false", Db.string("select online::text from expert_profile where account_id = ?::uuid", expert.id()));
    }

    @Test
    void adminMovesAnApplicationStepByStepToApprovedAndEveryMoveIsAuditedWithItsNote() {
        String admin = Accounts.admin(api);
        Person expert = Accounts.expertApplicant(api);
        api.put("/experts/me", expert.token(), PROFILE);
        for (String step : Accounts.PIPELINE) {
            Api.Resp r = api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", step, "note", "checked " + step));
            assertEquals(200, r.status(), r::toString);
            assertEquals(step, r.json().get("status").asText());
        }
        assertEquals("APPROVED", Accounts.me(api, expert.token()).get("expertStatus").asText());
        JsonNode audit = api.get("/admin/audit?action=EXPERT_STATUS_CHANGED&entityId=" + expert.id() + "&size=10", admin).json();
        assertEquals(4, audit.get("total").asInt());
        JsonNode last = audit.get("items").get(0);
        assertEquals("CALL_DONE", last.get("metadata").get("from").asText());
        assertEquals("APPROVED", last.get("metadata").get("to").asText());
        assertEquals("checked APPROVED", last.get("metadata").get("note").asText());
        assertEquals(Accounts.me(api, admin).get("id").asText(), last.get("actorId").asText());

        Api.Resp online = api.put("/experts/me/presence", expert.token(), Map.of("online", true));
        assertEquals(200, online.status(), online::toString);
        JsonNode card = api.get("/experts/" + expert.id(), null).json();
        assertTrue(card.get("online").asBoolean());
        assertEquals("Vedic astrologer", card.get("title").asText());
    }

    @Test
    void illegalMovesAre409AndChangeNothing() {
        String admin = Accounts.admin(api);
        Person expert = Accounts.expertApplicant(api);
        assertProblem(api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "APPROVED")), 409, "illegal-transition");
        assertProblem(api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "CALL_SCHEDULED")), 409, "illegal-transition");
        assertProblem(api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "APPLIED")), 409, "illegal-transition");
        assertEquals("APPLIED", Db.string("select status from expert_profile where account_id = ?::uuid", expert.id()));

        Accounts.approve(api, admin, expert.id());
        assertProblem(api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "REJECTED", "reason", "too late")), 409, "illegal-transition");
        assertEquals("APPROVED", Db.string("select status from expert_profile where account_id = ?::uuid", expert.id()));
    }

    @Test
    void concurrentMovesOfOneApplicationSucceedOnceAndAuditOnce() throws Exception {
        String admin = Accounts.admin(api);
        Person expert = Accounts.expertApplicant(api);
        java.util.List<Integer> statuses = Concurrently.run(6, () -> api.put("/admin/expert-applications/" + expert.id(), admin,
                Map.of("status", "DOCUMENTS_VERIFIED")).status());
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses::toString);
        assertEquals(5, statuses.stream().filter(s -> s == 409).count(), statuses::toString);
        assertEquals(1, Db.count("select count(*) from audit_entry where action = 'EXPERT_STATUS_CHANGED' and entity_id = ?", expert.id()));
    }

    @Test
    void rejectionNeedsAReasonIsFinalAndKeepsTheExpertOffline() {
        String admin = Accounts.admin(api);
        Person expert = Accounts.expertApplicant(api);
        api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "DOCUMENTS_VERIFIED"));
        assertProblem(api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "REJECTED")), 422, "reason-required");
        assertEquals("DOCUMENTS_VERIFIED", Db.string("select status from expert_profile where account_id = ?::uuid", expert.id()));

        Api.Resp rejected = api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "REJECTED", "reason", "documents forged"));
        assertEquals(200, rejected.status(), rejected::toString);
        assertEquals("documents forged", rejected.json().get("rejectionReason").asText());
        assertProblem(api.put("/admin/expert-applications/" + expert.id(), admin, Map.of("status", "CALL_SCHEDULED")), 409, null);
        assertProblem(api.put("/experts/me/presence", expert.token(), Map.of("online", true)), 403, null);
        assertEquals("REJECTED", Accounts.me(api, expert.token()).get("expertStatus").asText());
    }

    @Test
    void applicationsAreListedByStatusAndUsersHaveNone() {
        String admin = Accounts.admin(api);
        Person expert = Accounts.expertApplicant(api);
        Person user = Accounts.user(api);
        JsonNode applied = api.get("/admin/expert-applications?status=APPLIED&size=100", admin).json();
        assertTrue(applied.get("total").asInt() >= 1);
        boolean listed = false;
        for (JsonNode a : applied.get("items")) {
            listed |= a.get("expertId").asText().equals(expert.id());
            assertEquals("APPLIED", a.get("status").asText());
        }
        assertTrue(listed || applied.get("total").asInt() > 100, "the new applicant is in the APPLIED queue");
        assertProblem(api.put("/admin/expert-applications/" + user.id(), admin, Map.of("status", "DOCUMENTS_VERIFIED")), 404, "not-found");
    }

    @Test
    void onlyExpertsEditExpertProfilesAndRatesAreValidated() {
        Person user = Accounts.user(api);
        assertProblem(api.put("/experts/me", user.token(), PROFILE), 403, "forbidden");
        Person expert = Accounts.expertApplicant(api);
        JsonNode problem = assertProblem(api.put("/experts/me", expert.token(), Accounts.profile("T", List.of("x"), List.of("en"),
                Map.of("CHAT", -5L))), 400, "validation");
        assertFieldError(problem, "rates");
        assertFieldError(assertProblem(api.put("/experts/me", expert.token(),
                Map.of("title", "T", "specialties", List.of(), "languages", List.of(), "rates", Map.of("TELEPATHY", 100))), 400, "validation"), "rates");
        assertFieldError(assertProblem(api.put("/experts/me", expert.token(),
                Map.of("title", "T", "specialties", List.of(), "languages", List.of(), "rates", Map.of(), "rating", 5)), 400, "validation"), "rating");
        assertEquals(0, Db.count("select count(*) from expert_specialty where expert_id = ?::uuid", expert.id()));
    }
}
