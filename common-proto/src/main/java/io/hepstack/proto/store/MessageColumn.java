package io.hepstack.proto.store;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The columns of {@code messages} that a writer fills, in the order every COPY of them uses (the
 * collector's binary COPY, the bench's text COPY), with the rule each value is stored by: the one
 * definition of the stored row. {@code id} is left to its sequence. docs/schema.md describes each column;
 * {@link StoredRow#writeTo} says which value of a message goes in which column.
 */
public enum MessageColumn {
    TS, AGENT_TS_US, KIND, CAPTURE_ID, NODE, PROTO_TYPE, IP_FAMILY, TRANSPORT,
    SRC_IP, SRC_PORT, DST_IP, DST_PORT,
    CORRELATION_ID(true), CALL_ID(true), METHOD, STATUS, CSEQ, CSEQ_METHOD,
    FROM_USER(true), FROM_TAG(true), TO_USER(true), TO_TAG(true), RURI_USER(true), USER_AGENT, VIA_BRANCH(true), PARSED,
    PAYLOAD_TEXT, PAYLOAD_BYTES, EXTRA;

    /**
     * Indexed text columns are cut to this many characters: a btree entry cannot exceed about 2.7 kB
     * and 512 characters are at most 2 kB of UTF-8.
     */
    public static final int INDEXED_TEXT_MAX_CHARS = 512;

    /** Every column, in COPY order. */
    public static final List<MessageColumn> ALL = List.of(values());

    /** The column list of a COPY of every column: {@code "ts, agent_ts_us, ..."}. */
    public static final String COPY_LIST = Arrays.stream(values()).map(MessageColumn::sqlName)
            .collect(Collectors.joining(", "));

    private final String sqlName = name().toLowerCase(Locale.ROOT);
    private final boolean indexedText;

    MessageColumn() {
        this(false);
    }

    MessageColumn(boolean indexedText) {
        this.indexedText = indexedText;
    }

    /** The column's name in SQL. */
    public String sqlName() {
        return sqlName;
    }

    /** The most UTF-16 units of text the column stores; longer values are cut (indexed text columns). */
    public int maxChars() {
        return indexedText ? INDEXED_TEXT_MAX_CHARS : Integer.MAX_VALUE;
    }
}
