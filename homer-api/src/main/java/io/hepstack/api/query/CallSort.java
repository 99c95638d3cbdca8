package io.hepstack.api.query;

import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The columns the call list sorts on ({@code sort}), each a column of {@code call_records} with the type its
 * keyset cursor carries. {@link #STARTED} is the list's own order, served for every call; any other is served
 * from the records alone (a call without a record is not listed then). Calls whose value is missing (no
 * answer: no duration) come last whichever the direction.
 */
public enum CallSort {
    STARTED("started", "started_at", Kind.TIME),
    DURATION("duration", "duration_ms", Kind.LONG),
    PDD("pdd", "pdd_ms", Kind.LONG),
    SETUP("setup", "setup_ms", Kind.LONG),
    STATE("state", "state", Kind.TEXT),
    FINAL_STATUS("finalStatus", "final_status", Kind.INT),
    MOS("mos", "mos", Kind.REAL),
    CALLER("caller", "caller_user", Kind.TEXT),
    CALLEE("callee", "callee_user", Kind.TEXT);

    /** The query parameters that choose the order. */
    public static final String SORT_PARAMETER = "sort";
    public static final String ORDER_PARAMETER = "order";

    /** How a column's value is read, bound and written into a cursor. */
    public enum Kind { TIME, LONG, INT, REAL, TEXT }

    private final String param;
    private final String column;
    private final Kind kind;

    CallSort(String param, String column, Kind kind) {
        this.param = param;
        this.column = column;
        this.kind = kind;
    }

    /** Its value of {@code sort}. */
    public String param() {
        return param;
    }

    /** Its column of {@code call_records}. */
    public String column() {
        return column;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The sort of {@code raw} ({@link #STARTED} when absent).
     *
     * @throws ApiException 400 naming {@code sort} for any other value
     */
    public static CallSort of(String raw) {
        if (raw == null || raw.isEmpty()) {
            return STARTED;
        }
        for (CallSort s : values()) {
            if (s.param.equals(raw)) {
                return s;
            }
        }
        throw ApiException.badRequest(SORT_PARAMETER + ": not a column of the call list: " + Times.quote(raw)
                + " (expected one of: " + Arrays.stream(values()).map(CallSort::param).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * Whether {@code raw} asks for ascending order ({@code asc}); descending ({@code desc}) when absent.
     *
     * @throws ApiException 400 naming {@code order} for any other value
     */
    public static boolean ascending(String raw) {
        if (raw == null || raw.isEmpty() || raw.equals("desc")) {
            return false;
        }
        if (raw.equals("asc")) {
            return true;
        }
        throw ApiException.badRequest(ORDER_PARAMETER + ": " + Times.quote(raw) + " is neither asc nor desc");
    }
}
