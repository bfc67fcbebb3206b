package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.SystemTest;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** The owner's profile, mass-assignment refusals, and admins managing accounts. */
class AccountsIT extends SystemTest {


    @Test
    void ownerReadsAndUpdatesTheirProfile() {
        Person p = Accounts.user(api);
        Api.Resp put = api.put("/me/profile", p.token(), Map.of("name", "Asha Rao", "phone", "+91 90000 00001",
                "language", "hi", "age", 31, "bio", "Likes long walks"));
        assertEquals(200, put.status(), put::toString);
        JsonNode profile = api.get("/me/profile", p.token()).json();
        assertEquals("Asha Rao", profile.get("name").asText());
        assertEquals("hi", profile.get("language").asText());
        assertEquals(31, profile.get("age").asInt());
        assertEquals("Asha Rao", Db.string("select name from account where id = ?::uuid", p.id()));
    }

    @Test
    void profileUpdateCarryingRoleStatusOrBalanceIsRefusedAndChangesNothing() {
        Person p = Accounts.user(api);
        for (String field : new String[]{"role", "status", "balance", "id", "email"}) {
            Map<String, Object> body = new HashMap<>(Map.of("name", "Mallory", "age", 30));
            body.put(field, field.equals("balance") ? 100000 : field.equals("role") ? "ADMIN" : "ACTIVE");
            assertFieldError(assertProblem(api.put("/me/profile", p.token(), body), 400, "validation"), field);
        }
        assertEquals("USER", Db.string("select role from account where id = ?::uuid", p.id()));
        assertEquals("Test User", Db.string("select name from account where id = ?::uuid", p.id()));
    }

    @Test
    void aUserCannotReadOrChangeAnotherUsersAccount() {
        Person alice = Accounts.user(api);
        Person bob = Accounts.user(api);
        assertProblem(api.get("/admin/accounts/" + bob.id(), alice.token()), 403, "forbidden");
        assertProblem(api.patch("/admin/accounts/" + bob.id(), alice.token(), Map.of("status", "SUSPENDED")), 403, "forbidden");
        assertFieldError(assertProblem(api.put("/me/profile", alice.token(), Map.of("id", bob.id(), "name", "Hijacked")), 400, "validation"), "id");
        assertProblem(api.get("/experts/" + bob.id(), alice.token()), 404, "not-found");
        assertEquals(200, api.put("/me/profile", alice.token(), Map.of("name", "Alice Only")).status());
        assertEquals("Alice Only", api.get("/me/profile", alice.token()).json().get("name").asText());
        assertEquals("Test User", api.get("/me/profile", bob.token()).json().get("name").asText());
        assertEquals("ACTIVE", Db.string("select status from account where id = ?::uuid", bob.id()));
        assertEquals(bob.email(), api.get("/admin/accounts/" + bob.id(), Accounts.admin(api)).json().get("email").asText());
    }

    @Test
    void profileValuesOutOfRangeAre400WithFieldErrors() {
        Person p = Accounts.user(api);
        JsonNode problem = assertProblem(api.put("/me/profile", p.token(), Map.of("name", "", "age", 7, "phone", "call me")), 400, "validation");
        assertFieldError(problem, "name");
        assertFieldError(problem, "age");
        assertFieldError(problem, "phone");
    }

    @Test
    void registeringAsAdminIsRefusedAndCreatesNoAccount() {
        String email = Accounts.uniqueEmail("wannabe");
        assertProblem(api.post("/auth/register", null, Map.of("email", email, "password", Accounts.PASSWORD,
                "name", "Wannabe", "role", "ADMIN")), 422, "role-not-allowed");
        assertEquals(0, Db.count("select count(*) from account where email = ?", email));
    }

    @Test
    void nonAdminsGet403FromAdminEndpointsAndAnonymous401() {
        Person user = Accounts.user(api);
        Person expert = Accounts.expertApplicant(api);
        for (String token : new String[]{user.token(), expert.token()}) {
            assertProblem(api.get("/admin/accounts", token), 403, "forbidden");
            assertProblem(api.patch("/admin/accounts/" + user.id(), token, Map.of("role", "ADMIN")), 403, "forbidden");
            assertProblem(api.get("/admin/config", token), 403, "forbidden");
            assertProblem(api.get("/admin/audit", token), 403, "forbidden");
        }
        assertProblem(api.get("/admin/accounts", null), 401, "unauthenticated");
        assertEquals("USER", Db.string("select role from account where id = ?::uuid", user.id()));
    }

    @Test
    void adminListsAccountsWithFilters() {
        String admin = Accounts.admin(api);
        Person p = Accounts.user(api);
        JsonNode page = api.get("/admin/accounts?q=" + p.email() + "&role=USER&status=ACTIVE", admin).json();
        assertEquals(1, page.get("total").asInt());
        assertEquals(p.id(), page.get("items").get(0).get("id").asText());
        assertEquals(0, api.get("/admin/accounts?q=" + p.email() + "&role=EXPERT", admin).json().get("total").asInt());
    }

    @Test
    void promotionToAdminAppliesToTheExistingTokenAtOnce() {
        String admin = Accounts.admin(api);
        Person p = Accounts.user(api);
        assertProblem(api.get("/admin/accounts", p.token()), 403, null);
        Api.Resp promoted = api.patch("/admin/accounts/" + p.id(), admin, Map.of("role", "ADMIN"));
        assertEquals(200, promoted.status(), promoted::toString);
        assertEquals("ADMIN", promoted.json().get("role").asText());
        assertEquals(200, api.get("/admin/accounts", p.token()).status());
    }

    @Test
    void suspensionRevokesTokensAndBlocksSignIn() {
        String admin = Accounts.admin(api);
        Person p = Accounts.user(api);
        assertEquals(200, api.patch("/admin/accounts/" + p.id(), admin, Map.of("status", "SUSPENDED")).status());
        assertProblem(api.get("/auth/me", p.token()), 401, null);
        assertProblem(api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)), 403, null);
        assertEquals(200, api.patch("/admin/accounts/" + p.id(), admin, Map.of("status", "ACTIVE")).status());
        assertEquals(200, api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)).status());
    }

    @Test
    void adminCannotChangeTheirOwnAccountAndUnknownAccountsAre404() {
        String admin = Accounts.admin(api);
        String adminId = Accounts.me(api, admin).get("id").asText();
        assertProblem(api.patch("/admin/accounts/" + adminId, admin, Map.of("role", "USER")), 422, "own-account");
        assertProblem(api.patch("/admin/accounts/" + java.util.UUID.randomUUID(), admin, Map.of("status", "SUSPENDED")), 404, "not-found");
        assertFieldError(assertProblem(api.patch("/admin/accounts/" + adminId, admin, Map.of("role", "KING")), 400, "validation"), "role");
        assertEquals("ADMIN", Db.string("select role from account where id = ?::uuid", adminId));
    }

    @Test
    void theFirstAdminExistsFromConfiguration() {
        JsonNode me = Accounts.me(api, Accounts.admin(api));
        assertEquals("ADMIN", me.get("role").asText());
        assertTrue(Db.count("select count(*) from audit_entry where action = 'ADMIN_BOOTSTRAPPED'") >= 1);
    }
}
