package io.hepstack.tools.bench;

import io.hepstack.proto.model.CapturedMessage;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes {@link CapturedMessage} rows in PostgreSQL's text COPY format (PostgreSQL docs, "COPY", "Text
 * Format"), for {@code psql -c "\copy messages (COLUMNS) FROM 'FILE'"}: the same columns and values the
 * collector's binary COPY stores (docs/schema.md), so the database can be loaded with identical rows.
 *
 * <p>Values follow the collector's writer: {@code ts} is the agent timestamp ({@code agent_ts_us} NULL;
 * generated traffic is stamped with the current time, inside any retention window), indexed text cut to
 * 512 characters, NUL and unpaired surrogates written as U+FFFD, the payload in {@code payload_text}
 * when it is UTF-8 without NUL, else in {@code payload_bytes}.
 */
public final class CopyTextWriter implements Closeable {

    /** The column list of every line, in order. */
    public static final String COLUMNS = "ts, agent_ts_us, kind, capture_id, node, proto_type, ip_family, transport, "
            + "src_ip, src_port, dst_ip, dst_port, correlation_id, call_id, method, status, cseq, cseq_method, "
            + "from_user, from_tag, to_user, to_tag, ruri_user, user_agent, via_branch, parsed, "
            + "payload_text, payload_bytes, extra";

    static final int INDEXED_TEXT_MAX_CHARS = 512;

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String NULL = "\\N";

    private final Writer out;
    private final StringBuilder line = new StringBuilder(2048);
    private long rows;

    /** @param out UTF-8 writer; closed by {@link #close} */
    public CopyTextWriter(Writer out) {
        this.out = out;
    }

    /** The psql meta-command that loads {@code file} into the {@code messages} table. */
    public static String psqlCommand(String file) {
        return "\\copy messages (" + COLUMNS + ") FROM '" + file.replace("'", "''") + "'";
    }

    public long rows() {
        return rows;
    }

    public void write(CapturedMessage m) throws IOException {
        StringBuilder b = line;
        b.setLength(0);
        long us = m.timestampMicros();
        b.append(TS.format(Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L)));
        b.append('\t').append(NULL);
        text(b.append('\t'), m.kind().code(), Integer.MAX_VALUE);
        b.append('\t').append(m.captureId());
        text(b.append('\t'), m.node(), Integer.MAX_VALUE);
        b.append('\t').append(m.protoType());
        b.append('\t').append(m.ipFamily());
        b.append('\t').append(m.transport());
        inet(b.append('\t'), m.srcIp());
        b.append('\t').append(m.srcPort());
        inet(b.append('\t'), m.dstIp());
        b.append('\t').append(m.dstPort());
        text(b.append('\t'), m.correlationId(), INDEXED_TEXT_MAX_CHARS);
        text(b.append('\t'), m.callId(), INDEXED_TEXT_MAX_CHARS);
        text(b.append('\t'), m.method(), Integer.MAX_VALUE);
        b.append('\t').append(m.status() == null ? NULL : m.status().toString());
        b.append('\t').append(m.cseq() == null ? NULL : m.cseq().toString());
        text(b.append('\t'), m.cseqMethod(), Integer.MAX_VALUE);
        text(b.append('\t'), m.fromUser(), INDEXED_TEXT_MAX_CHARS);
        text(b.append('\t'), m.fromTag(), Integer.MAX_VALUE);
        text(b.append('\t'), m.toUser(), INDEXED_TEXT_MAX_CHARS);
        text(b.append('\t'), m.toTag(), Integer.MAX_VALUE);
        text(b.append('\t'), m.ruriUser(), INDEXED_TEXT_MAX_CHARS);
        text(b.append('\t'), m.userAgent(), Integer.MAX_VALUE);
        text(b.append('\t'), m.viaBranch(), Integer.MAX_VALUE);
        b.append('\t').append(m.parsed() ? 't' : 'f');
        String payload = storableText(m.payload());
        if (payload != null) {
            text(b.append('\t'), payload, Integer.MAX_VALUE);
            b.append('\t').append(NULL);
        } else {
            b.append('\t').append(NULL).append('\t');
            bytea(b, m.payload());
        }
        text(b.append('\t'), m.extra(), Integer.MAX_VALUE);
        b.append('\n');
        out.append(b);
        rows++;
    }

    /** The payload as text when PostgreSQL can store it as text (well-formed UTF-8, no NUL), else null. */
    static String storableText(byte[] payload) {
        for (byte x : payload) {
            if (x == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A text value, escaped for the text format; NUL and unpaired surrogates as U+FFFD. */
    static void text(StringBuilder b, String v, int maxChars) {
        if (v == null) {
            b.append(NULL);
            return;
        }
        int end = v.length();
        if (end > maxChars) {
            end = Character.isHighSurrogate(v.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        }
        for (int i = 0; i < end; i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\0' -> b.append('\uFFFD');
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(v.charAt(i + 1))) {
                        b.append(c).append(v.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }

    private static void inet(StringBuilder b, InetAddress a) {
        b.append(a == null ? NULL : a.getHostAddress());
    }

    /** bytea in hex form; the backslash doubled for the text format. */
    private static void bytea(StringBuilder b, byte[] bytes) {
        b.append("\\\\x");
        for (byte x : bytes) {
            b.append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
