package io.hepstack.proto.store;

import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Writes rows of {@code messages} in PostgreSQL's binary COPY format (PostgreSQL docs, "COPY",
 * section "Binary Format") straight into a Netty buffer, and the send/recv representation of every
 * column type used (the types' {@code *_send} functions in the PostgreSQL sources).
 *
 * <p>Every value written is one the server accepts for its column type: text never carries NUL or
 * broken UTF-8, jsonb is always well-formed. What can still be refused is what the table's CHECK
 * constraints refuse.
 */
final class CopyEncoder implements ColumnSink {

    /** Signature "PGCOPY\n\377\r\n\0", then flags (int32, 0: no OIDs) and header extension length (int32, 0). */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};

    /** PostgreSQL's timestamp epoch, 2000-01-01T00:00:00Z, in µs since the Unix epoch. */
    static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    /** inet family bytes of {@code inet_send}: PGSQL_AF_INET and PGSQL_AF_INET6. */
    private static final byte PGSQL_AF_INET = 2;
    private static final byte PGSQL_AF_INET6 = 3;

    /** jsonb binary format version (jsonb_send). */
    private static final byte JSONB_VERSION = 1;

    private static final int NULL_LENGTH = -1;

    private ByteBuf out;

    /** An encoder of rows into {@link #into}'s buffer. */
    CopyEncoder() {
    }

    /** The buffer the next rows go to. */
    CopyEncoder into(ByteBuf buffer) {
        this.out = buffer;
        return this;
    }

    static void writeHeader(ByteBuf out) {
        out.writeBytes(HEADER);
    }

    /** The file trailer: a field count of -1. */
    static void writeTrailer(ByteBuf out) {
        out.writeShort(-1);
    }

    /** One tuple: the field count, then every {@link MessageColumn}. */
    void writeRow(StoredRow row) {
        out.writeShort(MessageColumn.ALL.size());
        row.writeTo(this);
    }

    @Override
    public void nul(MessageColumn column) {
        writeNull(out);
    }

    @Override
    public void int2(MessageColumn column, int value) {
        writeInt2(out, value);
    }

    @Override
    public void int4(MessageColumn column, int value) {
        writeInt4(out, value);
    }

    @Override
    public void int8(MessageColumn column, long value) {
        writeInt8(out, value);
    }

    @Override
    public void bool(MessageColumn column, boolean value) {
        writeBool(out, value);
    }

    @Override
    public void timestamptz(MessageColumn column, long epochMicros) {
        writeTimestamptz(out, epochMicros);
    }

    @Override
    public void inet(MessageColumn column, InetAddress address) {
        writeInet(out, address);
    }

    @Override
    public void text(MessageColumn column, CharSequence value) {
        writeText(out, value, column.maxChars());
    }

    @Override
    public void storableText(MessageColumn column, byte[] utf8) {
        writeBytes(out, utf8);
    }

    @Override
    public void bytea(MessageColumn column, byte[] value) {
        writeBytes(out, value);
    }

    @Override
    public void jsonb(MessageColumn column, String json) {
        writeJsonb(out, json);
    }

    static void writeNull(ByteBuf out) {
        out.writeInt(NULL_LENGTH);
    }

    /**
     * smallint. Callers check the range first ({@link StoredRow#unencodable}); a value outside it is
     * a programming error.
     */
    static void writeInt2(ByteBuf out, int value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("value " + value + " (expected: a smallint)");
        }
        out.writeInt(2).writeShort(value);
    }

    static void writeInt4(ByteBuf out, int value) {
        out.writeInt(4).writeInt(value);
    }

    static void writeInt8(ByteBuf out, long value) {
        out.writeInt(8).writeLong(value);
    }

    static void writeBool(ByteBuf out, boolean value) {
        out.writeInt(1).writeByte(value ? 1 : 0);
    }

    /** timestamptz: int64 µs since 2000-01-01 UTC. */
    static void writeTimestamptz(ByteBuf out, long epochMicros) {
        writeInt8(out, epochMicros - PG_EPOCH_MICROS);
    }

    /** inet: family, netmask bits, is_cidr (0), address length, address bytes; null for a null address. */
    static void writeInet(ByteBuf out, InetAddress address) {
        if (address == null) {
            writeNull(out);
            return;
        }
        byte[] bytes = address.getAddress();
        boolean v4 = address instanceof Inet4Address;
        out.writeInt(4 + bytes.length)
                .writeByte(v4 ? PGSQL_AF_INET : PGSQL_AF_INET6)
                .writeByte(bytes.length * 8)
                .writeByte(0)
                .writeByte(bytes.length)
                .writeBytes(bytes);
    }

    /** bytea, and text whose bytes are already known to be storable: the bytes as they are. */
    static void writeBytes(ByteBuf out, byte[] bytes) {
        out.writeInt(bytes.length).writeBytes(bytes);
    }

    /**
     * text: UTF-8 of at most {@code maxChars} UTF-16 units, NUL and unpaired surrogates written as
     * U+FFFD; null for a null value.
     */
    static void writeText(ByteBuf out, CharSequence value, int maxChars) {
        if (value == null) {
            writeNull(out);
            return;
        }
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        Utf8.write(out, value, maxChars);
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }

    /** jsonb: version 1 then the JSON text, normalized by {@link ExtraJson}; null for a null value. */
    static void writeJsonb(ByteBuf out, String json) {
        if (json == null) {
            writeNull(out);
            return;
        }
        int lengthAt = out.writerIndex();
        out.writeInt(0).writeByte(JSONB_VERSION);
        ExtraJson.write(out, json);
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }
}
