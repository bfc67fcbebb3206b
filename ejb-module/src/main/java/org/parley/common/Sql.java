package org.parley.common;

import java.sql.SQLException;

/** Reading what PostgreSQL said when a constraint refused a write. */
public final class Sql {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String EXCLUSION_VIOLATION = "23P01";

    private Sql() {
    }

    /** True if {@code e} (or a cause) is a unique violation of the named constraint or index. */
    public static boolean isUniqueViolation(Throwable e, String constraint) {
        return isViolation(e, UNIQUE_VIOLATION, constraint);
    }

    /** True if {@code e} (or a cause) is a violation of the named exclusion constraint. */
    public static boolean isExclusionViolation(Throwable e, String constraint) {
        return isViolation(e, EXCLUSION_VIOLATION, constraint);
    }

    private static boolean isViolation(Throwable e, String state, String constraint) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                String msg = String.valueOf(sql.getMessage());
                return constraint == null || msg.contains(constraint);
            }
        }
        return false;
    }

    /** A LIKE pattern that finds {@code text} anywhere, case-folded, with its own % and _ taken literally. */
    public static String containsPattern(String text) {
        String folded = text.trim().toLowerCase(java.util.Locale.ROOT);
        return "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
