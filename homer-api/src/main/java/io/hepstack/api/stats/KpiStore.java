package io.hepstack.api.stats;

import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.query.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes {@link KpiReport} from the call records started in the range ({@code call_records_list}; totals, buckets
 * and final statuses in one pass with GROUPING SETS) and the registration records of the range, counted as
 * {@link RecordFigures} defines for the breakdowns too, so that the figures agree with the call list and the
 * breakdowns over the same range.
 */
@Repository
public class KpiStore {

    private final DatabaseClient db;

    public KpiStore(DatabaseClient db) {
        this.db = db;
    }

    /** The statement of the call figures: one row per bucket, per final status, and the total. */
    static Sql callsSql(StatsRequest r, Scope scope) {
        Sql s = new Sql();
        String from = s.bind(utc(r.from()));
        String to = s.bind(utc(r.to()));
        String step = s.bind(r.stepSeconds());
        String where = RecordFigures.callsStarted(from, to)
                + RecordFigures.capturedBy(RecordFigures.nodes(s, r.nodes()), "c.")
                + RecordFigures.callsInScope(s, scope, from, to);
        s.append("""
                SELECT bucket, code, GROUPING(bucket) AS every_bucket, GROUPING(code) AS every_code,
                       count(*) AS invites,
                       count(*) FILTER (WHERE %s) AS attempts,
                       count(*) FILTER (WHERE %s) AS answered,
                       count(*) FILTER (WHERE %s) AS busy,
                       count(*) FILTER (WHERE %s) AS failed,
                       count(*) FILTER (WHERE %s) AS session_defects,
                       count(*) FILTER (WHERE %s) AS ineffective,
                       count(*) FILTER (WHERE %s) AS user_ended,
                       avg(c.pdd_ms) AS pdd_ms, avg(c.duration_ms) AS duration_ms, avg(c.invite_hops) AS ahr
                FROM (SELECT floor(extract(epoch FROM c.started_at - %s) / %s)::int AS bucket,
                             coalesce(c.final_status::text, 'none') AS code,
                             c.state, c.hangup_by, c.final_status, c.pdd_ms, c.duration_ms, c.invite_hops
                      FROM call_records c
                      WHERE %s) c
                GROUP BY GROUPING SETS ((bucket), (code), ())""".formatted(RecordFigures.ATTEMPT, RecordFigures.ANSWERED,
                RecordFigures.BUSY, RecordFigures.FAILED, RecordFigures.SESSION_DEFECT, RecordFigures.INEFFECTIVE,
                RecordFigures.NER_EFFECTIVE, from, step, where));
        return s;
    }

    /** The statement of the registration figures: the bindings registered in the range, and of them those not failing. */
    static Sql registrationsSql(StatsRequest r, Scope scope) {
        Sql s = new Sql();
        String from = s.bind(utc(r.from()));
        String to = s.bind(utc(r.to()));
        s.append("SELECT count(*) AS registrations, count(*) FILTER (WHERE NOT " + RecordFigures.REGISTRATION_FAILING
                        + ") AS succeeded FROM registration_records g WHERE ")
                .append(RecordFigures.bindingsRegistered(from, to))
                .append(RecordFigures.capturedBy(RecordFigures.nodes(s, r.nodes()), "g."))
                .append(scope.recordCondition(s, "g."));
        return s;
    }

    private record Figures(long invites, long attempts, long answered, long busy, long failed, long sessionDefects,
                           long ineffective, long userEnded, Double pddMs, Double durationMs, Double ahr) {
        static Figures of(Readable r) {
            return new Figures(r.get("invites", Long.class), r.get("attempts", Long.class), r.get("answered", Long.class),
                    r.get("busy", Long.class), r.get("failed", Long.class), r.get("session_defects", Long.class),
                    r.get("ineffective", Long.class), r.get("user_ended", Long.class), number(r.get("pdd_ms")),
                    number(r.get("duration_ms")), number(r.get("ahr")));
        }

        static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, 0, 0, null, null, null);

        KpiReport.Point point(Instant t) {
            return new KpiReport.Point(t, invites, attempts, answered, busy, failed, sessionDefects, ineffective,
                    ratio(answered, attempts), ratio(userEnded, attempts), ratio(ineffective, invites),
                    ratio(sessionDefects, attempts), ahr);
        }
    }

    private record Row(Integer bucket, String code, boolean everyBucket, boolean everyCode, Figures figures) {
    }

    /** The indicators of {@code request}, from the records of the calls and bindings within {@code scope} only. */
    public Mono<KpiReport> kpi(StatsRequest request, Scope scope) {
        Mono<List<Row>> calls = Statements.on(callsSql(request, scope), db).map(r -> new Row(r.get("bucket", Integer.class),
                r.get("code", String.class), r.get("every_bucket", Integer.class) == 1,
                r.get("every_code", Integer.class) == 1, Figures.of(r))).all().collectList();
        Mono<long[]> registrations = Statements.on(registrationsSql(request, scope), db)
                .map(r -> new long[] {r.get("registrations", Long.class), r.get("succeeded", Long.class)}).one();
        return calls.zipWith(registrations, (rows, regs) -> {
            Figures total = Figures.NONE;
            Figures[] buckets = new Figures[request.buckets()];
            Map<String, Long> codes = new TreeMap<>();
            for (Row row : rows) {
                if (row.everyBucket() && row.everyCode()) {
                    total = row.figures();
                } else if (row.everyCode() && row.bucket() != null && row.bucket() >= 0 && row.bucket() < buckets.length) {
                    buckets[row.bucket()] = row.figures();
                } else if (row.everyBucket()) {
                    codes.put(row.code(), row.figures().invites());
                }
            }
            List<KpiReport.Point> series = new ArrayList<>(buckets.length);
            for (int i = 0; i < buckets.length; i++) {
                series.add((buckets[i] == null ? Figures.NONE : buckets[i]).point(request.bucket(i)));
            }
            KpiReport.Point p = total.point(request.from());
            KpiReport.Total t = new KpiReport.Total(p.invites(), p.attempts(), p.answered(), p.busy(), p.failed(),
                    p.sessionDefects(), p.ineffective(), p.asr(), p.ner(), p.isa(), p.sd(), total.pddMs(),
                    total.durationMs(), total.ahr(), codes, regs[0], regs[1]);
            return new KpiReport(request.from(), request.to(), request.stepSeconds(), request.nodes(), t, series);
        });
    }

    /** {@code n / d} to three decimals, {@code null} when {@code d} is 0. */
    static Double ratio(long n, long d) {
        return d == 0 ? null : Math.round(1000.0 * n / d) / 1000.0;
    }

    private static Double number(Object v) {
        return v instanceof Number n ? Math.round(n.doubleValue() * 1000) / 1000.0 : null;
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
