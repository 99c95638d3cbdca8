package io.hepstack.proto.store;

import io.hepstack.proto.model.MessageKind;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names, bounds and DDL of time partitions: those under {@code messages_<kind>} (the policy's width), and
 * those of {@code call_records} ({@link CallRecordPartitions}, a day each). A partition covers
 * {@code [start, start + width)} with start a multiple of the width since the epoch.
 */
final class Partitions {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter BOUND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'+00'").withZone(ZoneOffset.UTC);

    private static final long MICROS_PER_MINUTE = 60_000_000L;

    private final long widthMicros;
    private final DateTimeFormatter nameFormat;

    Partitions(PartitionPolicy policy) {
        this(policy.width());
    }

    Partitions(Duration width) {
        long minutes = width.toMinutes();
        this.widthMicros = minutes * MICROS_PER_MINUTE;
        this.nameFormat = minutes % (24 * 60) == 0 ? DAY : minutes % 60 == 0 ? HOUR : MINUTE;
    }

    long widthMicros() {
        return widthMicros;
    }

    /** Start (µs since the epoch) of the partition holding {@code micros}. */
    long startOf(long micros) {
        return Math.floorDiv(micros, widthMicros) * widthMicros;
    }

    /** The kind's parent table, {@code messages_<code>}. */
    static String parentOf(MessageKind kind) {
        return "messages_" + kind.code();
    }

    /** {@code messages_<kind>_p<start>}, the start in UTC at the width's resolution. */
    String nameOf(MessageKind kind, long startMicros) {
        return nameOf(parentOf(kind), startMicros);
    }

    /** {@code <parent>_p<start>}, the start in UTC at the width's resolution. */
    String nameOf(String parent, long startMicros) {
        return parent + "_p" + nameFormat.format(instant(startMicros));
    }

    /** DDL creating the partition starting at {@code startMicros}, a no-op when the name exists. */
    String createSql(MessageKind kind, long startMicros) {
        return createSql(parentOf(kind), startMicros);
    }

    /** DDL creating the partition of {@code parent} starting at {@code startMicros}, a no-op when the name exists. */
    String createSql(String parent, long startMicros) {
        return "CREATE TABLE IF NOT EXISTS " + nameOf(parent, startMicros) + " PARTITION OF " + parent
                + " FOR VALUES FROM ('" + BOUND.format(instant(startMicros)) + "') TO ('"
                + BOUND.format(instant(startMicros + widthMicros)) + "')";
    }

    /** A duration in µs. */
    static long micros(Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
