package io.hepstack.proto.store;

import io.hepstack.proto.model.MessageKind;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps the time partitions of {@code messages}: creates the current one and {@link
 * PartitionPolicy#ahead()} after it for every kind, and drops those whose whole range is older than
 * the kind's retention, unless an imported capture's hold still covers part of their range. Keeps
 * those of {@code call_records} ({@link CallRecordPartitions}) alike: today's and tomorrow's created,
 * those past the calls' retention dropped.
 *
 * <p>Any number of replicas may call {@link #maintain()} on a schedule: a round first takes the
 * session-level advisory lock {@link #ADVISORY_LOCK_KEY} with {@code pg_try_advisory_lock} and does
 * nothing when another session holds it; the lock is released when the round ends, however it ends.
 * A round also deletes the entries of the batch ledger ({@code ingest_batches}, see {@link
 * MessageWriter}) older than the ledger retention.
 */
public final class PartitionMaintainer {

    /** Advisory lock key of partition maintenance: the ASCII bytes of "hepstack" as a bigint. */
    public static final long ADVISORY_LOCK_KEY = 0x6865_7073_7461_636BL;

    /**
     * How long a committed batch id is remembered by default: far longer than any retry of a batch
     * (the collector retries within seconds), far shorter than the data's retention.
     */
    public static final Duration DEFAULT_LEDGER_RETENTION = Duration.ofDays(1);

    /** Old entries, except those of an import still remembered (V9): a re-import of it must find them. */
    static final String PRUNE_LEDGER = "DELETE FROM ingest_batches b WHERE stored_at < $1 AND NOT EXISTS "
            + "(SELECT 1 FROM capture_imports i WHERE i.import_id = b.import_id)";

    /** The ranges imported captures hold from retention: no partition overlapping one is dropped. */
    static final String HOLDS = "SELECT (extract(epoch FROM first_ts) * 1000000)::bigint, "
            + "(extract(epoch FROM last_ts) * 1000000)::bigint FROM capture_imports WHERE keep_until > $1";

    /** Imports whose hold expired and whose last message the longest retention has passed. */
    static final String FORGET_IMPORTS = "DELETE FROM capture_imports WHERE keep_until <= $1 AND last_ts < $2";

    /** The partitions under {@code messages_<kind>} and those of {@code call_records}, with their bounds. */
    private static final String LIST_PARTITIONS = """
            WITH parts AS (
                SELECT k.relname AS parent, p.oid, p.relname AS name, p.relpartbound
                FROM pg_inherits ik
                JOIN pg_class k ON k.oid = ik.inhrelid
                JOIN pg_inherits ip ON ip.inhparent = k.oid
                JOIN pg_class p ON p.oid = ip.inhrelid
                WHERE ik.inhparent = 'messages'::regclass
                UNION ALL
                SELECT k.relname, p.oid, p.relname, p.relpartbound
                FROM pg_inherits i
                JOIN pg_class k ON k.oid = i.inhparent
                JOIN pg_class p ON p.oid = i.inhrelid
                WHERE i.inhparent = to_regclass('%s'))
            SELECT parent, name,
                   (extract(epoch FROM (regexp_match(pg_get_expr(relpartbound, oid),
                                                     'FROM \\(''([^'']+)''\\)'))[1]::timestamptz) * 1000000)::bigint
                       AS lower_micros,
                   (extract(epoch FROM (regexp_match(pg_get_expr(relpartbound, oid),
                                                     'TO \\(''([^'']+)''\\)'))[1]::timestamptz) * 1000000)::bigint
                       AS upper_micros
            FROM parts
            ORDER BY name""".formatted(CallRecordPartitions.PARENT);

    private final ConnectionFactory connections;
    private final PartitionPolicy policy;
    private final Clock clock;
    private final Partitions partitions;
    private final Duration ledgerRetention;

    /** A maintainer keeping ledger entries {@link #DEFAULT_LEDGER_RETENTION}. */
    public PartitionMaintainer(ConnectionFactory connections, PartitionPolicy policy, Clock clock) {
        this(connections, policy, clock, DEFAULT_LEDGER_RETENTION);
    }

    /**
     * @param connections     PostgreSQL connections, normally a pool
     * @param policy          partition width, count ahead and per-kind retention
     * @param clock           the clock deciding what is current and what expired
     * @param ledgerRetention how long committed batch ids are kept (positive)
     */
    public PartitionMaintainer(ConnectionFactory connections, PartitionPolicy policy, Clock clock,
                               Duration ledgerRetention) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.partitions = new Partitions(policy);
        this.ledgerRetention = Objects.requireNonNull(ledgerRetention, "ledgerRetention");
        if (ledgerRetention.isNegative() || ledgerRetention.isZero()) {
            throw new IllegalArgumentException("ledgerRetention " + ledgerRetention + " (expected: > 0)");
        }
    }

    /** One maintenance round; see the class contract. Nothing happens until subscription. */
    public Mono<MaintenanceReport> maintain() {
        return Mono.usingWhen(connections.create(),
                c -> selectBoolean(c, "SELECT pg_try_advisory_lock(" + ADVISORY_LOCK_KEY + ")")
                        .flatMap(locked -> locked
                                ? Mono.usingWhen(Mono.just(c), this::maintainLocked,
                                        x -> unlock(c), (x, e) -> unlock(c), x -> unlock(c))
                                : Mono.just(MaintenanceReport.skipped())),
                Connection::close);
    }

    private Mono<MaintenanceReport> maintainLocked(Connection c) {
        long now = io.hepstack.proto.model.Envelope.micros(clock.instant());
        return Flux.from(c.createStatement(LIST_PARTITIONS).execute())
                .concatMap(r -> r.map((row, meta) -> new Existing(
                        row.get("parent", String.class), row.get("name", String.class),
                        row.get("lower_micros", Long.class), row.get("upper_micros", Long.class))))
                .collectList()
                .zipWith(Flux.from(c.createStatement(HOLDS).bind(0, MessageWriter.offsetDateTime(now)).execute())
                        .concatMap(r -> r.map((row, meta) -> new long[] {row.get(0, Long.class), row.get(1, Long.class)}))
                        .collectList()) // read after the partitions: a hold committed before a partition was created is seen
                .flatMap(listed -> {
                    List<Existing> existing = listed.getT1();
                    List<long[]> holds = listed.getT2();
                    Set<String> names = new HashSet<>();
                    existing.forEach(p -> names.add(p.name()));
                    List<String[]> toCreate = new ArrayList<>(); // {name, sql}
                    long current = partitions.startOf(now);
                    for (MessageKind kind : MessageKind.values()) {
                        for (int i = 0; i <= policy.ahead(); i++) {
                            long start = current + i * partitions.widthMicros();
                            String name = partitions.nameOf(kind, start);
                            if (!names.contains(name)) {
                                toCreate.add(new String[] {name, partitions.createSql(kind, start)});
                            }
                        }
                    }
                    long today = CallRecordPartitions.dayOf(now);
                    for (long day = today; day <= today + CallRecordPartitions.widthMicros(); day += CallRecordPartitions.widthMicros()) {
                        String name = CallRecordPartitions.nameOf(day);
                        if (!names.contains(name)) {
                            toCreate.add(new String[] {name, CallRecordPartitions.createSql(day)});
                        }
                    }
                    List<String> toDrop = new ArrayList<>();
                    for (Existing p : existing) {
                        // a call's record is kept as long as the calls' messages
                        MessageKind kind = CallRecordPartitions.PARENT.equals(p.parent()) ? MessageKind.SIP_CALL : kindOf(p.parent());
                        if (kind != null && p.upperMicros() != null
                                && p.upperMicros() <= now - Partitions.micros(policy.retentionOf(kind))
                                && !held(p, holds)) {
                            toDrop.add(p.name());
                        }
                    }
                    List<String> created = new ArrayList<>();
                    List<String> dropped = new ArrayList<>();
                    return Flux.fromIterable(toCreate)
                            .concatMap(n -> PartitionDdl.create(c, n[1])
                                    .doOnNext(ran -> {
                                        if (ran) {
                                            created.add(n[0]);
                                        }
                                    }))
                            .thenMany(Flux.fromIterable(toDrop)
                                    .concatMap(n -> PartitionDdl.execute(c, "DROP TABLE IF EXISTS " + n)
                                            .doOnSuccess(v -> dropped.add(n))))
                            .then(forgetImports(c, now))
                            .flatMap(forgotten -> pruneLedger(c)
                                    .map(pruned -> new MaintenanceReport(true, created, dropped, pruned, forgotten)));
                });
    }

    /** Whether an import's hold overlaps the partition's range {@code [lower, upper)}. */
    private static boolean held(Existing p, List<long[]> holds) {
        for (long[] h : holds) {
            if (p.lowerMicros() == null || (h[0] < p.upperMicros() && h[1] >= p.lowerMicros())) {
                return true;
            }
        }
        return false;
    }

    private Mono<Long> forgetImports(Connection c, long now) {
        long longest = 0;
        for (MessageKind kind : MessageKind.values()) {
            longest = Math.max(longest, Partitions.micros(policy.retentionOf(kind)));
        }
        long passed = now - longest - partitions.widthMicros();
        return Mono.defer(() -> Flux.from(c.createStatement(FORGET_IMPORTS)
                        .bind(0, MessageWriter.offsetDateTime(now)).bind(1, MessageWriter.offsetDateTime(passed)).execute())
                .concatMap(Result::getRowsUpdated)
                .reduce(0L, Long::sum));
    }

    private Mono<Long> pruneLedger(Connection c) {
        return Mono.defer(() -> Flux.from(c.createStatement(PRUNE_LEDGER)
                        .bind(0, clock.instant().minus(ledgerRetention).atOffset(ZoneOffset.UTC)).execute())
                .concatMap(Result::getRowsUpdated)
                .reduce(0L, Long::sum));
    }

    private static MessageKind kindOf(String parent) {
        for (MessageKind kind : MessageKind.values()) {
            if (Partitions.parentOf(kind).equals(parent)) {
                return kind;
            }
        }
        return null;
    }

    private static Mono<Void> unlock(Connection c) {
        return selectBoolean(c, "SELECT pg_advisory_unlock(" + ADVISORY_LOCK_KEY + ")").then();
    }

    private static Mono<Boolean> selectBoolean(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute())
                .concatMap(r -> r.map((row, meta) -> Boolean.TRUE.equals(row.get(0, Boolean.class))))
                .single();
    }

    private record Existing(String parent, String name, Long lowerMicros, Long upperMicros) {
    }
}
