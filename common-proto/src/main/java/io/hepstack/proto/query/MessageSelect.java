package io.hepstack.proto.query;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.LogLine;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.MessagePart;
import io.hepstack.proto.model.SipFields;
import io.hepstack.proto.store.MessageColumn;
import io.r2dbc.spi.Readable;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

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
            NODE, AGENT_TS_US};

    /** Alias of {@code extra} as text. */
    public static final String EXTRA_TEXT = "extra_text";

    private MessageSelect() {
    }

    /**
     * The select list of a whole stored message, read back by {@link #stored}: every column a writer fills
     * (the addresses as {@value #SRC_HOST} and {@value #DST_HOST}, {@code extra} as {@value #EXTRA_TEXT}).
     */
    public static String stored(String alias) {
        return stored(alias, null);
    }

    /**
     * The select list of {@link #stored(String)}, read back by {@link #stored(Readable)} too, with the payload
     * only of the rows where the SQL condition {@code payloadWhen} holds (written on the same table alias; the others
     * read back with an empty payload) and without {@code extra}; {@code payloadWhen} {@code null}: every
     * payload and {@code extra}. For a reader that parses a few of the rows it reads (the call records'
     * builder): a payload is most of a row's bytes.
     */
    public static String stored(String alias, String payloadWhen) {
        StringBuilder b = new StringBuilder(512);
        for (MessageColumn c : MessageColumn.ALL) {
            if (b.length() > 0) {
                b.append(", ");
            }
            switch (c) {
                case SRC_IP -> b.append("host(").append(alias).append(c.sqlName()).append(") AS ").append(SRC_HOST);
                case DST_IP -> b.append("host(").append(alias).append(c.sqlName()).append(") AS ").append(DST_HOST);
                case EXTRA -> b.append(payloadWhen == null ? alias + c.sqlName() + "::text" : "NULL::text").append(" AS ")
                        .append(EXTRA_TEXT);
                case PAYLOAD_TEXT, PAYLOAD_BYTES -> {
                    if (payloadWhen == null) {
                        b.append(alias).append(c.sqlName());
                    } else {
                        b.append("CASE WHEN ").append(payloadWhen).append(" THEN ").append(alias).append(c.sqlName())
                                .append(" END AS ").append(c.sqlName());
                    }
                }
                default -> b.append(alias).append(c.sqlName());
            }
        }
        return b.toString();
    }

    /**
     * The message a row selected with {@link #stored} holds, as the writer was given it (the stored time
     * {@code ts} as its capture time): the inverse of {@code StoredRow.writeTo}. SIP fields make a
     * {@link SipFields} part when the row parsed as SIP; any other row's part is {@link MessagePart#OPAQUE}
     * (a family's fields stay in {@code extra}).
     */
    public static CapturedMessage stored(Readable r) {
        long micros = micros(r.get(TS.sqlName(), OffsetDateTime.class));
        Short proto = r.get(PROTO_TYPE.sqlName(), Short.class);
        Short family = r.get(IP_FAMILY.sqlName(), Short.class);
        Short transport = r.get(TRANSPORT.sqlName(), Short.class);
        Integer srcPort = r.get(SRC_PORT.sqlName(), Integer.class);
        Integer dstPort = r.get(DST_PORT.sqlName(), Integer.class);
        Long captureId = r.get(CAPTURE_ID.sqlName(), Long.class);
        Envelope envelope = new Envelope(micros, captureId == null ? 0 : captureId, r.get(NODE.sqlName(), String.class),
                proto == null ? 0 : proto, family == null ? 0 : family, transport == null ? 0 : transport,
                literal(r.get(SRC_HOST, String.class)), srcPort == null ? 0 : srcPort,
                literal(r.get(DST_HOST, String.class)), dstPort == null ? 0 : dstPort,
                r.get(CORRELATION_ID.sqlName(), String.class));
        MessagePart part = MessagePart.OPAQUE;
        if (Boolean.TRUE.equals(r.get(PARSED.sqlName(), Boolean.class))) {
            Short status = r.get(STATUS.sqlName(), Short.class);
            part = new SipFields(r.get(CALL_ID.sqlName(), String.class), r.get(METHOD.sqlName(), String.class),
                    status == null ? null : status.intValue(), r.get(CSEQ.sqlName(), Long.class),
                    r.get(CSEQ_METHOD.sqlName(), String.class), r.get(FROM_USER.sqlName(), String.class),
                    r.get(FROM_TAG.sqlName(), String.class), r.get(TO_USER.sqlName(), String.class),
                    r.get(TO_TAG.sqlName(), String.class), r.get(RURI_USER.sqlName(), String.class),
                    r.get(USER_AGENT.sqlName(), String.class), r.get(VIA_BRANCH.sqlName(), String.class));
        }
        return new CapturedMessage(envelope, MessageKind.ofCode(r.get(KIND.sqlName(), String.class)), part, payload(r),
                r.get(EXTRA_TEXT, String.class));
    }

    /** A {@code timestamptz} read back, in µs since the epoch (the columns hold microseconds). */
    public static long micros(OffsetDateTime t) {
        return t.toEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    /** An address PostgreSQL wrote as text ({@code host()}): a literal, never a name to look up. */
    private static InetAddress literal(String host) {
        if (host == null) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // host() prints numeric addresses only: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address from host(): " + host, e);
        }
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
