package org.parley.expert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.expert.ExpertStatus.*;

class ExpertStatusTest {

    @Test
    void eachStepMovesOnlyToTheNextOne() {
        assertTrue(APPLIED.canMoveTo(DOCUMENTS_VERIFIED));
        assertTrue(DOCUMENTS_VERIFIED.canMoveTo(CALL_SCHEDULED));
        assertTrue(CALL_SCHEDULED.canMoveTo(CALL_DONE));
        assertTrue(CALL_DONE.canMoveTo(APPROVED));
        assertFalse(APPLIED.canMoveTo(CALL_SCHEDULED), "no skipping");
        assertFalse(APPLIED.canMoveTo(APPROVED), "no skipping to approval");
        assertFalse(CALL_DONE.canMoveTo(DOCUMENTS_VERIFIED), "no going back");
        assertFalse(APPLIED.canMoveTo(APPLIED), "no standing still");
    }

    @Test
    void anyStepBeforeApprovalCanBeRejected() {
        for (ExpertStatus s : new ExpertStatus[]{APPLIED, DOCUMENTS_VERIFIED, CALL_SCHEDULED, CALL_DONE}) {
            assertTrue(s.canMoveTo(REJECTED), s + " -> REJECTED");
        }
    }

    @Test
    void approvedAndRejectedAreFinal() {
        for (ExpertStatus next : ExpertStatus.values()) {
            assertFalse(APPROVED.canMoveTo(next), "APPROVED -> " + next);
            assertFalse(REJECTED.canMoveTo(next), "REJECTED -> " + next);
        }
        assertFalse(APPLIED.canMoveTo(null));
    }
}
