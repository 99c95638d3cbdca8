package io.hepstack.api.stats;

import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.query.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes {@link KpiReport} with one aggregate over the calls of the range ({@code kind = 'call'},
 * time-pruned partitions; totals, buckets and outcome codes in one pass with GROUPING SETS) and one
 * over the registrations ({@code kind = 'registration'}).
 */
@Repository
public class KpiStore {

    /** How long after {@code to} a call's final reply is still looked for (INVITE transactions end within minutes). */
    static final Duration OUTCOME_SPAN = Duration.ofMinutes(5);

    private final DatabaseClient db;

    public KpiStore(DatabaseClient db) {
        this.db = db;
    }

    /** The statement of the call figures: one row per bucket, per outcome code, and the total. */
    static Sql callsSql(StatsRequest r, Scope scope) {
        Sql s = new Sql();
        String from = s.bind(utc(r.from()));
        String to = s.bind(utc(r.to()));
        String until = s.bind(utc(r.to().plus(OUTCOME_SPAN)));
        String step = s.bind(r.stepSeconds());
        String nodes = (r.nodes().isEmpty() ? "" : " AND node = ANY(" + s.bind(r.nodes().toArray(new String[0])) + ")")
                + scope.condition(s, "");
        s.append("""
                WITH calls AS (
                  SELECT min(ts) FILTER (WHERE method = 'INVITE' AND to_tag IS NULL) AS invite_at,
                         min(ts) FILTER (WHERE status BETWEEN 180 AND 189 AND cseq_method = 'INVITE') AS ringing_at,
                         min(ts) FILTER (WHERE status BETWEEN 200 AND 299 AND cseq_method = 'INVITE') AS answered_at,
                         min(ts) FILTER (WHERE method = 'BYE') AS bye_at,
                         coalesce((array_agg(status ORDER BY ts)
                                     FILTER (WHERE status BETWEEN 200 AND 299 AND cseq_method = 'INVITE'))[1],
                                  (array_agg(status ORDER BY cseq DESC, ts)
                                     FILTER (WHERE status >= 300 AND status NOT IN (401, 407) AND cseq_method = 'INVITE'))[1]) AS outcome,
                         (array_agg(status ORDER BY ts DESC) FILTER (WHERE status IN (401, 407) AND cseq_method = 'INVITE'))[1] AS challenge
                  FROM messages
                  WHERE kind = 'call' AND ts >= %1$s AND ts < %3$s AND call_id IS NOT NULL%5$s
                  GROUP BY call_id
                  HAVING min(ts) FILTER (WHERE method = 'INVITE' AND to_tag IS NULL) >= %1$s
                     AND min(ts) FILTER (WHERE method = 'INVITE' AND to_tag IS NULL) < %2$s),
                c AS (
                  SELECT floor(extract(epoch FROM invite_at - %1$s) / %4$s)::int AS bucket,
                         coalesce(outcome::text, challenge::text, 'none') AS code,
                         outcome, ringing_at, invite_at, answered_at, bye_at,
                         NOT coalesce(outcome BETWEEN 300 AND 399, false) AND NOT (outcome IS NULL AND challenge IS NOT NULL) AS attempt
                  FROM calls)
                SELECT bucket, code, GROUPING(bucket) AS every_bucket, GROUPING(code) AS every_code,
                       count(*) AS invites,
                       count(*) FILTER (WHERE attempt) AS attempts,
                       count(*) FILTER (WHERE outcome BETWEEN 200 AND 299) AS answered,
                       count(*) FILTER (WHERE outcome IN (486, 600)) AS busy,
                       count(*) FILTER (WHERE outcome BETWEEN 400 AND 699 AND outcome NOT IN (486, 600, 487)) AS failed,
                       count(*) FILTER (WHERE outcome IN (500, 503, 504)) AS session_defects,
                       count(*) FILTER (WHERE outcome IN (408, 500, 503)) AS ineffective,
                       count(*) FILTER (WHERE outcome BETWEEN 200 AND 299 OR outcome IN (486, 487, 603)) AS user_ended,
                       avg(extract(epoch FROM ringing_at - invite_at) * 1000) FILTER (WHERE ringing_at >= invite_at) AS pdd_ms,
                       avg(extract(epoch FROM bye_at - answered_at) * 1000) FILTER (WHERE bye_at >= answered_at) AS duration_ms
                FROM c
                GROUP BY GROUPING SETS ((bucket), (code), ())""".formatted(from, to, until, step, nodes));
        return s;
    }

    /** The statement of the registration figures. */
    static Sql registrationsSql(StatsRequest r, Scope scope) {
        Sql s = new Sql();
        s.append("SELECT count(DISTINCT call_id) FILTER (WHERE method = 'REGISTER') AS registrations, "
                        + "count(DISTINCT call_id) FILTER (WHERE status BETWEEN 200 AND 299 AND cseq_method = 'REGISTER') AS succeeded "
                        + "FROM messages WHERE kind = 'registration' AND ts >= ")
                .append(s.bind(utc(r.from()))).append(" AND ts < ").append(s.bind(utc(r.to())));
        if (!r.nodes().isEmpty()) {
            s.append(" AND node = ANY(").append(s.bind(r.nodes().toArray(new String[0]))).append(")");
        }
        scope.appendTo(s, "");
        return s;
    }

    private record Figures(long invites, long attempts, long answered, long busy, long failed, long sessionDefects,
                           long ineffective, long userEnded, Double pddMs, Double durationMs) {
        static Figures of(Readable r) {
            return new Figures(r.get("invites", Long.class), r.get("attempts", Long.class), r.get("answered", Long.class),
                    r.get("busy", Long.class), r.get("failed", Long.class), r.get("session_defects", Long.class),
                    r.get("ineffective", Long.class), r.get("user_ended", Long.class), number(r.get("pdd_ms")),
                    number(r.get("duration_ms")));
        }

        static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, 0, 0, null, null);

        KpiReport.Point point(Instant t) {
            return new KpiReport.Point(t, invites, attempts, answered, busy, failed, sessionDefects, ineffective,
                    ratio(answered, attempts), ratio(userEnded, attempts), ratio(ineffective, invites),
                    ratio(sessionDefects, attempts));
        }
    }

    private record Row(Integer bucket, String code, boolean everyBucket, boolean everyCode, Figures figures) {
    }

    /** The indicators of {@code request}, from the messages within {@code scope} only. */
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
                    total.durationMs(), codes, regs[0], regs[1]);
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
