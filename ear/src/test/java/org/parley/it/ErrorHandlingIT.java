package org.parley.it;

import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.SystemTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** Every kind of bad input is a problem+json 4xx, never a stack trace or an HTML page, and changes nothing. */
class ErrorHandlingIT extends SystemTest {


    private long accounts() {
        return Db.count("select count(*) from account");
    }

    @Test
    void malformedJsonIs400AndRegistersNobody() {
        long before = accounts();
        assertProblem(api.post("/auth/register", null, "{\"email\": \"x@y.z\", "), 400, "malformed-json");
        assertProblem(api.post("/auth/register", null, "[1, 2, 3]"), 400, null);
        assertProblem(api.post("/auth/register", null, "{} {}"), 400, null);
        assertEquals(before, accounts());
    }

    @Test
    void wrongTypesAndUnknownFieldsAre400NamingTheField() {
        long before = accounts();
        String email = Accounts.uniqueEmail("types");
        assertFieldError(assertProblem(api.post("/auth/register", null,
                "{\"email\":\"" + email + "\",\"password\":\"longenough\",\"name\":\"N\",\"role\":\"USER\",\"isAdmin\":true}"), 400, "validation"), "isAdmin");
        assertFieldError(assertProblem(api.post("/auth/register", null,
                "{\"email\":\"" + email + "\",\"password\":12345678,\"name\":\"N\",\"role\":\"USER\"}"), 400, "validation"), "password");
        assertFieldError(assertProblem(api.post("/auth/register", null,
                "{\"email\":\"" + email + "\",\"password\":\"longenough\",\"name\":\"N\",\"role\":\"WIZARD\"}"), 400, "validation"), "role");
        assertEquals(before, accounts());
    }

    @Test
    void missingOrInvalidFieldsAre400WithEveryFieldError() {
        var problem = assertProblem(api.post("/auth/register", null, "{\"email\":\"not-an-email\",\"password\":\"short\"}"), 400, "validation");
        assertFieldError(problem, "email");
        assertFieldError(problem, "password");
        assertFieldError(problem, "name");
        assertFieldError(problem, "role");
        assertProblem(api.post("/auth/register", null, ""), 400, null);
    }

    @Test
    void aQueryParameterOutsideItsPatternIsA400ProblemNamingIt() {
        String admin = org.parley.it.support.Accounts.admin(api);
        assertFieldError(assertProblem(api.get("/admin/reports?status=LOST", admin), 400, "validation"), "status");
        assertFieldError(assertProblem(api.get("/support/tickets?priority=SOMEDAY", admin), 400, "validation"), "priority");
    }

    @Test
    void unknownPathsInsideAndOutsideTheApiAre404Problems() {
        assertProblem(api.get("/no/such/thing", null), 404, "not-found");
        assertProblem(api.get(Api.BASE + "/no-such-page.html", null), 404, "not-found");
        assertProblem(api.get(Api.BASE + "/", null), 404, "not-found");
    }

    @Test
    void wrongMethodAndMediaTypeAreProblems() {
        assertProblem(api.send("DELETE", "/auth/login", null, null, "application/json"), 405, "method-not-allowed");
        assertProblem(api.send("POST", "/auth/login", null, "email=a&password=b", "application/x-www-form-urlencoded"), 415, null);
    }
}
