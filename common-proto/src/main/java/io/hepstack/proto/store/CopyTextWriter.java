package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes {@link CapturedMessage} rows in PostgreSQL's text COPY format (PostgreSQL docs, "COPY", "Text
 * Format"), for {@code psql -c "\copy messages (COLUMNS) FROM 'FILE'"}: the columns and values of the
 * collector's binary COPY ({@link StoredRow#writeTo}, {@link MessageColumn}), so the database can be
 * loaded with identical rows.
 *
 * <p>{@code ts} is the agent timestamp ({@code agent_ts_us} NULL): the odd-timestamp rule is the
 * collector's, and generated traffic is stamped with the current time, inside any retention window.
 */
public final class CopyTextWriter implements Closeable {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String NULL = "\\N";

    private final Writer out;
    private final Line line = new Line();
    private long rows;

    /** @param out UTF-8 writer; closed by {@link #close} */
    public CopyTextWriter(Writer out) {
        this.out = out;
    }

    /** The psql meta-command that loads {@code file} into the {@code messages} table. */
    public static String psqlCommand(String file) {
        return "\\copy messages (" + MessageColumn.COPY_LIST + ") FROM '" + file.replace("'", "''") + "'";
    }

    public long rows() {
        return rows;
    }

    public void write(CapturedMessage m) throws IOException {
        line.b.setLength(0);
        new StoredRow(m, m.envelope().timestampMicros(), null).writeTo(line);
        line.b.append('\n');
        out.append(line.b);
        rows++;
    }

    /** One line: the values tab-separated, each escaped for the text format. */
    private static final class Line implements ColumnSink {
        final StringBuilder b = new StringBuilder(2048);

        private StringBuilder next(MessageColumn column) {
            return column.ordinal() == 0 ? b : b.append('\t');
        }

        @Override
        public void nul(MessageColumn column) {
            next(column).append(NULL);
        }

        @Override
        public void int2(MessageColumn column, int value) {
            next(column).append(value);
        }

        @Override
        public void int4(MessageColumn column, int value) {
            next(column).append(value);
        }

        @Override
        public void int8(MessageColumn column, long value) {
            next(column).append(value);
        }

        @Override
        public void bool(MessageColumn column, boolean value) {
            next(column).append(value ? 't' : 'f');
        }

        @Override
        public void timestamptz(MessageColumn column, long us) {
            next(column).append(TS.format(Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L),
                    Math.floorMod(us, 1_000_000L) * 1000L)));
        }

        @Override
        public void inet(MessageColumn column, InetAddress address) {
            next(column).append(address.getHostAddress());
        }

        @Override
        public void text(MessageColumn column, CharSequence value) {
            CopyTextWriter.text(next(column), value, column.maxChars());
        }

        @Override
        public void storableText(MessageColumn column, byte[] utf8) {
            CopyTextWriter.text(next(column), new String(utf8, StandardCharsets.UTF_8), Integer.MAX_VALUE);
        }

        /** bytea in hex form; the backslash doubled for the text format. */
        @Override
        public void bytea(MessageColumn column, byte[] value) {
            StringBuilder s = next(column).append("\\\\x");
            for (byte x : value) {
                s.append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
            }
        }

        @Override
        public void jsonb(MessageColumn column, String json) {
            ByteBuf normalized = Unpooled.buffer(json.length() + 16);
            try {
                ExtraJson.write(normalized, json);
                CopyTextWriter.text(next(column), normalized.toString(StandardCharsets.UTF_8), Integer.MAX_VALUE);
            } finally {
                normalized.release();
            }
        }
    }

    /** A text value, escaped for the text format; at most {@code maxChars}, NUL and unpaired surrogates as U+FFFD. */
    static void text(StringBuilder b, CharSequence v, int maxChars) {
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

    @Override
    public void close() throws IOException {
        out.close();
    }
}
