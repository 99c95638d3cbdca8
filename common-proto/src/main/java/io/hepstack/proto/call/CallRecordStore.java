package io.hepstack.proto.call;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.query.MessageSelect;
import io.hepstack.proto.query.Sql;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@code call_records} current from {@code messages_call}: a {@link #pass} records every call whose
 * stored rows changed since the last one, with {@link DialogRecorder}. Any number of collectors may run
 * passes: each pass is one transaction that first takes the transaction-level advisory lock
 * {@link #LOCK_KEY}, so one runs at a time and the others skip; a collector that dies mid-pass rolls its
 * transaction back and releases the lock with it. Which calls changed comes from {@code
 * call_record_progress}: every row of id above {@code safe_id} is looked at again each pass (a collector's
 * batch may commit after a higher id was already visible), and a call is recorded again only when its
 * number of stored rows differs from the one its record was read from. Since a record depends on its rows
 * alone, a pass repeated, or run by another collector, writes the same records.
 */
public final class CallRecordStore {

    /** How long before a rebuilt range's start its calls' messages are read (copies captured earlier at another hop). */
    private static final Duration REBUILD_MARGIN = Duration.ofMinutes(1);

    /** The advisory lock of a pass ("hepcalls"). */
    public static final long LOCK_KEY = 0x6865_7063_616c_6c73L;

    private final ConnectionFactory connections;
    private final Clock clock;
    private final Settings settings;

    /**
     * @param ringTimeout  how long a call may ring unanswered ({@link DialogRecorder})
     * @param lateWindow   how long after a row's id is seen a row of a lower id may still commit
     * @param lookback     how far back a call's messages are read (older ones are not part of its record)
     * @param maxCalls     the most calls a pass looks at; the rest wait for the next
     * @param retention    records of calls started longer ago are deleted
     */
    public record Settings(Duration ringTimeout, Duration lateWindow, Duration lookback, int maxCalls, Duration retention) {

        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(3), Duration.ofSeconds(10),
                Duration.ofHours(24), 5_000, Duration.ofDays(14));
    }

    /**
     * What a pass did.
     *
     * @param ran       whether it held the lock (else another collector was running one)
     * @param candidates calls with rows above the safe id
     * @param recorded  records written
     * @param timedOut  ringing records turned into no answer
     * @param deleted   records past retention deleted
     * @param backlog   whether there were more candidates than {@code maxCalls}
     * @param safeId    the safe id after the pass
     */
    public record Pass(boolean ran, int candidates, int recorded, long timedOut, long deleted, boolean backlog, long safeId) {

        static final Pass SKIPPED = new Pass(false, 0, 0, 0, 0, false, -1);
    }

    public CallRecordStore(ConnectionFactory connections, Clock clock, Settings settings) {
        this.connections = connections;
        this.clock = clock;
        this.settings = settings;
    }

    /** One pass, in one transaction; {@link Pass#ran()} is false when another collector holds the lock. */
    public Mono<Pass> pass() {
        return Mono.usingWhen(connections.create(), c -> Mono.from(c.beginTransaction())
                        .then(lockedPass(c))
                        .flatMap(p -> Mono.from(c.commitTransaction()).thenReturn(p))
                        .onErrorResume(e -> Mono.from(c.rollbackTransaction()).then(Mono.error(e))),
                Connection::close);
    }

    /**
     * Records every call that started in {@code [from, to)} again from its stored messages (after the rules
     * changed, or for messages stored before records existed), {@code maxCalls} at a time; returns how many.
     */
    public Mono<Long> rebuild(Instant from, Instant to) {
        Sql s = new Sql();
        s.append("SELECT DISTINCT call_id FROM messages_call WHERE method = 'INVITE' AND call_id IS NOT NULL AND ts >= ")
                .append(s.bind(utc(from))).append(" AND ts < ").append(s.bind(utc(to)));
        return Mono.usingWhen(connections.create(), c -> rows(c, s, r -> r.get("call_id", String.class))
                        .flatMapMany(Flux::fromIterable).buffer(settings.maxCalls())
                        .concatMap(ids -> record(c, ids, clock.instant(), from.minus(REBUILD_MARGIN), true))
                        .reduce(0L, Long::sum),
                Connection::close);
    }

    private Mono<Pass> lockedPass(Connection c) {
        return rows(c, new Sql().append("SELECT pg_try_advisory_xact_lock(" + LOCK_KEY + ") AS locked"),
                r -> r.get("locked", Boolean.class))
                .flatMap(locked -> Boolean.TRUE.equals(locked.get(0)) ? run(c, clock.instant()) : Mono.just(Pass.SKIPPED));
    }

    /** A pass that holds the lock: its steps one after the other on its connection. */
    private Mono<Pass> run(Connection c, Instant now) {
        return safeId(c).flatMap(safe -> candidates(c, safe)).flatMap(cand -> {
            boolean backlog = cand.ids.size() > settings.maxCalls();
            List<String> taken = backlog ? cand.ids.subList(0, settings.maxCalls()) : cand.ids;
            long[] done = new long[3]; // recorded, timed out, deleted
            return record(c, taken, now, now.minus(settings.lookback()), false).doOnNext(n -> done[0] = n)
                    .then(Mono.defer(() -> timeouts(c, now))).doOnNext(n -> done[1] = n)
                    .then(Mono.defer(() -> prune(c, now))).doOnNext(n -> done[2] = n)
                    .then(Mono.defer(() -> advance(c, cand.maxId, backlog)))
                    .map(safe -> new Pass(true, cand.ids.size(), (int) done[0], done[1], done[2], backlog, safe));
        });
    }

    /** The safe id: every call with a row at or below it is recorded. */
    private Mono<Long> safeId(Connection c) {
        return rows(c, new Sql().append("SELECT safe_id FROM call_record_progress"), r -> r.get("safe_id", Long.class))
                .map(l -> l.isEmpty() ? 0L : l.get(0));
    }

    private record Candidates(List<String> ids, long maxId) {
    }

    /** The calls with rows above {@code safeId}, oldest change first, one more than a pass takes. */
    private Mono<Candidates> candidates(Connection c, long safeId) {
        Sql s = new Sql();
        s.append("SELECT call_id, max(id) AS last FROM messages_call WHERE id > ").append(s.bind(safeId))
                .append(" AND call_id IS NOT NULL GROUP BY call_id ORDER BY min(id) LIMIT ")
                .append(Integer.toString(settings.maxCalls() + 1));
        return rows(c, s, r -> new Object[] {r.get("call_id", String.class), r.get("last", Long.class)}).map(list -> {
            List<String> ids = new ArrayList<>(list.size());
            long max = safeId;
            for (Object[] o : list) {
                ids.add((String) o[0]);
                max = Math.max(max, (Long) o[1]);
            }
            return new Candidates(ids, max);
        });
    }

    /**
     * Records the calls among {@code ids} whose stored rows changed (all of them when {@code always}),
     * from their messages stored since {@code readFrom}; returns how many records were written.
     */
    private Mono<Long> record(Connection c, List<String> ids, Instant now, Instant readFrom, boolean always) {
        if (ids.isEmpty()) {
            return Mono.just(0L);
        }
        String[] callIds = ids.toArray(String[]::new);
        OffsetDateTime since = utc(readFrom);
        Sql counts = new Sql();
        counts.append("SELECT m.call_id, m.n, r.stored_rows FROM (SELECT call_id, count(*) AS n FROM messages_call WHERE call_id = ANY(")
                .append(counts.bind(callIds)).append(") AND ts >= ").append(counts.bind(since))
                .append(" GROUP BY call_id) m LEFT JOIN call_records r ON r.call_id = m.call_id");
        return rows(c, counts, r -> new Object[] {r.get("call_id", String.class), r.get("n", Long.class),
                r.get("stored_rows", Integer.class)}).flatMap(list -> {
            List<String> changed = new ArrayList<>();
            for (Object[] o : list) {
                if (always || o[2] == null || ((Long) o[1]).intValue() != (Integer) o[2]) {
                    changed.add((String) o[0]);
                }
            }
            if (changed.isEmpty()) {
                return Mono.just(0L);
            }
            Sql read = new Sql();
            read.append("SELECT ").append(MessageSelect.stored("")).append(" FROM messages_call WHERE call_id = ANY(")
                    .append(read.bind(changed.toArray(String[]::new))).append(") AND ts >= ").append(read.bind(since));
            return rows(c, read, MessageSelect::stored).flatMap(messages -> {
                Map<String, List<CapturedMessage>> byCall = new LinkedHashMap<>();
                for (CapturedMessage m : messages) {
                    byCall.computeIfAbsent(m.callId(), k -> new ArrayList<>()).add(m);
                }
                long nowMicros = MessageSelect.micros(utc(now));
                List<Object[]> upserts = new ArrayList<>();
                byCall.forEach((callId, rows) -> {
                    CallRecord record = DialogRecorder.record(rows, nowMicros, settings.ringTimeout());
                    if (record != null) { // rows without their INVITE (it is older than the lookback) keep the record
                        upserts.add(values(record, rows.size(), now));
                    }
                });
                return upsert(c, upserts);
            });
        });
    }

    private static final String UPSERT = """
            INSERT INTO call_records (call_id, started_at, state, hangup_by, final_status, final_phrase, reason_protocol,
                reason_cause, reason_text, caller_user, caller_name, caller_agent, callee_user, callee_name, callee_agent,
                ruri_user, src_ip, src_port, dst_ip, dst_port, nodes, first_provisional_at, ringing_at, answered_at,
                ended_at, pdd_ms, setup_ms, ring_ms, duration_ms, codecs, messages, retransmissions, re_invites,
                stored_rows, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::inet, $18, $19::inet, $20,
                $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35)
            ON CONFLICT (call_id) DO UPDATE SET started_at = EXCLUDED.started_at, state = EXCLUDED.state,
                hangup_by = EXCLUDED.hangup_by, final_status = EXCLUDED.final_status, final_phrase = EXCLUDED.final_phrase,
                reason_protocol = EXCLUDED.reason_protocol, reason_cause = EXCLUDED.reason_cause,
                reason_text = EXCLUDED.reason_text, caller_user = EXCLUDED.caller_user, caller_name = EXCLUDED.caller_name,
                caller_agent = EXCLUDED.caller_agent, callee_user = EXCLUDED.callee_user, callee_name = EXCLUDED.callee_name,
                callee_agent = EXCLUDED.callee_agent, ruri_user = EXCLUDED.ruri_user, src_ip = EXCLUDED.src_ip,
                src_port = EXCLUDED.src_port, dst_ip = EXCLUDED.dst_ip, dst_port = EXCLUDED.dst_port, nodes = EXCLUDED.nodes,
                first_provisional_at = EXCLUDED.first_provisional_at, ringing_at = EXCLUDED.ringing_at,
                answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at, pdd_ms = EXCLUDED.pdd_ms,
                setup_ms = EXCLUDED.setup_ms, ring_ms = EXCLUDED.ring_ms, duration_ms = EXCLUDED.duration_ms,
                codecs = EXCLUDED.codecs, messages = EXCLUDED.messages, retransmissions = EXCLUDED.retransmissions,
                re_invites = EXCLUDED.re_invites, stored_rows = EXCLUDED.stored_rows, updated_at = EXCLUDED.updated_at
            """;

    /** The bind values of {@link #UPSERT} for a record ({@code Class} for a typed null). */
    private static Object[] values(CallRecord r, int storedRows, Instant now) {
        CallRecord.Times t = r.times();
        CallRecord.Outcome o = r.outcome();
        Reason reason = o.reason();
        return new Object[] {r.callId(), at(t.startedAt()), o.state().code(), o.hangupBy().code(),
                or(o.finalStatus() == null ? null : o.finalStatus().shortValue(), Short.class), or(o.finalPhrase(), String.class),
                or(reason == null ? null : reason.protocol(), String.class), or(reason == null ? null : reason.cause(), Integer.class),
                or(reason == null ? null : reason.text(), String.class),
                or(r.caller().user(), String.class), or(r.caller().displayName(), String.class), or(r.caller().userAgent(), String.class),
                or(r.callee().user(), String.class), or(r.callee().displayName(), String.class), or(r.callee().userAgent(), String.class),
                or(r.ruriUser(), String.class), or(host(r.source()), String.class), or(port(r.source()), Integer.class),
                or(host(r.target()), String.class), or(port(r.target()), Integer.class), r.nodes().toArray(String[]::new),
                or(at(t.firstProvisionalAt()), OffsetDateTime.class), or(at(t.ringingAt()), OffsetDateTime.class),
                or(at(t.answeredAt()), OffsetDateTime.class), or(at(t.endedAt()), OffsetDateTime.class),
                or(t.pddMs(), Long.class), or(t.setupMs(), Long.class), or(t.ringMs(), Long.class), or(t.durationMs(), Long.class),
                r.codecs().toArray(String[]::new), r.counts().messages(), r.counts().retransmissions(), r.counts().reInvites(),
                storedRows, utc(now)};
    }

    private Mono<Long> upsert(Connection c, List<Object[]> upserts) {
        if (upserts.isEmpty()) {
            return Mono.just(0L);
        }
        Statement st = c.createStatement(UPSERT);
        for (int i = 0; i < upserts.size(); i++) {
            if (i > 0) {
                st.add();
            }
            Object[] v = upserts.get(i);
            for (int k = 0; k < v.length; k++) {
                if (v[k] instanceof Class<?> type) {
                    st.bindNull(k, type);
                } else {
                    st.bind(k, v[k]);
                }
            }
        }
        return Flux.from(st.execute()).flatMap(r -> Mono.from(r.getRowsUpdated())).reduce(0L, Long::sum);
    }

    /** Ringing records whose ring timeout has passed with no new message: not answered, by timeout. */
    private Mono<Long> timeouts(Connection c, Instant now) {
        Sql s = new Sql();
        s.append("UPDATE call_records SET state = 'no_answer', hangup_by = 'timeout', ended_at = started_at + ")
                .append(s.bind(settings.ringTimeout().toMillis())).append(" * interval '1 millisecond', updated_at = ")
                .append(s.bind(utc(now))).append(" WHERE state = 'ringing' AND started_at <= ")
                .append(s.bind(utc(now.minus(settings.ringTimeout()))));
        return execute(c, s);
    }

    private Mono<Long> prune(Connection c, Instant now) {
        Sql s = new Sql();
        s.append("DELETE FROM call_records WHERE started_at < ").append(s.bind(utc(now.minus(settings.retention()))));
        return execute(c, s);
    }

    /**
     * Moves the lateness window on; returns the safe id. Timed by the database's clock, which every
     * collector shares (their own clocks may disagree); held back while a backlog remains.
     */
    private Mono<Long> advance(Connection c, long maxSeen, boolean backlog) {
        Sql s = new Sql();
        s.append("UPDATE call_record_progress SET safe_id = greatest(safe_id, pending_id), pending_id = greatest(pending_id, ")
                .append(s.bind(maxSeen)).append("), pending_at = clock_timestamp() WHERE NOT ").append(s.bind(backlog))
                .append(" AND clock_timestamp() - pending_at >= ").append(s.bind(settings.lateWindow().toMillis()))
                .append(" * interval '1 millisecond'");
        return execute(c, s).then(rows(c, new Sql().append("SELECT safe_id FROM call_record_progress"),
                r -> r.get("safe_id", Long.class))).map(l -> l.isEmpty() ? 0L : l.get(0));
    }

    private static Mono<Long> execute(Connection c, Sql s) {
        return Flux.from(s.bindTo(c.createStatement(s.text())).execute()).flatMap(r -> Mono.from(r.getRowsUpdated()))
                .reduce(0L, Long::sum);
    }

    private static <T> Mono<List<T>> rows(Connection c, Sql s, java.util.function.Function<Readable, T> mapper) {
        return Flux.from(s.bindTo(c.createStatement(s.text())).execute())
                .concatMap(r -> r.map((Readable row) -> mapper.apply(row))).collectList();
    }

    private static Object or(Object value, Class<?> type) {
        return value == null ? type : value;
    }

    private static String host(InetSocketAddress a) {
        return a == null ? null : a.getAddress().getHostAddress();
    }

    private static Integer port(InetSocketAddress a) {
        return a == null ? null : a.getPort();
    }

    private static OffsetDateTime at(Long micros) {
        return micros == null ? null : OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000), ZoneOffset.UTC);
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
