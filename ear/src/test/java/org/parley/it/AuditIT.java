package org.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.parley.it.support.Accounts;
import org.parley.it.support.Accounts.Person;
import org.parley.it.support.Api;
import org.parley.it.support.Db;
import org.parley.it.support.SystemTest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.it.support.Problems.assertProblem;

/** The audit trail: sensitive actions leave entries, filters find them, and tampering breaks the chain. */
class AuditIT extends SystemTest {


    @Test
    void sensitiveActionsAreRecordedWithActorAndEntity() {
        String admin = Accounts.admin(api);
        String adminId = Accounts.me(api, admin).get("id").asText();
        Person p = Accounts.user(api);
        api.post("/auth/login", null, Map.of("email", p.email(), "password", "wrong password"));
        api.patch("/admin/accounts/" + p.id(), admin, Map.of("status", "SUSPENDED"));

        JsonNode byEntity = api.get("/admin/audit?entityType=ACCOUNT&entityId=" + p.id() + "&size=50", admin).json();
        java.util.List<String> actions = new java.util.ArrayList<>();
        byEntity.get("items").forEach(e -> actions.add(e.get("action").asText()));
        assertEquals(java.util.List.of("ACCOUNT_UPDATED", "LOGIN_FAILED", "LOGIN", "ACCOUNT_REGISTERED"), actions);
        JsonNode update = byEntity.get("items").get(0);
        assertEquals(adminId, update.get("actorId").asText());
        assertEquals("ADMIN", update.get("actorRole").asText());
        assertEquals("SUSPENDED", update.get("metadata").get("after").get("status").asText());
        assertTrue(Instant.parse(update.get("at").asText()).isAfter(Instant.now().minusSeconds(120)));

        JsonNode byActor = api.get("/admin/audit?actorId=" + adminId + "&action=ACCOUNT_UPDATED&from=" + Instant.now().minusSeconds(120), admin).json();
        assertTrue(byActor.get("total").asInt() >= 1);
        byActor.get("items").forEach(e -> assertEquals("ACCOUNT_UPDATED", e.get("action").asText()));
        assertEquals(0, api.get("/admin/audit?actorId=" + adminId + "&to=2000-01-01T00:00:00Z", admin).json().get("total").asInt());
    }

    @Test
    void theChainVerifiesAndAnEditedEntryBreaksItAtThatEntry() throws SQLException {
        String admin = Accounts.admin(api);
        Accounts.user(api);
        JsonNode verify = api.get("/admin/audit/verify", admin).json();
        assertTrue(verify.get("intact").asBoolean(), verify::toString);
        assertTrue(verify.get("entries").asLong() > 0);

        long seq = Db.count("select min(seq) from audit_entry where action = 'ACCOUNT_REGISTERED'");
        String original = Db.string("select metadata from audit_entry where seq = ?", seq);
        try {
            rewriteBypassingTheTrigger(seq, "{\"role\":\"ADMIN\"}");
            JsonNode broken = api.get("/admin/audit/verify", admin).json();
            assertFalse(broken.get("intact").asBoolean(), broken::toString);
            assertEquals(seq, broken.get("firstBrokenId").asLong());
        } finally {
            rewriteBypassingTheTrigger(seq, original);
        }
        assertTrue(api.get("/admin/audit/verify", admin).json().get("intact").asBoolean());
    }

    @Test
    void theDatabaseRefusesToUpdateOrDeleteAuditEntries() {
        Accounts.user(api);
        AssertionError update = assertThrows(AssertionError.class, () -> Db.exec("update audit_entry set action = 'X' where seq = 1"));
        assertTrue(update.getCause().getMessage().contains("append-only"), update.getCause()::getMessage);
        assertThrows(AssertionError.class, () -> Db.exec("delete from audit_entry where seq = 1"));
    }

    @Test
    void badFiltersAre400AndNonAdmins403() {
        String admin = Accounts.admin(api);
        assertProblem(api.get("/admin/audit?from=yesterday", admin), 400, "validation");
        assertProblem(api.get("/admin/audit?actorId=not-a-uuid", admin), 400, "validation");
        assertProblem(api.get("/admin/audit/verify", Accounts.user(api).token()), 403, "forbidden");
    }

    /** What an attacker with database access would do: switch the trigger off, edit, switch it on. */
    private static void rewriteBypassingTheTrigger(long seq, String metadata) throws SQLException {
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("alter table audit_entry disable trigger audit_entry_no_update_delete");
            try (PreparedStatement ps = c.prepareStatement("update audit_entry set metadata = ? where seq = ?")) {
                ps.setString(1, metadata);
                ps.setLong(2, seq);
                ps.executeUpdate();
            }
            s.execute("alter table audit_entry enable trigger audit_entry_no_update_delete");
            c.commit();
        }
    }
}
