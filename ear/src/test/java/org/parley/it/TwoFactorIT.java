package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.identity.Totp;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.ServerProperties;
import org.parley.it.support.SystemTest;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertProblem;

/** Two-factor sign-in with TOTP: enrolment, the two-step login, replayed and wrong codes, recovery codes. */
class TwoFactorIT extends SystemTest {

    /** The code an authenticator app shows for {@code secret}, {@code stepsAhead} steps from now (within the skew window). */
    private static String code(String secret, int stepsAhead) {
        return Totp.code(Totp.decode(secret), Totp.step(Instant.now()) + stepsAhead, Totp.DIGITS);
    }

    /** An account with two-factor on: its secret and recovery codes. */
    private record Enrolled(Person person, String secret, JsonNode recoveryCodes) {
    }

    private Enrolled enrolled() {
        Person p = Accounts.user(api);
        Api.Resp enrol = api.post("/me/totp", p.token(), null);
        assertEquals(200, enrol.status(), enrol::toString);
        String secret = enrol.json().get("secret").asText();
        assertTrue(enrol.json().get("otpauthUri").asText().startsWith("otpauth://totp/Parley:"), enrol::toString);
        Api.Resp confirmed = api.post("/me/totp/confirm", p.token(), Map.of("code", code(secret, 0)));
        assertEquals(200, confirmed.status(), confirmed::toString);
        return new Enrolled(p, secret, confirmed.json().get("recoveryCodes"));
    }

    private String firstStep(Person p) {
        Api.Resp r = api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD));
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.json().get("mfaRequired").asBoolean(), r::toString);
        assertFalse(r.json().has("accessToken"), "no access token before the second factor");
        return r.json().get("mfaToken").asText();
    }

    private Api.Resp secondStep(String mfaToken, String code) {
        return api.post("/auth/login/totp", null, Map.of("mfaToken", mfaToken, "code", code));
    }

    @Test
    void enrolmentIsConfirmedByAFirstCodeAndHandsOutTenRecoveryCodes() {
        Person p = Accounts.user(api);
        String secret = api.post("/me/totp", p.token(), null).json().get("secret").asText();
        assertProblem(api.post("/me/totp/confirm", p.token(), Map.of("code", "000000".equals(code(secret, 0)) ? "111111" : "000000")),
                422, "totp-code-wrong");
        assertTrue(api.post("/auth/login", null, Map.of("email", p.email(), "password", Accounts.PASSWORD)).json()
                .path("accessToken").isTextual(), "two-factor is not on before it is confirmed");
        Api.Resp confirmed = api.post("/me/totp/confirm", p.token(), Map.of("code", code(secret, 0)));
        assertEquals(200, confirmed.status(), confirmed::toString);
        assertEquals(10, confirmed.json().get("recoveryCodes").size());
        assertProblem(api.post("/me/totp", p.token(), null), 409, "totp-enabled");
    }

    @Test
    void aSignInTakesThePasswordThenACodeAndACodeWorksOnce() {
        Enrolled e = enrolled();
        String next = code(e.secret(), 1); // the confirming code took this step; the next is within the skew window
        Api.Resp signedIn = secondStep(firstStep(e.person()), next);
        assertEquals(200, signedIn.status(), signedIn::toString);
        assertEquals(200, api.get("/auth/me", signedIn.json().get("accessToken").asText()).status());
        assertTrue(signedIn.json().get("refreshToken").isTextual());
        assertProblem(secondStep(firstStep(e.person()), next), 401, "unauthenticated");
        assertProblem(secondStep("no-such-token", next), 401, "unauthenticated");
    }

    @Test
    void aRecoveryCodeSignsInOnce() {
        Enrolled e = enrolled();
        String recovery = e.recoveryCodes().get(3).asText();
        assertEquals(200, secondStep(firstStep(e.person()), recovery).status());
        assertProblem(secondStep(firstStep(e.person()), recovery), 401, "unauthenticated");
        assertEquals(200, secondStep(firstStep(e.person()), e.recoveryCodes().get(4).asText()).status());
    }

    @Test
    void wrongCodesCountTowardTheLoginThrottleAndARightPasswordDoesNotResetTheCount() {
        Enrolled e = enrolled();
        for (int i = 0; i < 5; i++) {
            String wrong = String.format("%06d", (Integer.parseInt(code(e.secret(), 1)) + 1 + i) % 1_000_000);
            assertProblem(secondStep(firstStep(e.person()), wrong), 401, "unauthenticated");
        }
        assertProblem(api.post("/auth/login", null, Map.of("email", e.person().email(), "password", Accounts.PASSWORD)), 429, "rate-limited");
    }

    /** Sets or removes the system property behind PARLEY_ADMIN_TOTP_REQUIRED on the running test server. */
    private static void adminTotpRequired(boolean on) throws Exception {
        if (on) {
            ServerProperties.set("parley.admin.totp-required", "true");
        } else {
            ServerProperties.remove("parley.admin.totp-required");
        }
    }

    @Test
    void withTwoFactorRequiredAnAdminWithoutItIsRefusedAdminEndpointsUntilItEnrols() throws Exception {
        String root = Accounts.admin(api);
        Person admin = Accounts.user(api);
        assertEquals(200, api.patch("/admin/accounts/" + admin.id(), root, Map.of("role", "ADMIN")).status());
        assertEquals(200, api.get("/admin/ledger/check", admin.token()).status(), "not required yet");
        adminTotpRequired(true);
        try {
            assertProblem(api.get("/admin/ledger/check", admin.token()), 403, "totp-required");
            assertEquals(200, api.get("/auth/me", admin.token()).status(), "the rest of the account works, enrolment included");
            String secret = api.post("/me/totp", admin.token(), null).json().get("secret").asText();
            assertEquals(200, api.post("/me/totp/confirm", admin.token(), Map.of("code", code(secret, 0))).status());
            assertEquals(200, api.get("/admin/ledger/check", admin.token()).status());
        } finally {
            adminTotpRequired(false);
        }
        assertEquals(200, api.get("/admin/ledger/check", root).status(), "switched off again for the other tests");
    }
}
