package io.hepstack.api.stats;

import io.hepstack.api.query.NumberPlan;
import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.query.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes {@link BreakdownReport} with one statement: an aggregate of the call records started in the range
 * ({@code call_records_list}) per group, joined (by node and address) to one of the registration records of the
 * range ({@code registration_records_recent}), cut at the top groups. A tenant-scoped caller counts the calls one
 * of whose INVITEs in the range it may read (as the call list) and the bindings its nodes or networks saw (as the
 * registration list). What a figure counts is {@link RecordFigures}'s, as for {@code /stats/kpi}.
 */
@Repository
class BreakdownStore {

    private final DatabaseClient db;

    BreakdownStore(DatabaseClient db) {
        this.db = db;
    }

    static Sql breakdownSql(BreakdownRequest r, NumberPlan plan, Scope scope) {
        Sql s = new Sql();
        String from = s.bind(KpiStore.utc(r.from()));
        String to = s.bind(KpiStore.utc(r.to()));
        String callKey = switch (r.by()) {
            case NODE -> "k.key";
            case SRC_IP -> "host(c.src_ip)";
            case CALLEE_PREFIX -> {
                String n = s.bind(r.prefixLength());
                yield "CASE WHEN n.digits IS NOT NULL THEN '+' || left(n.digits, " + n + ") ELSE left(c.callee_user, " + n + ") END";
            }
        };
        s.append("WITH calls AS (\n  SELECT ").append(callKey).append(" AS key, count(*) AS calls,\n")
                .append("""
                         count(*) FILTER (WHERE %s) AS attempts,
                         count(*) FILTER (WHERE %s) AS answered,
                         count(*) FILTER (WHERE %s) AS user_ended,
                         count(*) FILTER (WHERE c.final_status BETWEEN 400 AND 499 AND c.state <> 'auth_challenged_only') AS f4,
                         count(*) FILTER (WHERE c.final_status BETWEEN 500 AND 599) AS f5,
                         count(*) FILTER (WHERE c.final_status BETWEEN 600 AND 699) AS f6,
                         avg(c.duration_ms) AS duration_ms
                  FROM call_records c""".formatted(RecordFigures.ATTEMPT, RecordFigures.ANSWERED, RecordFigures.NER_EFFECTIVE));
        if (r.by() == BreakdownRequest.By.NODE) {
            s.append(" CROSS JOIN LATERAL unnest(c.nodes) AS k(key)");
        } else if (r.by() == BreakdownRequest.By.CALLEE_PREFIX) {
            // the number read once per record (its pattern match is the costly part)
            s.append(" CROSS JOIN LATERAL (SELECT ").append(plan.internationalSql("c.callee_user")).append(" AS digits) n");
        }
        s.append("\n  WHERE ").append(RecordFigures.callsStarted(from, to));
        if (r.by() == BreakdownRequest.By.SRC_IP) {
            s.append(" AND c.src_ip IS NOT NULL");
        } else if (r.by() == BreakdownRequest.By.CALLEE_PREFIX) {
            s.append(" AND c.callee_user IS NOT NULL");
        }
        String nodes = RecordFigures.nodes(s, r.nodes());
        s.append(nodeCondition(r, nodes, "c."));
        s.append(RecordFigures.callsInScope(s, scope, from, to));
        s.append("\n  GROUP BY 1)");
        boolean registrations = r.by() != BreakdownRequest.By.CALLEE_PREFIX;
        if (registrations) {
            s.append(",\nregistrations AS (\n  SELECT ").append(r.by() == BreakdownRequest.By.NODE ? "k.key" : "host(g.src_ip)")
                    .append(" AS key, count(*) AS registrations,\n")
                    .append("         count(*) FILTER (WHERE ").append(RecordFigures.REGISTRATION_FAILING).append(") AS failing\n")
                    .append("  FROM registration_records g");
            if (r.by() == BreakdownRequest.By.NODE) {
                s.append(" CROSS JOIN LATERAL unnest(g.nodes) AS k(key)");
            }
            s.append("\n  WHERE ").append(RecordFigures.bindingsRegistered(from, to));
            s.append(nodeCondition(r, nodes, "g."));
            s.append(scope.recordCondition(s, "g."));
            s.append("\n  GROUP BY 1)");
        }
        s.append("\nSELECT coalesce(c.key").append(registrations ? ", g.key" : "").append(") AS key, c.calls, c.attempts, c.answered, ")
                .append("c.user_ended, c.f4, c.f5, c.f6, c.duration_ms, ")
                .append(registrations ? "g.registrations, g.failing" : "NULL::bigint AS registrations, NULL::bigint AS failing")
                .append(", count(*) OVER () AS groups\nFROM calls c");
        if (registrations) {
            s.append(" FULL JOIN registrations g ON g.key = c.key");
        }
        s.append("\nORDER BY coalesce(c.calls, 0) DESC")
                .append(registrations ? ", coalesce(g.registrations, 0) DESC" : "")
                .append(", coalesce(c.key").append(registrations ? ", g.key" : "").append(") COLLATE \"C\" LIMIT ").append(s.bind(r.top()));
        return s;
    }

    /**
     * The records of the request's nodes ({@code nodes}, a bound array, {@code null} for every node): by node, the groups
     * of those nodes only (a call seen by another node too is not counted under it); otherwise the records one of them
     * captured.
     */
    private static String nodeCondition(BreakdownRequest r, String nodes, String alias) {
        if (nodes != null && r.by() == BreakdownRequest.By.NODE) {
            return " AND k.key = ANY(" + nodes + ")";
        }
        return RecordFigures.capturedBy(nodes, alias);
    }

    /** The breakdown of {@code request} within {@code scope}, the callee numbers read with {@code plan}. */
    Mono<BreakdownReport> breakdown(BreakdownRequest request, NumberPlan plan, Scope scope) {
        return Statements.on(breakdownSql(request, plan, scope), db).map(r -> row(r, request, plan)).all().collectList()
                .map(rows -> new BreakdownReport(request.from(), request.to(), request.by().code, request.top(),
                        request.by() == BreakdownRequest.By.CALLEE_PREFIX ? request.prefixLength() : null, request.nodes(),
                        rows.isEmpty() ? 0 : rows.get(0).groups(), rows.stream().map(GroupRow::row).toList()));
    }

    private record GroupRow(long groups, BreakdownReport.Row row) {
    }

    private static GroupRow row(Readable r, BreakdownRequest request, NumberPlan plan) {
        String key = r.get("key", String.class);
        long calls = count(r, "calls");
        long attempts = count(r, "attempts");
        long answered = count(r, "answered");
        Map<String, Long> failures = new LinkedHashMap<>();
        failures.put("4xx", count(r, "f4"));
        failures.put("5xx", count(r, "f5"));
        failures.put("6xx", count(r, "f6"));
        Long registrations = r.get("registrations", Long.class);
        Long failing = r.get("failing", Long.class);
        if (request.by() != BreakdownRequest.By.CALLEE_PREFIX) {
            registrations = registrations == null ? 0L : registrations;
            failing = failing == null ? 0L : failing;
        }
        Object duration = r.get("duration_ms");
        Map<String, String> search = new LinkedHashMap<>();
        search.put(request.by().callParameter, searchValue(request, plan, key));
        if (request.by() != BreakdownRequest.By.NODE && !request.nodes().isEmpty()) {
            search.put("node", String.join(",", request.nodes())); // the call list's node: any of them
        }
        return new GroupRow(r.get("groups", Long.class), new BreakdownReport.Row(key, search, calls, attempts, answered, KpiStore.ratio(answered, attempts),
                KpiStore.ratio(count(r, "user_ended"), attempts), failures,
                duration instanceof Number n ? Math.round(n.doubleValue() * 1000) / 1000.0 : null, registrations, failing,
                registrations == null ? null : KpiStore.ratio(failing, registrations)));
    }

    /** The call list's value of the group {@code key}: the node or address itself, or the prefix in each of its forms. */
    static String searchValue(BreakdownRequest request, NumberPlan plan, String key) {
        if (request.by() != BreakdownRequest.By.CALLEE_PREFIX) {
            return key;
        }
        boolean number = key.startsWith("+");
        if (key.length() - (number ? 1 : 0) < request.prefixLength()) {
            return key; // the whole number (in each of its forms) or user: a prefix would find longer ones too
        }
        return number ? String.join(",", plan.prefixPatterns(key.substring(1))) : key + "*";
    }

    private static long count(Readable r, String column) {
        Long v = r.get(column, Long.class);
        return v == null ? 0 : v;
    }
}
