package io.hepstack.proto.store;

import io.hepstack.proto.model.MessageKind;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the {@code messages} table is cut in time and how long each kind is kept.
 *
 * <p>Time partitions are aligned to multiples of {@code width} since the Unix epoch (UTC), so a
 * 1-day width starts partitions at midnight UTC. The width is a whole number of minutes that either
 * divides a day or is a whole number of days; changing it on an existing database is not supported
 * (new ranges would overlap the old ones).
 *
 * @param width           time span of one partition
 * @param ahead           how many partitions after the current one the maintainer keeps created
 * @param retention       how long each kind is kept; every kind must be present; at least one width
 * @param futureTolerance how far ahead of the writer's clock an agent timestamp is still believed
 */
public record PartitionPolicy(Duration width, int ahead, Map<MessageKind, Duration> retention,
                              Duration futureTolerance) {

    private static final Duration DAY = Duration.ofDays(1);

    public PartitionPolicy {
        Objects.requireNonNull(width, "width");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(futureTolerance, "futureTolerance");
        if (width.isNegative() || width.isZero() || width.toSeconds() % 60 != 0 || width.toNanos() % 1_000_000_000 != 0) {
            throw new IllegalArgumentException("width " + width + " (expected: a positive whole number of minutes)");
        }
        if (DAY.toMinutes() % width.toMinutes() != 0 && width.toMinutes() % DAY.toMinutes() != 0) {
            throw new IllegalArgumentException("width " + width + " (expected: a divisor of one day or whole days)");
        }
        if (ahead < 0 || ahead > 1000) {
            throw new IllegalArgumentException("ahead " + ahead + " (expected: 0..1000)");
        }
        if (futureTolerance.isNegative()) {
            throw new IllegalArgumentException("futureTolerance " + futureTolerance + " (expected: >= 0)");
        }
        EnumMap<MessageKind, Duration> copy = new EnumMap<>(MessageKind.class);
        for (MessageKind kind : MessageKind.values()) {
            Duration keep = retention.get(kind);
            if (keep == null) {
                throw new IllegalArgumentException("retention for kind " + kind.code() + " missing");
            }
            if (keep.compareTo(width) < 0) {
                throw new IllegalArgumentException("retention for kind " + kind.code() + " " + keep
                        + " (expected: at least the partition width " + width + ")");
            }
            copy.put(kind, keep);
        }
        retention = Map.copyOf(copy);
    }

    /**
     * The defaults: 1-day partitions, 2 created ahead, 1 day of future tolerance; calls and QoS kept
     * 14 days, registrations, other SIP, logs and others 7 days.
     */
    public static PartitionPolicy defaults() {
        EnumMap<MessageKind, Duration> keep = new EnumMap<>(MessageKind.class);
        keep.put(MessageKind.SIP_CALL, Duration.ofDays(14));
        keep.put(MessageKind.QOS, Duration.ofDays(14));
        keep.put(MessageKind.SIP_REGISTRATION, Duration.ofDays(7));
        keep.put(MessageKind.SIP_OTHER, Duration.ofDays(7));
        keep.put(MessageKind.LOG, Duration.ofDays(7));
        keep.put(MessageKind.OTHER, Duration.ofDays(7));
        return new PartitionPolicy(DAY, 2, keep, DAY);
    }

    /** A copy with another partition width and count created ahead. */
    public PartitionPolicy withWidth(Duration newWidth, int newAhead) {
        return new PartitionPolicy(newWidth, newAhead, retention, futureTolerance);
    }

    /** A copy with the retention of one kind changed. */
    public PartitionPolicy withRetention(MessageKind kind, Duration keep) {
        EnumMap<MessageKind, Duration> copy = new EnumMap<>(retention);
        copy.put(kind, keep);
        return new PartitionPolicy(width, ahead, copy, futureTolerance);
    }

    /** How long messages of {@code kind} are kept. */
    public Duration retentionOf(MessageKind kind) {
        return retention.get(kind);
    }
}
