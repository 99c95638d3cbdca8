package io.hepstack.api.query;

import java.util.EnumSet;
import java.util.Set;

/**
 * The searches of the API and the filters each takes: the allowlist a request is checked against, the
 * query parameters of its OpenAPI operation and what {@code GET /api/v1/meta/search} tells clients.
 */
public enum SearchFamily {

    /** {@code GET /api/v1/messages}: every field. */
    MESSAGES("messages", true, Filter.Field.ofMessages(), Set.of()),

    /**
     * {@code GET /api/v1/calls}: what an INVITE dialog is found by, matched on its INVITEs; {@code status} is
     * its final status; {@code node} matches the nodes of its record. Not the fields of one transaction or of the answers (To tag, Via branch, CSeq): an
     * initial INVITE has no To tag, and its branch and CSeq name a transaction, not the call. And the fields of
     * its call record ({@link Filter.Field#ofRecords()}: state, who hung up, cause, durations).
     */
    CALLS("calls", true, with(EnumSet.of(Filter.Field.CALL_ID, Filter.Field.CORRELATION_ID, Filter.Field.FROM_USER,
            Filter.Field.FROM_TAG, Filter.Field.TO_USER, Filter.Field.STATUS, Filter.Field.SRC_IP, Filter.Field.SRC_PORT,
            Filter.Field.DST_IP, Filter.Field.DST_PORT, Filter.Field.TRANSPORT, Filter.Field.CAPTURE_ID, Filter.Field.PAI_USER,
            Filter.Field.NODE), Filter.Field.ofRecords()), Set.of(CallSort.SORT_PARAMETER, CallSort.ORDER_PARAMETER)),

    /** {@code GET /api/v1/stream/messages}: every field, no time range or page (a stream starts now). */
    STREAM("stream", false, Filter.Field.ofMessages(), Set.of());

    private final String code;
    private final boolean paged;
    private final Set<Filter.Field> fields;
    private final Set<String> options;

    SearchFamily(String code, boolean paged, EnumSet<Filter.Field> fields, Set<String> options) {
        this.code = code;
        this.paged = paged;
        this.fields = java.util.Collections.unmodifiableSet(fields);
        this.options = options;
    }

    private static EnumSet<Filter.Field> with(EnumSet<Filter.Field> a, EnumSet<Filter.Field> b) {
        a.addAll(b);
        return a;
    }

    /** Its name in {@code GET /api/v1/meta/search}. */
    public String code() {
        return code;
    }

    /** Whether it takes {@code from}, {@code to}, {@code limit} and {@code cursor}. */
    public boolean paged() {
        return paged;
    }

    /** Parameters it takes besides its filters and its range and page: the call list's order ({@link CallSort}). */
    public Set<String> options() {
        return options;
    }

    /** The filters it takes, in {@link Filter.Field} order. */
    public Set<Filter.Field> fields() {
        return fields;
    }
}
