package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.SystemTest;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness reports the database and migrations; the OpenAPI document lists the endpoints, each named once. */
class HealthAndDocsIT extends SystemTest {


    @Test
    void readinessIncludesTheDatabaseCheckAndMigrationsAreApplied() {
        Api.Resp ready = api.get("http://127.0.0.1:10090/health/ready", null);
        assertEquals(200, ready.status(), ready::toString);
        boolean database = false;
        for (var check : ready.json().get("checks")) {
            database |= check.get("name").asText().equals("database") && check.get("status").asText().equals("UP");
        }
        assertTrue(database, ready::toString);
        assertEquals(0, Db.count("select count(*) from flyway_schema_history where not success"));
        assertTrue(Db.count("select count(*) from flyway_schema_history where version = '4' and success") == 1);
        assertEquals(200, api.get("http://127.0.0.1:10090/health/live", null).status());
    }

    @Test
    void openApiDocumentListsTheEndpoints() {
        Api.Resp doc = api.get(Api.BASE + "/openapi", null);
        assertEquals(200, doc.status());
        for (String path : new String[]{"/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/me", "/api/v1/me/profile",
                "/api/v1/experts", "/api/v1/experts/{id}", "/api/v1/admin/config", "/api/v1/admin/audit/verify",
                "/api/v1/admin/expert-applications/{expertId}", "/api/v1/admin/accounts/{id}"}) {
            assertTrue(doc.body().contains(path + ":"), "OpenAPI documents " + path);
        }
    }

    @Test
    void everyOperationInTheOpenApiDocumentHasAUniqueIdAndAFeatureTag() throws Exception {
        Api.Resp doc = api.send("GET", Api.BASE + "/openapi?format=JSON", null, null, "application/json");
        assertEquals(200, doc.status());
        JsonNode paths = Api.JSON.readTree(doc.body()).get("paths");
        Map<String, String> seen = new HashMap<>();
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : (Iterable<Map.Entry<String, JsonNode>>) paths::fields) {
            for (Map.Entry<String, JsonNode> op : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                String id = op.getValue().path("operationId").asText(null);
                assertNotNull(id, where + " has an operationId");
                String before = seen.put(id, where);
                assertNull(before, () -> "operationId " + id + " names both " + before + " and " + where);
                assertTrue(op.getValue().path("tags").size() > 0, where + " is tagged");
                operations++;
            }
        }
        assertTrue(operations > 50, "the document lists Parley's operations: " + operations);
        assertEquals("GET /api/v1/experts/{id}/reviews", seen.get("expertReviews"));
        assertEquals("expert", Api.JSON.readTree(doc.body()).at("/paths/~1api~1v1~1experts~1{id}~1reviews/get/tags/0").asText());
    }
}
