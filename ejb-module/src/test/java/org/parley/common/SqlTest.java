package org.parley.common;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlTest {

    @Test
    void containsPatternFoldsCaseAndEscapesWildcards() {
        assertEquals("%tarot%", Sql.containsPattern("  Tarot "));
        assertEquals("%100\\%\\_sure%", Sql.containsPattern("100%_sure"));
    }

    @Test
    void uniqueViolationIsFoundAnywhereInTheCauseChain() {
        SQLException unique = new SQLException("duplicate key value violates unique constraint \"account_email_uk\"", "23505");
        RuntimeException wrapped = new RuntimeException(new IllegalStateException(unique));
        assertTrue(Sql.isUniqueViolation(wrapped, "account_email_uk"));
        assertFalse(Sql.isUniqueViolation(wrapped, "other_uk"));
        assertFalse(Sql.isUniqueViolation(new RuntimeException(new SQLException("deadlock", "40P01")), null));
    }

    @Test
    void exclusionViolationNamesItsConstraintAndIsNotAUniqueViolation() {
        SQLException exclusion = new SQLException("conflicting key value violates exclusion constraint \"booking_expert_no_overlap\"", "23P01");
        RuntimeException wrapped = new RuntimeException(exclusion);
        assertTrue(Sql.isExclusionViolation(wrapped, "booking_expert_no_overlap"));
        assertFalse(Sql.isExclusionViolation(wrapped, "booking_user_no_overlap"));
        assertFalse(Sql.isUniqueViolation(wrapped, null));
    }
}
