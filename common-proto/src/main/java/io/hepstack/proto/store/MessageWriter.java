package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MessageKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stores batches of {@link CapturedMessage} in the {@code messages} table with binary COPY.
 *
 * <p>Contract of {@link #write}:
 * <ul>
 *   <li>One COPY per batch on one connection of the factory (each COPY is its own transaction).</li>
 *   <li>Agent timestamps outside {@code [now - retention(kind), now + futureTolerance]} are stored
 *       at the writer's clock, the original kept in {@code agent_ts_us}.</li>
 *   <li>A missing time partition is created before the COPY ({@code CREATE TABLE IF NOT EXISTS},
 *       tolerant of concurrent creators).</li>
 *   <li>When the database refuses the COPY for a row's data (SQLSTATE class 22, 23 or 54), the batch
 *       is bisected and retried until every refused row is isolated: the others are stored, the
 *       refused ones reported in {@link WriteResult#rejected()} with the server's error.</li>
 *   <li>Any other failure (connection lost, permission, schema missing) fails the returned
 *       {@code Mono}; rows of COPYs that had already succeeded stay stored.</li>
 * </ul>
 * Thread-safe; one instance per application.
 */
public final class MessageWriter {

    static final String COPY_SQL = "COPY messages (" + CopyEncoder.COLUMNS + ") FROM STDIN (FORMAT binary)";

    /** Rows are encoded into buffers of about this size, sent as they are produced. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final ConnectionFactory connections;
    private final PartitionPolicy policy;
    private final Clock clock;
    private final Partitions partitions;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final Set<PartitionKey> knownPartitions = ConcurrentHashMap.newKeySet();

    /**
     * @param connections PostgreSQL connections, normally a pool
     * @param policy      partition width and per-kind retention (the same as the maintainer's)
     * @param clock       the receive-time clock used by the odd-timestamp rule
     */
    public MessageWriter(ConnectionFactory connections, PartitionPolicy policy, Clock clock) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.partitions = new Partitions(policy);
    }

    /** Stores {@code batch}; see the class contract. Nothing happens until subscription. */
    public Mono<WriteResult> write(List<CapturedMessage> batch) {
        Objects.requireNonNull(batch, "batch");
        return Mono.defer(() -> {
            long now = micros(clock.instant());
            List<StoredRow> rows = new ArrayList<>(batch.size());
            List<RejectedMessage> refused = new ArrayList<>(0);
            for (CapturedMessage m : batch) {
                StoredRow row = StoredRow.place(m, policy, now);
                String why = row.unencodable();
                if (why == null) {
                    rows.add(row);
                } else {
                    refused.add(new RejectedMessage(m, PgErrors.NUMERIC_VALUE_OUT_OF_RANGE, why));
                }
            }
            WriteResult unencodable = new WriteResult(0, refused);
            if (rows.isEmpty()) {
                return Mono.just(unencodable);
            }
            return Mono.usingWhen(connections.create(),
                            c -> {
                                PostgresqlConnection pg = unwrap(c);
                                return ensurePartitions(pg, rows).then(Mono.defer(() -> copy(pg, rows, false)));
                            },
                            Connection::close)
                    .map(unencodable::plus);
        });
    }

    private Mono<WriteResult> copy(PostgresqlConnection pg, List<StoredRow> rows, boolean partitionsRechecked) {
        return pg.copyIn(COPY_SQL, encode(rows))
                .map(n -> new WriteResult(n, List.of()))
                .onErrorResume(PgErrors::isRowError, e -> {
                    if (!partitionsRechecked && PgErrors.isMissingPartition(e)) {
                        // a partition we believed in is gone (dropped by retention, or by hand)
                        knownPartitions.clear();
                        return ensurePartitions(pg, rows).then(Mono.defer(() -> copy(pg, rows, true)));
                    }
                    if (rows.size() == 1) {
                        return Mono.just(new WriteResult(0, List.of(
                                new RejectedMessage(rows.get(0).message(), PgErrors.sqlState(e), e.getMessage()))));
                    }
                    List<StoredRow> left = rows.subList(0, rows.size() / 2);
                    List<StoredRow> right = rows.subList(rows.size() / 2, rows.size());
                    return copy(pg, left, partitionsRechecked)
                            .flatMap(a -> copy(pg, right, partitionsRechecked).map(a::plus));
                });
    }

    /** The COPY data of {@code rows}: header, tuples, trailer, in chunks made on demand. */
    private Flux<ByteBuf> encode(List<StoredRow> rows) {
        return Flux.<ByteBuf, Integer>generate(() -> 0, (next, sink) -> {
            ByteBuf buf = allocator.buffer(CHUNK_BYTES + CHUNK_BYTES / 4);
            try {
                if (next == 0) {
                    CopyEncoder.writeHeader(buf);
                }
                int i = next;
                while (i < rows.size() && buf.readableBytes() < CHUNK_BYTES) {
                    CopyEncoder.writeRow(buf, rows.get(i++));
                }
                if (i == rows.size()) {
                    CopyEncoder.writeTrailer(buf);
                }
                sink.next(buf);
                if (i == rows.size()) {
                    sink.complete();
                }
                return i;
            } catch (RuntimeException e) {
                buf.release();
                throw e;
            }
        }).doOnDiscard(ByteBuf.class, ByteBuf::release);
    }

    private Mono<Void> ensurePartitions(PostgresqlConnection pg, List<StoredRow> rows) {
        Map<PartitionKey, String> missing = new LinkedHashMap<>();
        for (StoredRow row : rows) {
            PartitionKey key = new PartitionKey(row.message().kind(), partitions.startOf(row.tsMicros()));
            if (!knownPartitions.contains(key) && !missing.containsKey(key)) {
                missing.put(key, partitions.createSql(key.kind(), key.startMicros()));
            }
        }
        return Flux.fromIterable(missing.entrySet())
                .concatMap(e -> PartitionDdl.create(pg, e.getValue())
                        .doOnSuccess(ranOrRaced -> knownPartitions.add(e.getKey())))
                .then();
    }

    /** The driver's connection under a pool's wrapper. */
    static PostgresqlConnection unwrap(Connection connection) {
        Object c = connection;
        while (!(c instanceof PostgresqlConnection) && c instanceof Wrapped<?> wrapped) {
            c = wrapped.unwrap();
        }
        if (c instanceof PostgresqlConnection pg) {
            return pg;
        }
        throw new IllegalArgumentException("not an r2dbc-postgresql connection: " + connection.getClass().getName());
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    private record PartitionKey(MessageKind kind, long startMicros) {
    }
}
