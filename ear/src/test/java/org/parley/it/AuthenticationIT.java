package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.Concurrently;
import org.parley.it.support.SystemTest;
import org.parley.it.support.Tokens;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertProblem;

/** Registration, sign-in, tokens and their revocation, against the deployed EAR over HTTP. */
class AuthenticationIT extends SystemTest {


    @Test
    void registerLoginMeLogoutRoundTripAndTheTokenIsRefusedAfterLogout() {
        String email = Accounts.uniqueEmail("round");
        Api.Resp reg = api.post("/auth/register", null, Map.of("email", email, "password", Accounts.PASSWORD,
                "name", "Round Trip", "role", "USER", "phone", "+91 98765 43210"));
        assertEquals(201, reg.status(), reg::toString);
        assertEquals("USER", reg.json().get("role").asText());
        assertEquals("ACTIVE", reg.json().get("status").asText());
        assertFalse(reg.json().has("expertStatus"));
        assertFalse(reg.body().contains("password"), "no password or hash is ever returned");

        Api.Resp login = api.post("/auth/login", null, Map.of("email", email.toUpperCase(), "password", Accounts.PASSWORD));
        assertEquals(200, login.status(), login::toString);
        JsonNode body = login.json();
        assertEquals("Bearer", body.get("tokenType").asText());
        assertEquals(86400, body.get("expiresIn").asInt());
        String token = body.get("accessToken").asText();

        JsonNode me = Accounts.me(api, token);
        assertEquals(reg.json().get("id").asText(), me.get("id").asText());
        assertEquals(email, me.get("email").asText());
        assertEquals("+91 98765 43210", me.get("phone").asText());

        assertEquals(204, api.post("/auth/logout", token, null).status());
        assertProblem(api.get("/auth/me", token), 401, "unauthenticated");
        assertEquals(1, Db.count("select count(*) from auth_token where account_id = ?::uuid and revoked_at is not null", me.get("id").asText()));
    }

    @Test
    void duplicateEmailInAnyCaseIs409AndCreatesNothing() {
        Person first = Accounts.user(api);
        Api.Resp again = api.post("/auth/register", null, Map.of("email", first.email().toUpperCase(),
                "password", Accounts.PASSWORD, "name", "Copy", "role", "USER"));
        assertProblem(again, 409, "email-taken");
        assertEquals(1, Db.count("select count(*) from account where lower(email) = ?", first.email()));
    }

    @Test
    void concurrentRegistrationsOfOneEmailCreateExactlyOneAccount() throws Exception {
        String email = Accounts.uniqueEmail("race");
        java.util.List<Integer> statuses = Concurrently.run(8, () -> api.post("/auth/register", null, Map.of("email", email,
                "password", Accounts.PASSWORD, "name", "Racer", "role", "USER")).status());
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses::toString);
        assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses::toString);
        assertEquals(1, Db.count("select count(*) from account where email = ?", email));
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSame401() {
        Person p = Accounts.user(api);
        Api.Resp wrongPassword = api.post("/auth/login", null, Map.of("email", p.email(), "password", "not the password"));
        Api.Resp unknownEmail = api.post("/auth/login", null, Map.of("email", Accounts.uniqueEmail("nobody"), "password", "not the password"));
        JsonNode a = assertProblem(wrongPassword, 401, "unauthenticated");
        JsonNode b = assertProblem(unknownEmail, 401, "unauthenticated");
        assertEquals(a.get("detail"), b.get("detail"));
        assertEquals(a.get("title"), b.get("title"));
    }

    @Test
    void everyKindOfBadTokenIs401Problem() throws Exception {
        Person p = Accounts.user(api);
        Instant now = Instant.now();
        String expired = Tokens.signedByServer(Tokens.claims(p.id(), "USER", now.minusSeconds(7200), now.minusSeconds(3600), null));
        String unknownJti = Tokens.signedByServer(Tokens.claims(p.id(), "USER", now, now.plusSeconds(3600), null));
        String strangerSigned = Tokens.signedByStranger(Tokens.claims(p.id(), "USER", now, now.plusSeconds(3600), null));
        String algNone = Tokens.unsigned(Tokens.claims(p.id(), "ADMIN", now, now.plusSeconds(3600), null));
        String tampered = Tokens.tampered(p.token(), "groups", java.util.List.of("ADMIN"));

        assertProblem(api.get("/auth/me", null), 401, "unauthenticated");
        for (String bad : new String[]{"garbage", "a.b.c", expired, unknownJti, strangerSigned, algNone, tampered}) {
            assertProblem(api.get("/auth/me", bad), 401, "unauthenticated");
        }
        assertEquals(200, api.get("/auth/me", p.token()).status(), "the genuine token still works");
    }

    @Test
    void deactivatedAccountCannotSignInAndAllItsTokensAreRevoked() {
        Person p = Accounts.user(api);
        String second = Accounts.login(api, p.email(), Accounts.PASSWORD);
        assertEquals(204, api.post("/me/deactivate", p.token(), null).status());
        assertProblem(api.get("/auth/me", p.token()), 401, "unauthenticated");
        assertProblem(api.get("/auth/me", second), 401, "unauthenticated");
        assertProblem(api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)), 403, "forbidden");
        assertEquals("DEACTIVATED", Db.string("select status from account where id = ?::uuid", p.id()));
    }

    @Test
    void repeatedFailedLoginsForOneAccountAre429WithRetryAfterWhileOthersFromTheSameAddressSignIn() {
        Person victim = Accounts.user(api);
        Person neighbour = Accounts.user(api);
        for (int i = 0; i < 5; i++) {
            assertProblem(api.post("/auth/login", null, Map.of("email", victim.email(), "password", "wrong " + i)), 401, null);
        }
        Api.Resp limited = api.post("/auth/login", null, Map.of("email", victim.email(), "password", Accounts.PASSWORD));
        assertProblem(limited, 429, "rate-limited");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 900, "Retry-After " + retryAfter);

        Api.Resp other = api.post("/auth/login", null, Map.of("email", neighbour.email(), "password", Accounts.PASSWORD));
        assertEquals(200, other.status(), "another account from the same address is not slowed: " + other);
    }

    @Test
    void oneAddressFailingAgainstManyAccountsIsLimitedToo() {
        Api attacker = new Api("203.0.113.77");
        for (int i = 0; i < 30; i++) {
            assertProblem(attacker.post("/auth/login", null, Map.of("email", Accounts.uniqueEmail("spray"), "password", "guess")), 401, null);
        }
        assertProblem(attacker.post("/auth/login", null, Map.of("email", Accounts.uniqueEmail("spray"), "password", "guess")), 429, "rate-limited");
        Person elsewhere = Accounts.user(new Api());
        assertEquals(200, new Api().post("/auth/login", null, Map.of("email", elsewhere.email(), "password", Accounts.PASSWORD)).status());
    }
}
