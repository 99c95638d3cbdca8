package io.hepstack.proto.store;

import java.net.InetAddress;

/**
 * Where {@link StoredRow#writeTo} puts a row's values, one call per column in {@link MessageColumn}
 * order: a COPY format (binary for the collector, text for the bench's files). Each call names its
 * column, so a format can take the column's rules ({@link MessageColumn#maxChars}) from it.
 */
interface ColumnSink {

    void nul(MessageColumn column);

    /** smallint; the value is known to fit ({@link StoredRow#unencodable}). */
    void int2(MessageColumn column, int value);

    void int4(MessageColumn column, int value);

    void int8(MessageColumn column, long value);

    void bool(MessageColumn column, boolean value);

    /** timestamptz, µs since the Unix epoch. */
    void timestamptz(MessageColumn column, long epochMicros);

    /** inet, never null. */
    void inet(MessageColumn column, InetAddress address);

    /**
     * text, never null: at most {@link MessageColumn#maxChars} UTF-16 units, NUL and unpaired
     * surrogates stored as U+FFFD.
     */
    void text(MessageColumn column, CharSequence value);

    /** text whose bytes PostgreSQL stores as they are ({@link Utf8#isStorableText}). */
    void storableText(MessageColumn column, byte[] utf8);

    void bytea(MessageColumn column, byte[] value);

    /** jsonb, never null: normalized by {@link ExtraJson} so that jsonb accepts it. */
    void jsonb(MessageColumn column, String json);
}
