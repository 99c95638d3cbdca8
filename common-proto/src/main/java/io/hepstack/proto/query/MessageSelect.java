package io.hepstack.proto.query;

import io.hepstack.proto.model.LogLine;
import io.hepstack.proto.store.MessageColumn;
import io.r2dbc.spi.Readable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.hepstack.proto.store.MessageColumn.*;

/**
 * The read side of the stored row ({@link MessageColumn} is the write side): the select lists readers of
 * {@code messages} use, named from the column definitions and the families that own values stored in
 * {@code extra}, and the inverse of the writer's payload rule. A reader composes a statement with
 * {@link Sql}, selecting {@link #summary} (every field of a message but its payload) and, when it needs
 * the bytes, {@link #PAYLOAD}, read back with {@link #payload(Readable)}.
 */
public final class MessageSelect {

    /** Alias of the source address as text ({@code host(src_ip)}: no {@code /32}). */
    public static final String SRC_HOST = "src_host";
    /** Alias of the destination address as text. */
    public static final String DST_HOST = "dst_host";
    /** Alias of a log line's level ({@link LogLine#LEVEL_SQL}). */
    public static final String LOG_LEVEL = "log_level";
    /** Alias of the payload's size in bytes. */
    public static final String SIZE = "size";

    /** The payload columns: exactly one is set in a row ({@code StoredRow.writeTo}). */
    public static final String PAYLOAD = PAYLOAD_TEXT.sqlName() + ", " + PAYLOAD_BYTES.sqlName();

    private static final MessageColumn[] SUMMARY_COLUMNS = {TS, KIND, CALL_ID, CORRELATION_ID, METHOD, STATUS, CSEQ,
            CSEQ_METHOD, FROM_USER, TO_USER, RURI_USER, USER_AGENT, SRC_PORT, DST_PORT, TRANSPORT, PROTO_TYPE, CAPTURE_ID,
            NODE};

    private MessageSelect() {
    }

    /**
     * The select list of a message without its payload, on the table alias {@code alias} ({@code ""} or
     * {@code "m."}): {@code id}, the summary columns, {@value #SRC_HOST}, {@value #DST_HOST}, {@value #LOG_LEVEL}
     * and {@value #SIZE}.
     */
    public static String summary(String alias) {
        StringBuilder b = new StringBuilder(512).append(alias).append("id");
        for (MessageColumn c : SUMMARY_COLUMNS) {
            b.append(", ").append(alias).append(c.sqlName());
        }
        b.append(", host(").append(alias).append(SRC_IP.sqlName()).append(") AS ").append(SRC_HOST);
        b.append(", host(").append(alias).append(DST_IP.sqlName()).append(") AS ").append(DST_HOST);
        b.append(", ").append(alias).append(LogLine.LEVEL_SQL).append(" AS ").append(LOG_LEVEL);
        b.append(", coalesce(octet_length(").append(alias).append(PAYLOAD_BYTES.sqlName()).append("), octet_length(")
                .append(alias).append(PAYLOAD_TEXT.sqlName()).append(")) AS ").append(SIZE);
        return b.toString();
    }

    /** The payload bytes of a row selected with {@link #PAYLOAD}, exactly as captured. */
    public static byte[] payload(Readable r) {
        String text = r.get(PAYLOAD_TEXT.sqlName(), String.class);
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8); // stored as text only when these are its bytes (Utf8.isStorableText)
        }
        Object b = r.get(PAYLOAD_BYTES.sqlName());
        if (b instanceof ByteBuffer buf) {
            byte[] out = new byte[buf.remaining()];
            buf.duplicate().get(out);
            return out;
        }
        return b instanceof byte[] bytes ? bytes : new byte[0];
    }

    /** The payload as stored text, or {@code null} when it is stored as bytes. */
    public static String payloadText(Readable r) {
        return r.get(PAYLOAD_TEXT.sqlName(), String.class);
    }
}
