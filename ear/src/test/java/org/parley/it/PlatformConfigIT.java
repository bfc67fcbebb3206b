package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.SystemTest;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertFieldError;
import static org.parley.it.support.Problems.assertProblem;

/** Runtime settings: every key with its default, validated changes, audit, and who may touch them. */
class PlatformConfigIT extends SystemTest {


    @Test
    void everyDocumentedKeyIsPresent() {
        JsonNode config = api.get("/admin/config", Accounts.admin(api)).json();
        for (String key : new String[]{"feePercent", "depositMin", "depositMax", "payoutMin", "payoutMax", "billingPeriodSeconds",
                "lowBalanceMinutes", "graceSeconds", "maxSessionMinutes", "expertCapacity", "queueTimeoutSeconds", "disconnectTimeoutSeconds",
                "bookingHorizonDays", "bookingMinNoticeMinutes", "bookingBufferMinutes", "cancellationNoticeHours", "cancellationFeePercent",
                "bookingNoShowMinutes"}) {
            assertTrue(config.has(key) && config.get(key).isIntegralNumber(), "config has " + key + ": " + config);
        }
        assertEquals(23, config.size());
    }

    @Test
    void aValidChangeIsStoredReturnedAndAudited() {
        String admin = Accounts.admin(api);
        long before = api.get("/admin/config", admin).json().get("graceSeconds").asLong();
        long next = before == 45 ? 40 : 45;
        Api.Resp r = api.patch("/admin/config", admin, Map.of("graceSeconds", next));
        assertEquals(200, r.status(), r::toString);
        assertEquals(next, r.json().get("graceSeconds").asLong());
        assertEquals(next, Db.count("select value from platform_setting where key = 'graceSeconds'"));
        JsonNode entry = api.get("/admin/audit?action=CONFIG_UPDATED&size=1", admin).json().get("items").get(0);
        assertEquals(before, entry.get("metadata").get("before").get("graceSeconds").asLong());
        assertEquals(next, entry.get("metadata").get("after").get("graceSeconds").asLong());
    }

    @Test
    void nonsenseValuesAre422AndNothingChanges() {
        String admin = Accounts.admin(api);
        JsonNode before = api.get("/admin/config", admin).json();
        assertFieldError(assertProblem(api.patch("/admin/config", admin, Map.of("feePercent", -5)), 422, "invalid-config"), "feePercent");
        assertFieldError(assertProblem(api.patch("/admin/config", admin, Map.of("feePercent", 101)), 422, "invalid-config"), "feePercent");
        assertFieldError(assertProblem(api.patch("/admin/config", admin, Map.of("depositMin", 5000, "depositMax", 100)), 422, "invalid-config"), "depositMin");
        assertFieldError(assertProblem(api.patch("/admin/config", admin, Map.of("graceSeconds", 10, "billingPeriodSeconds", 0)), 422, null), "billingPeriodSeconds");
        assertEquals(before, api.get("/admin/config", admin).json(), "a refused change leaves every value as it was");
    }

    @Test
    void unknownKeysWrongTypesAndEmptyChangesAre400() {
        String admin = Accounts.admin(api);
        assertFieldError(assertProblem(api.patch("/admin/config", admin, Map.of("freeMoney", 1)), 400, "validation"), "freeMoney");
        assertProblem(api.patch("/admin/config", admin, Map.of("feePercent", "twenty")), 400, "validation");
        assertProblem(api.patch("/admin/config", admin, Map.of("feePercent", 12.5)), 400, "validation");
        assertProblem(api.patch("/admin/config", admin, Map.of()), 400, "validation");
    }

    @Test
    void onlyAdminsReadOrChangeSettings() {
        assertProblem(api.get("/admin/config", null), 401, "unauthenticated");
        assertProblem(api.patch("/admin/config", Accounts.user(api).token(), Map.of("feePercent", 0)), 403, "forbidden");
        assertEquals(20, Db.count("select value from platform_setting where key = 'feePercent'"));
    }
}
