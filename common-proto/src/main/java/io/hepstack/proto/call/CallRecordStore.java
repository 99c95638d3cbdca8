package io.hepstack.proto.call;

import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.media.Codec;
import io.hepstack.proto.media.MediaThresholds;
import io.hepstack.proto.media.RtcpDecodeException;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.query.MessageSelect;
import io.hepstack.proto.query.Sql;
import io.hepstack.proto.registration.RegistrationRecords;
import io.hepstack.proto.store.BatchStatement;
import io.hepstack.proto.store.CallRecordPartitions;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps {@code call_records} current from {@code messages_call}: a {@link #pass} records every call whose
 * stored rows changed since the last one, with {@link DialogRecorder}. Which calls changed comes from the
 * change feed {@code call_changes}, which the collectors' writers fill in the transaction of each batch's
 * COPY ({@code MessageWriter} made to feed call changes): a Call-ID is there exactly when its new rows are
 * visible. Any number of collectors may run passes: each pass is one transaction that first takes the
 * transaction-level advisory lock {@link #LOCK_KEY}, so one runs at a time and the others skip; it deletes
 * the changes it takes in that transaction, so a pass that fails, or a collector that dies mid-pass,
 * rolls back and leaves them (and the lock) for the next. Since a record depends on its rows alone, a
 * pass repeated, or run by another collector, writes the same records.
 *
 * <p>The same feed names the Call-IDs of changed REGISTER rows (kind {@code registration}): a pass records the
 * bindings they register in {@code registration_records} too ({@link RegistrationRecords}), in the same transaction,
 * and deletes the records of bindings not registered within the retention.
 *
 * <p>A change of an imported capture names its import ({@code call_changes.import_id}, V16): its rows are read from
 * the capture's first time ({@code capture_imports.first_ts}) whatever its age, not from the lookback, and its calls
 * are judged as of the capture's end ({@code last_ts}) rather than now: a call that was still ringing when the capture
 * ended, less than the ring timeout after its INVITE, stays {@code ringing} (the capture does not say how it ended),
 * while one the capture saw ring past the timeout is {@code no_answer} by {@code timeout}, as a live pass would have
 * made it. Records of an import are kept as long as its hold keeps its messages.
 *
 * <p>A record's key is its Call-ID and start ({@code call_records} is partitioned by day of {@code started_at}, V19):
 * a pass creates the day partition a record lacks ({@link CallRecordPartitions}), upserts on that key, and deletes
 * the row a call leaves when an earlier copy of its INVITE moves its start.
 */
public final class CallRecordStore {

    /** How long before a rebuilt range's start its calls' messages are read (copies captured earlier at another hop). */
    private static final Duration REBUILD_MARGIN = Duration.ofMinutes(1);

    /** The advisory lock of a pass ("hepcalls"). */
    public static final long LOCK_KEY = 0x6865_7063_616c_6c73L;

    private final ConnectionFactory connections;
    private final Clock clock;
    private final Settings settings;
    private final CallRecordPartitions days = new CallRecordPartitions();

    /**
     * @param ringTimeout how long a call may ring unanswered ({@link DialogRecorder})
     * @param lookback    how far back a call's messages are read (older ones are not part of its record)
     * @param maxChanges  the most changes a pass takes from the feed (each names one call; a call changed
     *                    by several batches is named several times); the rest wait for the next pass
     * @param retention   records of bindings last registered longer ago are deleted (those of calls go with their day
     *                    partitions, which the partition maintainer drops past the calls' retention)
     * @param mediaThresholds the thresholds of the media verdicts in a record ({@link CallMedia})
     */
    public record Settings(Duration ringTimeout, Duration lookback, int maxChanges, Duration retention,
                           MediaThresholds mediaThresholds) {

        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(3), Duration.ofHours(24), 20_000,
                Duration.ofDays(14), MediaThresholds.DEFAULTS);

        /** The settings with the media verdicts' thresholds before they could be set. */
        public Settings(Duration ringTimeout, Duration lookback, int maxChanges, Duration retention) {
            this(ringTimeout, lookback, maxChanges, retention, MediaThresholds.DEFAULTS);
        }
    }

    /**
     * What a pass did.
     *
     * @param ran      whether it held the lock (else another collector was running one)
     * @param changes  changes taken from the feed
     * @param calls    the calls they name
     * @param recorded records written (a call whose rows lack their INVITE, older than the lookback, has none)
     * @param registrations registration records written (every binding of the AoRs the changed REGISTER rows name)
     * @param timedOut ringing records turned into no answer
     * @param deleted  registration records past retention deleted
     * @param backlog  whether the pass took as many changes as it may (more may be waiting)
     * @param verdicts media verdicts this pass gave ended calls, by code: how many ended calls have one their record
     *                 did not have before (a call ending with it, or a later report adding it)
     */
    public record Pass(boolean ran, int changes, int calls, int recorded, long registrations, long timedOut, long deleted,
                       boolean backlog, Map<String, Integer> verdicts) {

        static final Pass SKIPPED = new Pass(false, 0, 0, 0, 0, 0, 0, false, Map.of());

        public Pass {
            verdicts = Map.copyOf(verdicts);
        }
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
                        .onErrorResume(e -> {
                            days.forget(); // a partition this pass created is gone with it
                            return Mono.from(c.rollbackTransaction()).then(Mono.error(e));
                        }),
                Connection::close);
    }

    /**
     * Records every call that started in {@code [from, to)} again from its stored messages (after the rules
     * changed, or for messages stored before records were kept), {@code maxChanges} calls at a time;
     * returns how many records were written.
     */
    public Mono<Long> rebuild(Instant from, Instant to) {
        Sql s = new Sql();
        s.append("SELECT m.call_id, r.import_id, i.last_ts FROM (SELECT DISTINCT call_id FROM messages_call WHERE method = 'INVITE' ")
                .append("AND call_id IS NOT NULL AND ts >= ").append(s.bind(utc(from))).append(" AND ts < ").append(s.bind(utc(to)))
                .append(") m LEFT JOIN call_records r ON r.call_id = m.call_id LEFT JOIN capture_imports i ON i.import_id = r.import_id");
        Instant now = clock.instant();
        Instant readFrom = from.minus(REBUILD_MARGIN);
        // the days of an old range may have been dropped since a pass saw them: nothing is taken as known
        CallRecordPartitions rebuilt = new CallRecordPartitions();
        return Mono.usingWhen(connections.create(), c -> rows(c, s, r -> Map.entry(r.get("call_id", String.class),
                                new Source(r.get("import_id", String.class), readFrom,
                                        asOf(now, r.get("last_ts", OffsetDateTime.class)))))
                        .flatMapMany(calls -> {
                            Map<Source, List<String>> bySource = new LinkedHashMap<>();
                            calls.forEach(e -> bySource.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey()));
                            return Flux.fromIterable(bySource.entrySet());
                        })
                        .concatMap(e -> Flux.fromIterable(e.getValue()).buffer(settings.maxChanges())
                                .concatMap(ids -> record(c, ids, now, e.getKey(), null, rebuilt)))
                        .reduce(0L, Long::sum),
                Connection::close);
    }

    /**
     * Where the rows of a change are read from and the moment its calls are judged at: since the lookback and now for
     * live traffic ({@code importId} null); for an imported capture, since its first time and as of its end.
     */
    private record Source(String importId, Instant readFrom, Instant asOf) {
    }

    /** The moment an imported call is judged at: its capture's end, unless that is still ahead; now without one. */
    private static Instant asOf(Instant now, OffsetDateTime captureEnd) {
        return captureEnd == null || captureEnd.toInstant().isAfter(now) ? now : captureEnd.toInstant();
    }

    /** The source of the changes of {@code importId} (null: live traffic), from the imports' ranges read by the pass. */
    private Source source(String importId, Map<String, OffsetDateTime[]> ranges, Instant now) {
        Instant lookback = now.minus(settings.lookback());
        OffsetDateTime[] range = importId == null ? null : ranges.get(importId);
        if (range == null) { // live, or an import forgotten since (its rows are past every retention)
            return new Source(importId, lookback, now);
        }
        Instant first = range[0].toInstant().minus(REBUILD_MARGIN);
        return new Source(importId, first.isBefore(lookback) ? first : lookback, asOf(now, range[1]));
    }

    private Mono<Pass> lockedPass(Connection c) {
        return rows(c, new Sql().append("SELECT pg_try_advisory_xact_lock(" + LOCK_KEY + ") AS locked"),
                r -> r.get("locked", Boolean.class))
                .flatMap(locked -> Boolean.TRUE.equals(locked.get(0)) ? run(c, clock.instant()) : Mono.just(Pass.SKIPPED));
    }

    /** A pass that holds the lock: its steps one after the other on its connection. */
    private Mono<Pass> run(Connection c, Instant now) {
        return takeChanges(c).flatMap(taken -> ranges(c, taken).flatMap(ranges -> {
            Set<String> calls = new LinkedHashSet<>();
            int[] changes = new int[1];
            taken.values().forEach(byKind -> {
                calls.addAll(byKind.get(CALL));
                changes[0] += byKind.get(CALL).size() + byKind.get(REGISTRATION).size();
            });
            boolean backlog = changes[0] >= settings.maxChanges();
            long[] done = new long[4]; // recorded, registrations, timed out, deleted
            Map<String, Integer> verdicts = new HashMap<>();
            return Flux.fromIterable(taken.entrySet()).concatMap(e -> {
                        Source source = source(e.getKey().orElse(null), ranges, now);
                        List<String> changedCalls = new ArrayList<>(new LinkedHashSet<>(e.getValue().get(CALL)));
                        List<String> registrations = new ArrayList<>(new LinkedHashSet<>(e.getValue().get(REGISTRATION)));
                        return record(c, changedCalls, now, source, verdicts, days).doOnNext(n -> done[0] += n)
                                .then(Mono.defer(() -> RegistrationRecords.record(c, registrations, now, source.readFrom())))
                                .doOnNext(n -> done[1] += n);
                    }).then()
                    .then(Mono.defer(() -> timeouts(c, now))).doOnNext(n -> done[2] = n)
                    .then(Mono.defer(() -> prune(c, now))).doOnNext(n -> done[3] = n)
                    .then(Mono.fromSupplier(() -> new Pass(true, changes[0], calls.size(), (int) done[0], done[1], done[2],
                            done[3], backlog, verdicts)));
        }));
    }

    /** The first and last time of each import the changes name ({@code capture_imports}), by import id. */
    private static Mono<Map<String, OffsetDateTime[]>> ranges(Connection c, Map<Optional<String>, Map<String, List<String>>> taken) {
        String[] imports = taken.keySet().stream().flatMap(Optional::stream).toArray(String[]::new);
        if (imports.length == 0) {
            return Mono.just(Map.of());
        }
        Sql s = new Sql();
        s.append("SELECT import_id, first_ts, last_ts FROM capture_imports WHERE import_id = ANY(").append(s.bind(imports)).append(")");
        return rows(c, s, r -> Map.entry(r.get("import_id", String.class),
                new OffsetDateTime[] {r.get("first_ts", OffsetDateTime.class), r.get("last_ts", OffsetDateTime.class)}))
                .map(entries -> {
                    Map<String, OffsetDateTime[]> out = new HashMap<>();
                    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
                    return out;
                });
    }

    /** The feed's kind of a call's change (its rows or a media report about it, V7): the kind of its rows. */
    private static final String CALL = MessageKind.SIP_CALL.code();
    /** The feed's kind of a change of REGISTER rows (V13). */
    private static final String REGISTRATION = MessageKind.SIP_REGISTRATION.code();

    /**
     * Deletes the oldest changes of the feed, at most {@code maxChanges}, and returns their Call-IDs by import (empty:
     * live traffic) and kind (a call once per batch that changed it). Deleted in this pass's transaction: they come
     * back if it fails.
     */
    private Mono<Map<Optional<String>, Map<String, List<String>>>> takeChanges(Connection c) {
        Sql s = new Sql();
        s.append("DELETE FROM call_changes WHERE seq IN (SELECT seq FROM call_changes ORDER BY seq LIMIT ")
                .append(s.bind(settings.maxChanges())).append(") RETURNING call_id, kind, import_id");
        return rows(c, s, r -> new String[] {r.get("kind", String.class), r.get("call_id", String.class),
                r.get("import_id", String.class)}).map(changes -> {
            Map<Optional<String>, Map<String, List<String>>> bySource = new LinkedHashMap<>();
            for (String[] change : changes) {
                bySource.computeIfAbsent(Optional.ofNullable(change[2]),
                                k -> Map.of(CALL, new ArrayList<>(), REGISTRATION, new ArrayList<>()))
                        .get(change[0]).add(change[1]);
            }
            return bySource;
        });
    }

    /**
     * Records every binding registered in {@code [from, to)} again from its stored REGISTER rows (and those of its
     * AoR since {@code from}), {@code maxChanges} Call-IDs at a time; returns how many records were written.
     */
    public Mono<Long> rebuildRegistrations(Instant from, Instant to) {
        return Mono.usingWhen(connections.create(), c -> RegistrationRecords.callIds(c, from, to)
                        .flatMapMany(Flux::fromIterable).buffer(settings.maxChanges())
                        .concatMap(ids -> RegistrationRecords.record(c, ids, clock.instant(), from.minus(REBUILD_MARGIN)))
                        .reduce(0L, Long::sum),
                Connection::close);
    }

    /**
     * Records the calls {@code ids} from their messages stored since the source's {@code readFrom}, judged as of its
     * {@code asOf}; returns how many records were written ({@code now}: their {@code updated_at}). With
     * {@code verdicts}, counts there the media verdicts the written records give ended calls that their records before
     * did not (read in the same transaction, before the upsert). The records' day partitions are made with
     * {@code partitions} first.
     */
    private Mono<Long> record(Connection c, List<String> ids, Instant now, Source source, Map<String, Integer> verdicts,
                              CallRecordPartitions partitions) {
        if (ids.isEmpty()) {
            return Mono.just(0L);
        }
        Instant readFrom = source.readFrom();
        Sql read = new Sql();
        read.append("SELECT ").append(MessageSelect.stored("", DialogRecorder.PARSED_ROWS_SQL)).append(" FROM messages_call WHERE call_id = ANY(")
                .append(read.bind(ids.toArray(String[]::new))).append(") AND ts >= ").append(read.bind(utc(readFrom)));
        Sql media = new Sql();
        media.append("SELECT ").append(MessageSelect.stored("")).append(" FROM messages_qos WHERE correlation_id = ANY(")
                .append(media.bind(ids.toArray(String[]::new)))
                .append(") AND correlation_id IS NOT NULL AND correlation_id IS DISTINCT FROM call_id AND ts >= ")
                .append(media.bind(utc(readFrom))).append(" AND proto_type IN (").append(MEDIA_PAYLOAD_TYPES).append(")");
        return rows(c, read, MessageSelect::stored).zipWith(Mono.defer(() -> rows(c, media, MessageSelect::stored)))
                .flatMap(both -> {
            Map<String, List<CapturedMessage>> byCall = new LinkedHashMap<>();
            for (CapturedMessage m : both.getT1()) {
                byCall.computeIfAbsent(m.callId(), k -> new ArrayList<>()).add(m);
            }
            Map<String, List<CallMedia.Report>> reportsByCall = new HashMap<>();
            for (CapturedMessage m : both.getT2()) {
                try {
                    reportsByCall.computeIfAbsent(m.envelope().correlationId(), k -> new ArrayList<>()).add(MediaReports.read(m));
                } catch (RtcpDecodeException unread) {
                    // kept as stored, counted where it was received; not part of the summary
                }
            }
            long asOfMicros = MessageSelect.micros(utc(source.asOf()));
            Map<String, DialogRecorder.Reading> readings = new LinkedHashMap<>();
            byCall.forEach((callId, rows) -> {
                DialogRecorder.Reading reading = DialogRecorder.read(rows, asOfMicros, settings.ringTimeout());
                if (reading != null) { // rows without their INVITE (it is older than the lookback) keep the record
                    readings.put(callId, reading);
                }
            });
            return uncorrelated(c, byCall, readings, reportsByCall, readFrom)
                    .then(Mono.defer(() -> recorded(c, ids, readFrom)))
                    .flatMap(before -> {
                List<Object[]> upserts = new ArrayList<>();
                List<Object[]> moved = new ArrayList<>();
                List<Long> starts = new ArrayList<>();
                readings.forEach((callId, reading) -> {
                    CallRecord record = reading.record();
                    CallMediaSummary summary = media(record, reportsByCall.getOrDefault(callId, List.of()));
                    List<Recorded> had = before.getOrDefault(callId, List.of());
                    if (verdicts != null && record.times().endedAt() != null) {
                        Set<String> given = new HashSet<>();
                        had.stream().filter(Recorded::ended).forEach(h -> given.addAll(h.verdicts()));
                        summary.verdicts().stream().filter(v -> !given.contains(v)).forEach(v -> verdicts.merge(v, 1, Integer::sum));
                    }
                    long startedAt = record.times().startedAt();
                    starts.add(startedAt);
                    had.stream().filter(h -> h.startedAt() != startedAt).forEach(h -> moved.add(new Object[] {callId, at(h.startedAt())}));
                    upserts.add(values(record, summary, byCall.get(callId).size(), now, source.importId()));
                });
                return partitions.ensure(c, starts)
                        .then(Mono.defer(() -> upsert(c, upserts)))
                        .flatMap(n -> moved.isEmpty() ? Mono.just(n) : BatchStatement.run(c, DELETE_MOVED, moved).thenReturn(n));
            });
        });
    }

    /**
     * Adds to {@code reportsByCall} the media reports that name no call, tied to a call by its SDP's media ends
     * ({@link MediaEndpoints}: sent from or to one of them between its first row and {@link MediaEndpoints#REPORTS_AFTER}
     * after its last), as a call's flow ties them. One statement for every call of the pass.
     */
    private Mono<Void> uncorrelated(Connection c, Map<String, List<CapturedMessage>> byCall,
                                    Map<String, DialogRecorder.Reading> readings,
                                    Map<String, List<CallMedia.Report>> reportsByCall, Instant readFrom) {
        Map<String, List<String>> callsByEnd = new HashMap<>();
        Map<String, long[]> windows = new HashMap<>();
        java.util.Set<String> addresses = new java.util.LinkedHashSet<>();
        java.util.Set<Integer> ports = new java.util.LinkedHashSet<>();
        readings.forEach((callId, reading) -> {
            MediaEndpoints ends = reading.media();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (CapturedMessage m : byCall.get(callId)) {
                first = Math.min(first, m.envelope().timestampMicros());
                last = Math.max(last, m.envelope().timestampMicros());
            }
            if (!ends.ends().isEmpty()) {
                windows.put(callId, new long[] {first, last + MediaEndpoints.REPORTS_AFTER.toNanos() / 1000});
                ends.ends().forEach(e -> callsByEnd.computeIfAbsent(e, k -> new ArrayList<>()).add(callId));
                addresses.addAll(ends.addresses());
                ports.addAll(ends.ports());
            }
        });
        if (windows.isEmpty()) {
            return Mono.empty();
        }
        long from = windows.values().stream().mapToLong(w -> w[0]).min().orElseThrow();
        long to = windows.values().stream().mapToLong(w -> w[1]).max().orElseThrow();
        Sql loose = new Sql();
        loose.append("SELECT ").append(MessageSelect.stored("")).append(" FROM messages_qos WHERE correlation_id IS NULL AND ts >= ")
                .append(loose.bind(at(Math.max(from, MessageSelect.micros(utc(readFrom)))))).append(" AND ts <= ")
                .append(loose.bind(at(to))).append(" AND proto_type IN (").append(MEDIA_PAYLOAD_TYPES).append(") AND ")
                .append(MediaEndpoints.addressCondition(loose, "", addresses, ports));
        return rows(c, loose, MessageSelect::stored).doOnNext(found -> {
            for (CapturedMessage m : found) {
                CallMedia.Report report;
                try {
                    report = MediaReports.read(m);
                } catch (RtcpDecodeException unread) {
                    continue;
                }
                long at = m.envelope().timestampMicros();
                java.util.Set<String> calls = new java.util.LinkedHashSet<>();
                calls.addAll(callsByEnd.getOrDefault(report.reporter(), List.of()));
                calls.addAll(callsByEnd.getOrDefault(report.peer(), List.of()));
                for (String callId : calls) {
                    long[] w = windows.get(callId);
                    if (at >= w[0] && at <= w[1]) {
                        reportsByCall.computeIfAbsent(callId, k -> new ArrayList<>()).add(report);
                    }
                }
            }
        }).then();
    }

    /**
     * How far before the read rows' start a call's record may have started: an initial INVITE of the same Call-ID
     * (another hop's copy, a retry after a challenge) a day after the first is taken for a new call.
     */
    private static final Duration RECORDED_REACH = Duration.ofDays(1);

    /** A call's record as stored: its start (µs; its key with the Call-ID), whether it had ended, its media verdicts. */
    private record Recorded(long startedAt, boolean ended, List<String> verdicts) {
    }

    /**
     * The stored records of {@code ids} that may have started since {@code readFrom} less {@link #RECORDED_REACH}, by
     * Call-ID (several when a record moved and the move is being written): their verdicts tell what a pass newly
     * gives, their starts which row a call leaves when its start moves (the key is Call-ID and start, V19). Bounded
     * in time, so the lookup reads the partitions of those days only.
     */
    private static Mono<Map<String, List<Recorded>>> recorded(Connection c, List<String> ids, Instant readFrom) {
        Sql s = new Sql();
        s.append("SELECT call_id, started_at, ended_at IS NOT NULL AS ended, verdicts FROM call_records WHERE call_id = ANY(")
                .append(s.bind(ids.toArray(String[]::new))).append(") AND started_at >= ")
                .append(s.bind(utc(readFrom.minus(RECORDED_REACH))));
        return rows(c, s, r -> Map.entry(r.get("call_id", String.class), new Recorded(
                MessageSelect.micros(r.get("started_at", OffsetDateTime.class)), Boolean.TRUE.equals(r.get("ended", Boolean.class)),
                List.of(r.get("verdicts", String[].class)))))
                .map(entries -> {
                    Map<String, List<Recorded>> out = new HashMap<>();
                    entries.forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
                    return out;
                });
    }

    /** Deletes the row a call left: its record under its former start. */
    private static final String DELETE_MOVED = "DELETE FROM call_records WHERE call_id = $1 AND started_at = $2";

    /** The HEP payload types of the stored rows {@link MediaReports} reads, as SQL. */
    private static final String MEDIA_PAYLOAD_TYPES = MediaReports.payloadTypesSql();

    /** The record's media quality, rated with the first codec of the answer's SDP (else G.711). */
    private CallMediaSummary media(CallRecord record, List<CallMedia.Report> reports) {
        Codec codec = null;
        for (String format : record.codecs()) {
            codec = Codec.ofSdp(format);
            if (codec != null) {
                break;
            }
        }
        CallMedia.Summary s = CallMedia.summarize(reports, codec != null ? codec : Codec.PCMU, settings.mediaThresholds());
        return CallMediaSummary.of(s, record.times().answeredAt() != null);
    }

    private static final String UPSERT = """
            INSERT INTO call_records (call_id, started_at, state, hangup_by, final_status, final_phrase, reason_protocol,
                reason_cause, reason_text, caller_user, caller_name, caller_agent, callee_user, callee_name, callee_agent,
                ruri_user, src_ip, src_port, dst_ip, dst_port, nodes, first_provisional_at, ringing_at, answered_at,
                ended_at, pdd_ms, setup_ms, ring_ms, duration_ms, codecs, messages, retransmissions, re_invites,
                stored_rows, updated_at, media_reports, mos, mos_min, loss_percent, jitter_ms, rtt_ms, verdicts, import_id,
                dialogs, dialogs_dropped, invite_hops)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::inet, $18, $19::inet, $20,
                $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43,
                $44::jsonb, $45, $46)
            ON CONFLICT (call_id, started_at) DO UPDATE SET state = EXCLUDED.state,
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
                re_invites = EXCLUDED.re_invites, stored_rows = EXCLUDED.stored_rows, updated_at = EXCLUDED.updated_at,
                media_reports = EXCLUDED.media_reports, mos = EXCLUDED.mos, mos_min = EXCLUDED.mos_min,
                loss_percent = EXCLUDED.loss_percent, jitter_ms = EXCLUDED.jitter_ms, rtt_ms = EXCLUDED.rtt_ms,
                verdicts = EXCLUDED.verdicts, import_id = EXCLUDED.import_id,
                dialogs = EXCLUDED.dialogs, dialogs_dropped = EXCLUDED.dialogs_dropped,
                invite_hops = EXCLUDED.invite_hops
            """;

    /** The bind values of {@link #UPSERT} for a record ({@code Class} for a typed null). */
    private static Object[] values(CallRecord r, CallMediaSummary m, int storedRows, Instant now, String importId) {
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
                storedRows, utc(now), m.reports(), or(real(m.mos()), Float.class), or(real(m.minMos()), Float.class),
                or(real(m.lossPercent()), Float.class), or(real(m.jitterMs()), Float.class), or(real(m.rttMs()), Float.class),
                m.verdicts().toArray(String[]::new), or(importId, String.class),
                DialogsColumn.write(r.dialogs()), r.dialogs().dropped(), r.counts().inviteHops()};
    }

    private Mono<Long> upsert(Connection c, List<Object[]> upserts) {
        return BatchStatement.run(c, UPSERT, upserts);
    }

    /**
     * Ringing records whose ring timeout has passed with no new message: not answered, by timeout, ended at the
     * timeout and rung until then, as {@link DialogRecorder} reads the same rows now (a rebuild writes the same).
     * An imported call's timeout must have passed within its capture (before {@code capture_imports.last_ts}): one
     * still ringing when the capture ended stays ringing, as the pass judged it.
     */
    private Mono<Long> timeouts(Connection c, Instant now) {
        Sql s = new Sql();
        String end = "started_at + " + s.bind(settings.ringTimeout().toMillis()) + " * interval '1 millisecond'";
        s.append("UPDATE call_records SET state = 'no_answer', hangup_by = 'timeout', ended_at = ").append(end)
                .append(", ring_ms = CASE WHEN ringing_at IS NOT NULL THEN greatest(0, floor(extract(epoch FROM ").append(end)
                .append(" - ringing_at) * 1000000)::bigint) / 1000 END, updated_at = ")
                .append(s.bind(utc(now))).append(" WHERE state = 'ringing' AND started_at <= ")
                .append(s.bind(utc(now.minus(settings.ringTimeout()))))
                .append(" AND NOT EXISTS (SELECT 1 FROM capture_imports i WHERE i.import_id = call_records.import_id AND ")
                .append(end).append(" > i.last_ts)");
        return execute(c, s);
    }

    /**
     * Deletes the records of bindings last registered before the retention, except those whose time lies in the range
     * of an import still held ({@code capture_imports}, as the partition maintainer keeps that range's messages). The
     * calls' records go with their day partitions, which the partition maintainer drops ({@code CallRecordPartitions}).
     */
    private Mono<Long> prune(Connection c, Instant now) {
        Sql bindings = new Sql();
        bindings.append("DELETE FROM registration_records r WHERE last_register_at < ")
                .append(bindings.bind(utc(now.minus(settings.retention())))).append(" AND NOT ")
                .append(held(bindings, "r.last_register_at", now));
        return execute(c, bindings);
    }

    /** SQL: whether the time {@code column} lies in the range of an import still held at {@code now}. */
    private static String held(Sql s, String column, Instant now) {
        return "EXISTS (SELECT 1 FROM capture_imports i WHERE i.keep_until > " + s.bind(utc(now)) + " AND " + column
                + " BETWEEN i.first_ts AND i.last_ts)";
    }

    private static Mono<Long> execute(Connection c, Sql s) {
        return Flux.from(s.bindTo(c.createStatement(s.text())).execute()).flatMap(r -> Mono.from(r.getRowsUpdated()))
                .reduce(0L, Long::sum);
    }

    private static <T> Mono<List<T>> rows(Connection c, Sql s, java.util.function.Function<Readable, T> mapper) {
        return Flux.from(s.bindTo(c.createStatement(s.text())).execute())
                .concatMap(r -> r.map((Readable row) -> mapper.apply(row))).collectList();
    }

    private static Float real(Double d) {
        return d == null ? null : d.floatValue();
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
