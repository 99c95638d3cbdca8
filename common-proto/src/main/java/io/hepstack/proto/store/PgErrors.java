package io.hepstack.proto.store;

import io.r2dbc.postgresql.api.PostgresqlException;

/** Classification of PostgreSQL errors by SQLSTATE (PostgreSQL docs, Appendix A). */
final class PgErrors {

    static final String DUPLICATE_TABLE = "42P07";
    static final String UNIQUE_VIOLATION = "23505";
    static final String INVALID_OBJECT_DEFINITION = "42P17";
    static final String CHECK_VIOLATION = "23514";
    static final String NUMERIC_VALUE_OUT_OF_RANGE = "22003";

    private PgErrors() {
    }

    /** The SQLSTATE of a server error, or {@code null} for anything else. */
    static String sqlState(Throwable e) {
        return e instanceof PostgresqlException pe ? pe.getErrorDetails().getCode() : null;
    }

    /**
     * Whether the error is about the data of some row (class 22 data exception, class 23 integrity
     * violation, class 54 program limit such as an index entry too large), so that other rows of the
     * same COPY may well be fine.
     */
    static boolean isRowError(Throwable e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /** Whether a row found no partition ("no partition of relation ... found for row"). */
    static boolean isMissingPartition(Throwable e) {
        return CHECK_VIOLATION.equals(sqlState(e)) && e.getMessage() != null
                && e.getMessage().contains("no partition of relation");
    }

    /**
     * Whether creating a partition failed only because another session created it (or an equal
     * range) at the same time: duplicate table, a catalog unique index, or an overlapping range.
     */
    static boolean isConcurrentCreation(Throwable e) {
        String state = sqlState(e);
        return DUPLICATE_TABLE.equals(state) || UNIQUE_VIOLATION.equals(state)
                || INVALID_OBJECT_DEFINITION.equals(state);
    }
}
