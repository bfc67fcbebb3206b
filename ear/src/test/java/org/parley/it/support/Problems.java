package org.parley.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on RFC 9457 problem responses. */
public final class Problems {

    private Problems() {
    }

    /** Asserts {@code r} is a problem+json with {@code status} and, if given, the type slug; returns its body. */
    public static JsonNode assertProblem(Api.Resp r, int status, String slug) {
        assertEquals(status, r.status(), r::toString);
        assertTrue(r.contentType().startsWith("application/problem+json"), () -> "content type " + r.contentType() + ": " + r.body());
        JsonNode body = r.json();
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.get("type").asText().startsWith("https://parley.dev/problems/"), body::toString);
        if (slug != null) {
            assertEquals("https://parley.dev/problems/" + slug, body.get("type").asText(), body::toString);
        }
        assertTrue(body.hasNonNull("detail"), body::toString);
        assertFalse(r.body().contains("\tat ") || r.body().contains("Exception"), () -> "leaks internals: " + r.body());
        return body;
    }

    /** Asserts the problem names {@code field} (or a part of it, such as a map entry) among its field errors. */
    public static void assertFieldError(JsonNode problem, String field) {
        boolean found = false;
        for (JsonNode e : problem.path("errors")) {
            String f = e.get("field").asText();
            found |= f.equals(field) || f.startsWith(field + ".") || f.startsWith(field + "[");
        }
        assertTrue(found, () -> "no field error for " + field + " in " + problem);
    }
}
