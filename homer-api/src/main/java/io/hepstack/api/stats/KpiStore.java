package io.hepstack.api.stats;

import io.hepstack.api.search.Sql;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Computes {@link Kpi} with two aggregate queries, each on one kind's time-pruned partitions
 * ({@code kind = 'call'}, {@code kind = 'registration'}).
 */
@Repository
public class KpiStore {

    private final DatabaseClient db;

    public KpiStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Kpi> kpi(Instant from, Instant to) {
        Sql calls = new Sql();
        String f = calls.bind(utc(from));
        String t = calls.bind(utc(to));
        calls.append("""
                WITH calls AS (
                  SELECT call_id,
                         min(ts) FILTER (WHERE method = 'INVITE') AS invite_at,
                         min(ts) FILTER (WHERE status BETWEEN 180 AND 189 AND cseq_method = 'INVITE') AS ringing_at,
                         min(ts) FILTER (WHERE status BETWEEN 200 AND 299 AND cseq_method = 'INVITE') AS answered_at,
                         min(ts) FILTER (WHERE method = 'BYE') AS bye_at,
                         (array_agg(status ORDER BY ts) FILTER (WHERE status >= 200 AND cseq_method = 'INVITE'))[1] AS final_status
                  FROM messages
                  WHERE kind = 'call' AND ts >= %s AND ts < %s AND call_id IS NOT NULL
                  GROUP BY call_id
                  HAVING count(*) FILTER (WHERE method = 'INVITE') > 0)
                SELECT count(*) AS calls,
                       count(answered_at) AS answered,
                       count(final_status) AS finished,
                       count(*) FILTER (WHERE final_status BETWEEN 200 AND 299
                                        OR final_status IN (480, 486, 487, 600, 603)) AS user_ended,
                       avg(extract(epoch FROM ringing_at - invite_at) * 1000) FILTER (WHERE ringing_at >= invite_at) AS pdd_ms,
                       avg(extract(epoch FROM bye_at - answered_at) * 1000) FILTER (WHERE bye_at >= answered_at) AS duration_ms,
                       coalesce((SELECT jsonb_object_agg(s.code, s.n) FROM (SELECT coalesce(final_status::text, 'none') AS code,
                                 count(*) AS n FROM calls GROUP BY 1) s), '{}'::jsonb)::text AS statuses
                FROM calls""".formatted(f, t));
        Sql registrations = new Sql();
        registrations.append("SELECT count(DISTINCT call_id) FILTER (WHERE method = 'REGISTER') AS registrations, "
                        + "count(DISTINCT call_id) FILTER (WHERE status BETWEEN 200 AND 299) AS succeeded "
                        + "FROM messages WHERE kind = 'registration' AND ts >= ")
                .append(registrations.bind(utc(from))).append(" AND ts < ").append(registrations.bind(utc(to)));
        Mono<long[]> regs = registrations.on(db)
                .map(r -> new long[] {r.get("registrations", Long.class), r.get("succeeded", Long.class)}).one();
        return calls.on(db).map(r -> {
                    long n = r.get("calls", Long.class);
                    long answered = r.get("answered", Long.class);
                    long finished = r.get("finished", Long.class);
                    long userEnded = r.get("user_ended", Long.class);
                    return new Kpi(from, to, n, answered, n == 0 ? null : (double) answered / n,
                            finished == 0 ? null : (double) userEnded / finished, number(r.get("pdd_ms")),
                            number(r.get("duration_ms")), r.get("statuses", String.class), 0, 0);
                }).one()
                .zipWith(regs, (k, reg) -> new Kpi(k.from(), k.to(), k.calls(), k.answered(), k.asr(), k.ner(),
                        k.avgPddMs(), k.avgDurationMs(), k.finalStatus(), reg[0], reg[1]));
    }

    private static Double number(Object v) {
        return v instanceof Number n ? Math.round(n.doubleValue() * 1000) / 1000.0 : null;
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
