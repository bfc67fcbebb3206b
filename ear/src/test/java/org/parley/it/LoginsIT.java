package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.SystemTest;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** Logins and their tokens: refresh rotation and reuse, sign-out, password change, the list of logins. */
class LoginsIT extends SystemTest {

    /** A sign-in's answer: its access token and refresh token. */
    private record Tokens(String access, String refresh) {
    }

    private Tokens signIn(Person p, String userAgent) {
        Api.Resp r = api.sendWithHeaders("POST", "/auth/login", Map.of("email", p.email(), "password", Accounts.PASSWORD),
                "application/json", "User-Agent", userAgent);
        assertEquals(200, r.status(), r::toString);
        return new Tokens(r.json().get("accessToken").asText(), r.json().get("refreshToken").asText());
    }

    private Api.Resp refresh(String refreshToken) {
        return api.post("/auth/refresh", null, Map.of("refreshToken", refreshToken));
    }

    private int me(String access) {
        return api.get("/auth/me", access).status();
    }

    @Test
    void aRefreshTokenGivesNewTokensOnceAndTheNextOneTakesItsPlace() {
        Person p = Accounts.user(api);
        Tokens first = signIn(p, "phone");
        Api.Resp refreshed = refresh(first.refresh());
        assertEquals(200, refreshed.status(), refreshed::toString);
        JsonNode body = refreshed.json();
        assertEquals("Bearer", body.get("tokenType").asText());
        assertEquals(86400, body.get("expiresIn").asLong());
        assertEquals(p.id(), body.get("account").get("id").asText());
        Tokens second = new Tokens(body.get("accessToken").asText(), body.get("refreshToken").asText());
        assertNotEquals(first.refresh(), second.refresh());
        assertEquals(200, me(second.access()));
        assertEquals(200, refresh(second.refresh()).status(), "the rotated token works once too");
    }

    @Test
    void reusingAUsedRefreshTokenRevokesTheWholeLogin() {
        Person p = Accounts.user(api);
        Tokens first = signIn(p, "phone");
        Api.Resp rotated = refresh(first.refresh());
        Tokens second = new Tokens(rotated.json().get("accessToken").asText(), rotated.json().get("refreshToken").asText());
        assertProblem(refresh(first.refresh()), 401, null);
        assertProblem(refresh(second.refresh()), 401, null);
        assertEquals(401, me(first.access()));
        assertEquals(401, me(second.access()));
        assertEquals(200, me(p.token()), "the account's other logins are not the stolen family");
    }

    @Test
    void unknownMalformedOrMissingRefreshTokensAreRefused() {
        assertProblem(refresh("not-a-token"), 401, null);
        assertProblem(refresh("x".repeat(300)), 400, null);
        assertProblem(api.post("/auth/refresh", null, Map.of()), 400, null);
    }

    @Test
    void logoutRevokesTheLoginsAccessAndRefreshTokensOnly() {
        Person p = Accounts.user(api);
        Tokens t = signIn(p, "laptop");
        assertEquals(204, api.post("/auth/logout", t.access(), null).status());
        assertEquals(401, me(t.access()));
        assertProblem(refresh(t.refresh()), 401, null);
        assertEquals(200, me(p.token()));
    }

    @Test
    void signingOutEverywhereRevokesEveryLogin() {
        Person p = Accounts.user(api);
        Tokens a = signIn(p, "phone");
        Tokens b = signIn(p, "laptop");
        assertEquals(204, api.post("/auth/logout-all", a.access(), null).status());
        for (String access : new String[]{a.access(), b.access(), p.token()}) {
            assertEquals(401, me(access));
        }
        assertProblem(refresh(b.refresh()), 401, null);
    }

    @Test
    void changingThePasswordSignsOutTheOtherLoginsAndTheOldPasswordStopsWorking() {
        Person p = Accounts.user(api);
        Tokens here = signIn(p, "phone");
        Tokens there = signIn(p, "laptop");
        assertProblem(api.post("/me/password", here.access(), Map.of("currentPassword", "wrong one", "newPassword", "a new secret 1")),
                422, "wrong-password");
        assertFieldError(assertProblem(api.post("/me/password", here.access(),
                Map.of("currentPassword", Accounts.PASSWORD, "newPassword", "short")), 400, "validation"), "newPassword");
        assertEquals(204, api.post("/me/password", here.access(),
                Map.of("currentPassword", Accounts.PASSWORD, "newPassword", "a new secret 1")).status());
        assertEquals(200, me(here.access()), "the login that changed it stays");
        assertEquals(200, refresh(here.refresh()).status());
        assertEquals(401, me(there.access()));
        assertEquals(401, me(p.token()));
        assertProblem(refresh(there.refresh()), 401, null);
        assertProblem(api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)), 401, null);
        assertEquals(200, api.post("/auth/login", null, Map.of("email", p.email(), "password", "a new secret 1")).status());
    }

    @Test
    void wrongCurrentPasswordsCountTowardTheLoginThrottle() {
        Person p = Accounts.user(api);
        for (int i = 0; i < 5; i++) {
            assertProblem(api.post("/me/password", p.token(), Map.of("currentPassword", "guess " + i, "newPassword", "a new secret 1")),
                    422, "wrong-password");
        }
        assertProblem(api.post("/me/password", p.token(), Map.of("currentPassword", Accounts.PASSWORD, "newPassword", "a new secret 1")),
                429, "rate-limited");
        assertProblem(api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)), 429, "rate-limited");
    }

    @Test
    void theLoginsListShowsEachActiveLoginAndOneCanBeSignedOut() {
        Person p = Accounts.user(api);
        Tokens phone = signIn(p, "Parley phone app");
        Tokens laptop = signIn(p, "Parley web on a laptop");
        JsonNode list = api.get("/me/logins", phone.access()).json();
        assertEquals(3, list.get("total").asInt(), list::toString);
        String laptopLogin = null;
        int current = 0;
        for (JsonNode login : list.get("items")) {
            assertTrue(login.hasNonNull("createdAt") && login.hasNonNull("lastUsedAt") && login.hasNonNull("address"), login::toString);
            if (login.get("current").asBoolean()) {
                current++;
                assertEquals("Parley phone app", login.get("userAgent").asText());
            }
            if ("Parley web on a laptop".equals(login.get("userAgent").asText())) {
                laptopLogin = login.get("id").asText();
            }
        }
        assertEquals(1, current, "exactly the login making the request is current");
        assertProblem(api.delete("/me/logins/" + laptopLogin, Accounts.user(api).token()), 404, "not-found");
        assertProblem(api.delete("/me/logins/" + UUID.randomUUID(), phone.access()), 404, "not-found");
        assertEquals(200, me(laptop.access()), "someone else's attempt changed nothing");
        assertEquals(204, api.delete("/me/logins/" + laptopLogin, phone.access()).status());
        assertEquals(401, me(laptop.access()));
        assertProblem(refresh(laptop.refresh()), 401, null);
        assertEquals(2, api.get("/me/logins", phone.access()).json().get("total").asInt());
    }

    @Test
    void aPasswordHashedAtALowerCostIsRehashedAtTheConfiguredCostWhenItsOwnerSignsIn() {
        Person p = Accounts.user(api);
        String weak = at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, Accounts.PASSWORD.toCharArray());
        Db.exec("update account set password_hash = ? where id = ?::uuid", weak, p.id());
        assertEquals(200, api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)).status());
        String stored = Db.string("select password_hash from account where id = ?::uuid", p.id());
        assertTrue(stored.startsWith("$2a$06$"), "rehashed at the test server's cost 6: " + stored);
        assertEquals(200, api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)).status());
    }
}
