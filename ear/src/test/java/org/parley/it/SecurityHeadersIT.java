package org.parley.it;

import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Api;
import org.parley.it.support.SystemTest;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every response carries the security headers: answers, refusals, errors the container makes itself. */
class SecurityHeadersIT extends SystemTest {

    private static void assertSecurityHeaders(Api.Resp r) {
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), r::toString);
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null));
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void answersRefusalsAndContainerErrorsAllCarryTheSecurityHeaders() {
        String user = Accounts.user(api).token();
        for (Api.Resp r : List.of(api.get("/experts", null), api.get("/auth/me", user), api.get("/auth/me", null),
                api.post("/auth/login", null, "{not json"), api.get("/no/such/path", null),
                api.get("http://127.0.0.1:8180/not-the-api", null))) {
            assertSecurityHeaders(r);
        }
    }

    @Test
    void strictTransportSecurityOnlyWhenTheClientCameOverHttps() {
        Api.Resp plain = api.get("/experts", null);
        assertTrue(plain.headers().firstValue("Strict-Transport-Security").isEmpty(), "not over plain HTTP");
        Api.Resp https = api.sendWithHeaders("GET", "/experts", null, "application/json", "X-Forwarded-Proto", "https");
        assertEquals("max-age=31536000; includeSubDomains", https.headers().firstValue("Strict-Transport-Security").orElse(null));
        assertSecurityHeaders(https);
        assertEquals(200, https.status());
    }
}
