package io.hepstack.proto.store;

import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MessageKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stores batches of {@link CapturedMessage} in the {@code messages} table with binary COPY, each batch
 * exactly once.
 *
 * <p>Contract of {@link #write(UUID, List)}:
 * <ul>
 *   <li>A batch is one transaction on one connection of the factory: its id is recorded in the ledger
 *       table {@code ingest_batches} and its rows are copied, then both are committed together. A
 *       batch id found committed already (an earlier attempt whose acknowledgement was lost) is not
 *       stored again: the result says {@link WriteResult#alreadyStored()} and describes that earlier
 *       commit. Ledger entries are kept {@link PartitionMaintainer#DEFAULT_LEDGER_RETENTION} by
 *       default; a retry later than that would store the batch again.</li>
 *   <li>Agent timestamps outside {@code [now - retention(kind), now + futureTolerance]} are stored
 *       at the writer's clock, the original kept in {@code agent_ts_us}. The batches of an imported
 *       capture ({@link #write(CaptureImport, UUID, List)}) keep their capture times whatever their age,
 *       under a hold that retention honours.</li>
 *   <li>A missing time partition is created before the transaction ({@code CREATE TABLE IF NOT
 *       EXISTS}, tolerant of concurrent creators).</li>
 *   <li>When the database refuses the COPY for a row's data (SQLSTATE class 22, 23 or 54), the batch
 *       is written again in a new transaction, bisected under savepoints until every refused row is
 *       isolated: the others are stored, the refused ones reported in {@link WriteResult#rejected()}
 *       with the server's error (and recorded in the ledger, so that a retry reports them too).</li>
 *   <li>Any other failure (connection lost, permission, schema missing) rolls the transaction back
 *       and fails the returned {@code Mono}: nothing of the batch is stored, or (commit sent, reply
 *       lost) all of it is, and a retry with the same id settles which.</li>
 *   <li>A writer made to feed call changes also inserts the Call-IDs of the batch's call rows into
 *       {@code call_changes} in the same transaction (and the calls its media reports name), and those of its
 *       REGISTER rows as kind {@code registration}: the call records' builder sees a call or a registration change
 *       exactly when its rows become visible.</li>
 * </ul>
 * Thread-safe; one instance per application.
 */
public final class MessageWriter {

    static final String COPY_SQL = "COPY messages (" + MessageColumn.COPY_LIST + ") FROM STDIN (FORMAT binary)";

    /** Records a batch id; does nothing (0 rows) when the id is committed, waits while another session holds it. */
    static final String CLAIM_SQL = "INSERT INTO ingest_batches (batch_id, stored_at, rows, import_id) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (batch_id) DO NOTHING";
    /**
     * Holds an import's range from retention (V9): taken under the maintainer's advisory lock, shared, so
     * that no maintenance round that has not seen the hold can be dropping partitions meanwhile.
     */
    static final String HOLD_LOCK_SQL = "SELECT pg_advisory_xact_lock_shared(" + PartitionMaintainer.ADVISORY_LOCK_KEY + ")";
    static final String HOLD_SQL = """
            INSERT INTO capture_imports (import_id, imported_at, keep_until, first_ts, last_ts) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (import_id) DO UPDATE SET imported_at = EXCLUDED.imported_at,
                keep_until = GREATEST(capture_imports.keep_until, EXCLUDED.keep_until),
                first_ts = LEAST(capture_imports.first_ts, EXCLUDED.first_ts),
                last_ts = GREATEST(capture_imports.last_ts, EXCLUDED.last_ts)""";
    static final String PRIOR_SQL = "SELECT rows, refused::text FROM ingest_batches WHERE batch_id = $1";
    static final String OUTCOME_SQL = "UPDATE ingest_batches SET rows = $2, refused = $3::jsonb WHERE batch_id = $1";
    /**
     * The change feed of the call records' builder: the batch's Call-IDs with their kind and, for an imported capture,
     * its id (V16: the builder reads an imported call from the capture's first time and judges it as of its end),
     * committed with its rows.
     */
    static final String CALL_CHANGES_SQL = "INSERT INTO call_changes (call_id, kind, import_id) "
            + "SELECT u.call_id, u.kind, $3 FROM unnest($1::text[], $2::text[]) AS u (call_id, kind)";

    /** The savepoint around each COPY of the bisection (one at a time: released before the next). */
    private static final String SAVEPOINT = "hepstack_rows";

    /** Rows are encoded into buffers of about this size, sent as they are produced. */
    static final int CHUNK_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectionFactory connections;
    private final PartitionPolicy policy;
    private final Clock clock;
    private final boolean feedCallChanges;
    private final Partitions partitions;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final Set<PartitionKey> knownPartitions = ConcurrentHashMap.newKeySet();

    /**
     * @param connections PostgreSQL connections, normally a pool
     * @param policy      partition width and per-kind retention (the same as the maintainer's)
     * @param clock       the receive-time clock used by the odd-timestamp rule and the ledger
     */
    public MessageWriter(ConnectionFactory connections, PartitionPolicy policy, Clock clock) {
        this(connections, policy, clock, false);
    }

    /**
     * @param feedCallChanges whether each batch also records the Call-IDs of its call rows in
     *                        {@code call_changes}, in its transaction, for the call records' builder
     *                        ({@code CallRecordStore}): true where call records are kept
     */
    public MessageWriter(ConnectionFactory connections, PartitionPolicy policy, Clock clock, boolean feedCallChanges) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.feedCallChanges = feedCallChanges;
        this.partitions = new Partitions(policy);
    }

    /**
     * Stores {@code batch} under a new random id: exactly once per call, but a caller retrying after
     * an error may store it twice. Prefer {@link #write(UUID, List)} with an id kept across retries.
     */
    public Mono<WriteResult> write(List<CapturedMessage> batch) {
        return write(UUID.randomUUID(), batch);
    }

    /**
     * Stores {@code batch} once under {@code batchId}; see the class contract. Give the same id and
     * the same messages in the same order on every retry. Nothing happens until subscription.
     */
    public Mono<WriteResult> write(UUID batchId, List<CapturedMessage> batch) {
        return write(batchId, batch, null);
    }

    /**
     * Stores {@code batch}, part of the imported capture {@code capture}, once under {@code batchId}; see
     * the class contract, with the import's timestamp rule: a capture time is believed whatever its age
     * (from 1970 to the future tolerance), the time partitions it needs are created, and before the rows
     * are copied the capture's hold ({@code capture_imports}) is widened to their times and renewed to
     * {@code capture.keep()} from now, so that retention keeps them that long. The batch id stays in the
     * ledger as long as the hold does: a re-import finds it.
     */
    public Mono<WriteResult> write(CaptureImport capture, UUID batchId, List<CapturedMessage> batch) {
        return write(batchId, batch, Objects.requireNonNull(capture, "capture"));
    }

    private Mono<WriteResult> write(UUID batchId, List<CapturedMessage> batch, CaptureImport capture) {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(batch, "batch");
        return Mono.defer(() -> {
            Instant at = clock.instant();
            long now = Envelope.micros(at);
            List<StoredRow> rows = new ArrayList<>(batch.size());
            List<RejectedMessage> refused = new ArrayList<>(0);
            for (CapturedMessage m : batch) {
                StoredRow row = capture == null ? StoredRow.place(m, policy, now) : StoredRow.placeImported(m, policy, now);
                String why = row.unencodable();
                if (why == null) {
                    rows.add(row);
                } else {
                    refused.add(new RejectedMessage(m, PgErrors.NUMERIC_VALUE_OUT_OF_RANGE, why));
                }
            }
            WriteResult unencodable = new WriteResult(0, refused);
            if (rows.isEmpty()) {
                return Mono.just(unencodable); // nothing sent, and the same again on any retry
            }
            return Mono.usingWhen(connections.create(),
                            c -> hold(c, capture, rows, at).then(store(c, unwrap(c), batchId, rows, at, false, capture)),
                            Connection::close,
                            (c, e) -> rollbackQuietly(c).then(Mono.from(c.close())),
                            c -> rollbackQuietly(c).then(Mono.from(c.close())))
                    .map(r -> r.plus(unencodable));
        });
    }

    /**
     * One batch: the whole COPY in one transaction; if the server refuses row data, again in a new
     * transaction isolating the refused rows; if a partition vanished, once more after recreating it.
     */
    private Mono<WriteResult> store(Connection c, PostgresqlConnection pg, UUID id, List<StoredRow> rows, Instant at,
                                    boolean partitionsRechecked, CaptureImport capture) {
        Mono<WriteResult> whole = inTransaction(c, claim(c, id, rows, at, capture)
                .switchIfEmpty(Mono.defer(() -> callChanges(c, rows, capture)
                        .then(pg.copyIn(COPY_SQL, encode(rows))).map(n -> new WriteResult(n, List.of())))));
        Mono<WriteResult> isolating = inTransaction(c, claim(c, id, rows, at, capture)
                .switchIfEmpty(Mono.defer(() -> callChanges(c, rows, capture).then(isolate(c, pg, rows, 0, partitionsRechecked))
                        .flatMap(refusals -> recordOutcome(c, id, rows.size() - refusals.size(), refusals)
                                .thenReturn(result(rows, rows.size() - refusals.size(), refusals, false))))));
        return ensurePartitions(pg, rows)
                .then(whole)
                .onErrorResume(e -> PgErrors.isRowError(e) && (partitionsRechecked || !PgErrors.isMissingPartition(e)),
                        e -> isolating)
                .onErrorResume(e -> !partitionsRechecked && PgErrors.isMissingPartition(e), e -> {
                    // a partition we believed in is gone (dropped by retention, or by hand)
                    knownPartitions.clear();
                    return store(c, pg, id, rows, at, true, capture);
                });
    }

    /** Runs {@code work} between BEGIN and COMMIT; rolls back when it fails. The value follows the commit. */
    private static Mono<WriteResult> inTransaction(Connection c, Mono<WriteResult> work) {
        return Mono.defer(() -> Mono.from(c.beginTransaction())
                .then(work)
                .flatMap(r -> Mono.from(c.commitTransaction()).thenReturn(r))
                .onErrorResume(e -> rollbackQuietly(c).then(Mono.error(e))));
    }

    private static Mono<Void> rollbackQuietly(Connection c) {
        return Mono.from(c.rollbackTransaction()).onErrorResume(e -> Mono.empty());
    }

    /**
     * Records {@code id} in the ledger: empty when this transaction now holds it, else the result of
     * the transaction that committed it (an INSERT on a key another open transaction inserted waits
     * for that one to end).
     */
    private Mono<WriteResult> claim(Connection c, UUID id, List<StoredRow> rows, Instant at, CaptureImport capture) {
        return Mono.defer(() -> Flux.from(importId(c.createStatement(CLAIM_SQL)
                                .bind(0, id).bind(1, at.atOffset(ZoneOffset.UTC)).bind(2, rows.size()), 3, capture).execute())
                        .concatMap(Result::getRowsUpdated)
                        .reduce(0L, Long::sum))
                .flatMap(claimed -> claimed == 1 ? Mono.empty() : prior(c, id, rows));
    }

    private static Statement importId(Statement s, int index, CaptureImport capture) {
        return capture == null ? s.bindNull(index, String.class) : s.bind(index, capture.id());
    }

    /**
     * Widens and renews the hold of an imported capture over the times of {@code rows}, committed before
     * any partition is created or row copied: a maintenance round either ran before (and the partition it
     * dropped is created again) or sees the hold. Nothing for a collector's batch.
     */
    private Mono<Void> hold(Connection c, CaptureImport capture, List<StoredRow> rows, Instant at) {
        if (capture == null) {
            return Mono.empty();
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (StoredRow r : rows) {
            first = Math.min(first, r.tsMicros());
            last = Math.max(last, r.tsMicros());
        }
        Statement hold = c.createStatement(HOLD_SQL).bind(0, capture.id()).bind(1, at.atOffset(ZoneOffset.UTC))
                .bind(2, at.plus(capture.keep()).atOffset(ZoneOffset.UTC))
                .bind(3, offsetDateTime(first)).bind(4, offsetDateTime(last));
        return Mono.from(c.beginTransaction())
                .then(Flux.from(c.createStatement(HOLD_LOCK_SQL).execute()).concatMap(r -> r.map((row, meta) -> 1)).then())
                .then(Flux.from(hold.execute()).concatMap(Result::getRowsUpdated).then())
                .then(Mono.from(c.commitTransaction()))
                .onErrorResume(e -> rollbackQuietly(c).then(Mono.error(e)));
    }

    static OffsetDateTime offsetDateTime(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000)
                .atOffset(ZoneOffset.UTC);
    }

    /**
     * Records the Call-IDs of the batch's call rows, and the calls its media reports name (their correlation
     * id), in the change feed, when this writer feeds it; and the Call-IDs of its REGISTER rows, kind
     * {@code registration}; each with the id of the imported capture the batch is part of (none for a collector's).
     * A row the isolating COPY then refuses leaves its Call-ID there: the builder records that call from the rows
     * that are stored, which is what it would do anyway.
     */
    private Mono<Void> callChanges(Connection c, List<StoredRow> rows, CaptureImport capture) {
        if (!feedCallChanges) {
            return Mono.empty();
        }
        Set<String> callIds = new LinkedHashSet<>();
        Set<String> registrations = new LinkedHashSet<>();
        for (StoredRow r : rows) {
            CapturedMessage m = r.message();
            if (m.kind() == MessageKind.SIP_CALL && m.callId() != null) {
                callIds.add(m.callId());
            } else if (m.kind() == MessageKind.QOS && m.envelope().correlationId() != null) {
                callIds.add(m.envelope().correlationId()); // a media report: its call's record sums it up
            } else if (m.kind() == MessageKind.SIP_REGISTRATION && m.callId() != null) {
                registrations.add(m.callId());
            }
        }
        if (callIds.isEmpty() && registrations.isEmpty()) {
            return Mono.empty();
        }
        List<String> ids = new ArrayList<>(callIds);
        ids.addAll(registrations);
        List<String> kinds = new ArrayList<>(ids.size());
        callIds.forEach(id -> kinds.add(MessageKind.SIP_CALL.code()));
        registrations.forEach(id -> kinds.add(MessageKind.SIP_REGISTRATION.code()));
        return Flux.from(importId(c.createStatement(CALL_CHANGES_SQL).bind(0, ids.toArray(String[]::new))
                        .bind(1, kinds.toArray(String[]::new)), 2, capture).execute())
                .concatMap(Result::getRowsUpdated)
                .then();
    }

    private Mono<WriteResult> prior(Connection c, UUID id, List<StoredRow> rows) {
        return Flux.from(c.createStatement(PRIOR_SQL).bind(0, id).execute())
                .concatMap(r -> r.map((row, meta) -> new Prior(row.get(0, Integer.class), row.get(1, String.class))))
                .single()
                .map(p -> result(rows, p.rows(), Refusal.parse(p.refused()), true));
    }

    private Mono<Void> recordOutcome(Connection c, UUID id, int stored, List<Refusal> refusals) {
        if (refusals.isEmpty()) {
            return Mono.empty(); // the claim recorded every row as stored
        }
        return Mono.defer(() -> Flux.from(c.createStatement(OUTCOME_SQL)
                        .bind(0, id).bind(1, stored).bind(2, Refusal.json(refusals)).execute())
                .concatMap(Result::getRowsUpdated)
                .then());
    }

    private static WriteResult result(List<StoredRow> rows, long stored, List<Refusal> refusals, boolean already) {
        List<RejectedMessage> rejected = new ArrayList<>(refusals.size());
        for (Refusal r : refusals) {
            if (r.index() >= 0 && r.index() < rows.size()) {
                rejected.add(new RejectedMessage(rows.get(r.index()).message(), r.state(), r.error()));
            }
        }
        return new WriteResult(stored, rejected, already);
    }

    /**
     * Copies {@code rows} (at {@code offset} in the batch) under a savepoint; when the server refuses
     * row data, rolls back to the savepoint and does each half the same way, until every refused row
     * is alone. Emits the refused rows. k bad rows in n cost about 2·k·log2(n) COPYs.
     */
    private Mono<List<Refusal>> isolate(Connection c, PostgresqlConnection pg, List<StoredRow> rows, int offset,
                                        boolean partitionsRechecked) {
        return Mono.from(c.createSavepoint(SAVEPOINT))
                .then(Mono.defer(() -> pg.copyIn(COPY_SQL, encode(rows))))
                .flatMap(n -> Mono.from(c.releaseSavepoint(SAVEPOINT)).thenReturn(List.<Refusal>of()))
                .onErrorResume(e -> PgErrors.isRowError(e) && (partitionsRechecked || !PgErrors.isMissingPartition(e)),
                        e -> Mono.from(c.rollbackTransactionToSavepoint(SAVEPOINT))
                                .then(Mono.from(c.releaseSavepoint(SAVEPOINT)))
                                .then(Mono.defer(() -> {
                                    if (rows.size() == 1) {
                                        return Mono.just(List.of(new Refusal(offset, PgErrors.sqlState(e), e.getMessage())));
                                    }
                                    int half = rows.size() / 2;
                                    return isolate(c, pg, rows.subList(0, half), offset, partitionsRechecked)
                                            .flatMap(a -> isolate(c, pg, rows.subList(half, rows.size()), offset + half,
                                                    partitionsRechecked).map(b -> concat(a, b)));
                                })));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        List<T> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    /** The COPY data of {@code rows}: header, tuples, trailer, in chunks made on demand. */
    private Flux<ByteBuf> encode(List<StoredRow> rows) {
        return Flux.<ByteBuf, Integer>generate(() -> 0, (next, sink) -> {
            ByteBuf buf = allocator.buffer(CHUNK_BYTES + CHUNK_BYTES / 4);
            CopyEncoder encoder = new CopyEncoder().into(buf);
            try {
                if (next == 0) {
                    CopyEncoder.writeHeader(buf);
                }
                int i = next;
                while (i < rows.size() && buf.readableBytes() < CHUNK_BYTES) {
                    encoder.writeRow(rows.get(i++));
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

    private record PartitionKey(MessageKind kind, long startMicros) {
    }

    private record Prior(Integer rows, String refused) {
    }

    /** A refused row of a batch, as kept in the ledger's {@code refused} column. */
    record Refusal(int index, String state, String error) {

        static String json(List<Refusal> refusals) {
            ArrayNode all = JSON.createArrayNode();
            for (Refusal r : refusals) {
                all.addObject().put("i", r.index()).put("state", r.state()).put("error", r.error());
            }
            return all.toString();
        }

        static List<Refusal> parse(String json) {
            if (json == null) {
                return List.of();
            }
            try {
                List<Refusal> out = new ArrayList<>();
                for (JsonNode n : JSON.readTree(json)) {
                    out.add(new Refusal(n.path("i").asInt(-1), n.path("state").asText(""), n.path("error").asText("")));
                }
                return out;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("ingest_batches.refused is not the JSON this writer writes: " + json, e);
            }
        }
    }
}
