package org.parley.it;

import org.junit.jupiter.api.Test;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.SystemTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness reports the database and migrations; the OpenAPI document lists the endpoints. */
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
}
