package io.hepstack.proto.store;

import io.r2dbc.spi.Connection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The time partitions of {@code call_records} (V19): one per UTC day of {@code started_at}, named
 * {@code call_records_p<yyyyMMdd>}, whatever the messages' partition width (the migration that made them had no
 * width to read). {@link PartitionMaintainer} creates today's and those ahead of it and drops those past the
 * calls' retention; the call records' builder creates, in its own transaction, the partition of a record that
 * has none (a rebuilt or imported call of an older day).
 */
public final class CallRecordPartitions {

    /** The partitioned table. */
    static final String PARENT = "call_records";

    /** The width of one partition. */
    static final Duration WIDTH = Duration.ofDays(1);

    private static final Partitions DAYS = new Partitions(WIDTH);

    /** The days (start, µs) whose partition this instance created or found; a transaction that fails may undo them. */
    private final Set<Long> known = ConcurrentHashMap.newKeySet();

    /**
     * Creates, on {@code connection}, the partitions holding the given start times (µs since the epoch) that do
     * not exist yet; a partition another session creates meanwhile is left to it. The days done are remembered, so
     * a pass whose records all start on known days sends no DDL; {@link #forget()} after a failed transaction.
     */
    public Mono<Void> ensure(Connection connection, Collection<Long> startedAtMicros) {
        TreeSet<Long> days = new TreeSet<>();
        startedAtMicros.forEach(t -> days.add(DAYS.startOf(t)));
        days.removeAll(known);
        return Flux.fromIterable(days).concatMap(day -> PartitionDdl.create(connection, createSql(day)).doOnSuccess(x -> known.add(day)))
                .then();
    }

    /** Forgets the days done: a transaction that created one rolled back, or the maintainer dropped one since. */
    public void forget() {
        known.clear();
    }

    /** DDL creating the partition of the day starting at {@code dayMicros}, a no-op when it exists. */
    static String createSql(long dayMicros) {
        return DAYS.createSql(PARENT, dayMicros);
    }

    /** The name of the partition of the day starting at {@code dayMicros}. */
    static String nameOf(long dayMicros) {
        return DAYS.nameOf(PARENT, dayMicros);
    }

    /** The start (µs) of the day holding {@code micros}. */
    static long dayOf(long micros) {
        return DAYS.startOf(micros);
    }

    static long widthMicros() {
        return DAYS.widthMicros();
    }
}
