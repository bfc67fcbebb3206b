package org.parley.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditChainTest {

    private static final Instant AT = Instant.parse("2026-11-23T10:00:00.123456Z");
    private static final UUID ACTOR = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private static AuditEntry entry(long seq, String prevHash, String metadata) {
        return new AuditEntry(seq, AT, ACTOR, "ADMIN", "CONFIG_UPDATED", "CONFIG", "platform", metadata, prevHash);
    }

    @Test
    void hashIsStableHexSha256() {
        AuditEntry e = entry(1, AuditChain.GENESIS, "{}");
        assertEquals(64, e.hash().length());
        assertEquals(e.hash(), AuditChain.hash(entry(1, AuditChain.GENESIS, "{}")));
    }

    @Test
    void aChainOfEntriesFollowsItself() {
        AuditEntry first = entry(1, AuditChain.GENESIS, "{\"a\":1}");
        AuditEntry second = entry(2, first.hash(), "{\"a\":2}");
        assertTrue(AuditChain.follows(first, 0, AuditChain.GENESIS));
        assertTrue(AuditChain.follows(second, 1, first.hash()));
    }

    @Test
    void anyChangedFieldOrBrokenLinkIsDetected() {
        AuditEntry first = entry(1, AuditChain.GENESIS, "{\"a\":1}");
        assertNotEquals(first.hash(), entry(1, AuditChain.GENESIS, "{\"a\":9}").hash(), "metadata is covered");
        assertFalse(AuditChain.follows(entry(3, first.hash(), "{}"), 1, first.hash()), "a gap in seq (deleted entry)");
        assertFalse(AuditChain.follows(entry(2, AuditChain.GENESIS, "{}"), 1, first.hash()), "wrong predecessor");
    }
}
