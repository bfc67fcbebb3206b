package org.parley.expert;

/**
 * The onboarding pipeline: APPLIED → DOCUMENTS_VERIFIED → CALL_SCHEDULED → CALL_DONE → APPROVED, one step at a
 * time, or REJECTED (with a reason) from any step before APPROVED. APPROVED and REJECTED are final.
 */
public enum ExpertStatus {
    APPLIED, DOCUMENTS_VERIFIED, CALL_SCHEDULED, CALL_DONE, APPROVED, REJECTED;

    public boolean isFinal() {
        return this == APPROVED || this == REJECTED;
    }

    public boolean canMoveTo(ExpertStatus next) {
        if (isFinal() || next == null) {
            return false;
        }
        return next == REJECTED || next.ordinal() == ordinal() + 1;
    }
}
