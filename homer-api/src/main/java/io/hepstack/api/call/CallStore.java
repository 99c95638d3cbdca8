package io.hepstack.api.call;

import io.hepstack.api.query.CallSort;
import io.hepstack.api.query.Filter;
import io.hepstack.api.query.Scope;
import io.hepstack.api.search.SearchRequest;
import io.hepstack.api.store.ValuePlans;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.query.Sql;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.HashMap;

/**
 * The call list: one row per Call-ID with an INVITE in the range, newest first or in a {@link ListOrder}. Calls
 * are found by their INVITEs ({@code kind = 'call'}, the filters on the INVITE rows, index per docs/schema.md),
 * or by their records for a record's field or column; each page's calls are then summarized from their messages
 * by {@code call_id} (index), looking up to {@code homer.api.search.call-span} past the range for the end of the
 * call. Pages are keyset pages both ways ({@link Position}), with the list's total.
 */
@Repository
public class CallStore {

    private final DatabaseClient db;
    private final ValuePlans plans;

    public CallStore(DatabaseClient db, ValuePlans plans) {
        this.db = db;
        this.plans = plans;
    }

    /**
     * A page of the calls of {@code request} seen within {@code scope} in {@code order}: only its messages are found,
     * counted and linked. With the total of the calls of the request: counted up to {@code exactTotal}, above it the
     * planner's estimate.
     */
    public Mono<CallPage> list(SearchRequest request, ListOrder order, Duration callSpan, Scope scope, int exactTotal) {
        Position at = request.cursor() == null ? null : Position.decode(request.cursor(), order);
        Sql s = new Sql();
        listSql(s, request, order, at, callSpan, scope, false);
        Mono<List<Row>> rows = planned(request, scope, Statements.on(s, db).map(r -> new Row(
                        r.get("call_id", String.class),
                        r.get("started_at", OffsetDateTime.class).toInstant(),
                        order.sort().kind() == CallSort.Kind.TIME ? null : Position.text(r.get("sort_value"), order.sort()),
                        instant(r.get("answered_at", OffsetDateTime.class)),
                        instant(r.get("bye_at", OffsetDateTime.class)),
                        instant(r.get("failed_at", OffsetDateTime.class)),
                        r.get("final_status", Short.class),
                        r.get("message_count", Long.class),
                        r.get("from_user", String.class),
                        r.get("to_user", String.class),
                        r.get("correlation_ids", String[].class),
                        r.get("state", String.class),
                        r.get("hangup_by", String.class),
                        r.get("reason_cause", Integer.class),
                        r.get("pdd_ms", Long.class),
                        CallRecordReader.real(r, "mos"),
                        r.get("verdicts", String[].class),
                        r.get("forks", Integer.class), r.get("invite_hops", Integer.class)))
                .all()).collectList();
        // the total is counted beside the page, on a connection of its own (it does not depend on the page); whole:
        // a page that fails does not cancel it half-read
        Mono<Total> total = Statements.whole(total(request, order, callSpan, scope, exactTotal));
        return Mono.zip(rows, total).flatMap(pageAndTotal -> {
            List<Row> found = pageAndTotal.getT1();
            Total counted = pageAndTotal.getT2();
            boolean more = found.size() > request.limit();
            List<Row> page = new ArrayList<>(more ? found.subList(0, request.limit()) : found);
            boolean backwards = at != null && at.before();
            if (backwards) {
                java.util.Collections.reverse(page);
            }
            // after: a next page when there was more, a previous one when this is not the first; before: the reverse
            boolean hasNext = backwards || more;
            boolean hasPrevious = backwards ? more : at != null;
            String next = hasNext && !page.isEmpty() ? Position.of(page.get(page.size() - 1), order, false).encode() : null;
            String previous = hasPrevious && !page.isEmpty() ? Position.of(page.get(0), order, true).encode() : null;
            return legs(page, request.from(), request.to().plus(callSpan), scope)
                    .map(legs -> new CallPage(page.stream().map(row -> row.item(legs)).toList(), next, previous,
                            counted.count(), counted.exact()));
        });
    }

    /**
     * A statement of the list: filtered (or scoped), under a plan made for its values ({@link ValuePlans}); how
     * selective a user, a state or a duration is, and how much of the range's INVITEs a week is, decide its plan.
     * Without filters the prepared plan is the right one (the range's INVITEs from their index) and costs no planning.
     */
    private <T> Flux<T> planned(SearchRequest request, Scope scope, Flux<T> statement) {
        return request.filters().isEmpty() && scope.all() ? statement : plans.run(statement);
    }

    /** The calls of a request: counted, or estimated when there are more than {@code exactTotal}. */
    private Mono<Total> total(SearchRequest request, ListOrder order, Duration callSpan, Scope scope, int exactTotal) {
        Sql count = new Sql();
        count.append("SELECT count(*) AS n FROM (");
        listSql(count, request, order, null, callSpan, scope, true);
        count.append(" LIMIT ").append(count.bind(exactTotal + 1)).append(") t");
        return planned(request, scope, Statements.on(count, db).map(r -> r.get("n", Long.class)).all()).single().flatMap(n -> {
            if (n <= exactTotal) {
                return Mono.just(new Total(n, true));
            }
            Sql plan = new Sql();
            plan.append("EXPLAIN (FORMAT JSON) ");
            listSql(plan, request, order, null, callSpan, scope, true);
            return planned(request, scope, Statements.on(plan, db).map(r -> r.get(0, String.class)).all()).single()
                    .map(json -> new Total(Math.max(exactTotal + 1L, planRows(json)), false));
        });
    }

    /** The rows the planner expects of the statement whose {@code EXPLAIN (FORMAT JSON)} is {@code json}. */
    static long planRows(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode plan = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            return plan.path(0).path("Plan").path("Plan Rows").asLong(0);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("EXPLAIN gave no JSON plan", e);
        }
    }

    /** How many calls a request lists: {@code exact}, or the planner's estimate. */
    private record Total(long count, boolean exact) {
    }

    /** The first page of the calls of {@code request} newest first (the list's statement: {@code FlowQueryPlanIT}). */
    static Sql listSql(SearchRequest request, Duration callSpan, Scope scope) {
        return listSql(request, ListOrder.NEWEST_FIRST, callSpan, scope);
    }

    static Sql listSql(SearchRequest request, ListOrder order, Duration callSpan, Scope scope) {
        Sql s = new Sql();
        listSql(s, request, order, request.cursor() == null ? null : Position.decode(request.cursor(), order), callSpan, scope, false);
        return s;
    }

    /**
     * The call list statement. The page's calls are chosen first, from INVITE rows alone: {@code
     * messages_call} named directly (a {@code kind} condition would make PostgreSQL read each row to
     * re-check it, where the partial index {@code messages_call_invite_ts} answers from the index
     * alone), grouped by Call-ID, ordered and cut to the page, the cursor applied to the groups. Only
     * then is each chosen call summarized from its messages ({@code call_id} index), so a busy hour with
     * 50,000 calls costs one index-only scan and 101 summaries, not 50,000 (docs/performance.md). A
     * {@code status} filter is on the summary's final status, so with it every call of the range is
     * summarized before the page is cut. Each call's record, when the collectors made one, is looked up by
     * its key ({@code call_records} primary key, a lateral {@code LIMIT 1} so that the lookup stays per call
     * of the page). With a filter on a record ({@link Filter.Field#onRecord()}: state, who hung up, cause,
     * durations, nodes, numbers...) or an order on another column than the start, the page's calls are chosen
     * from {@code call_records} instead, along {@code call_records_list} for the range, each kept when one of its
     * INVITEs in the range matches the other filters within the scope: a call without a record is not listed then.
     * {@code rows}: the calls chosen, without cursor, order or page, for their count ({@link #total}).
     */
    private static void listSql(Sql s, SearchRequest request, ListOrder order, Position at, Duration callSpan, Scope scope,
                                boolean rows) {
        String from = s.bind(utc(request.from()));
        String to = s.bind(utc(request.to()));
        Filter status = null;
        List<Filter> ofRecord = new ArrayList<>();
        List<Filter> ofInvites = new ArrayList<>();
        for (Filter f : request.filters()) {
            if (f.field() == Filter.Field.STATUS) {
                status = f;
            } else {
                (f.field().onRecord() ? ofRecord : ofInvites).add(f);
            }
        }
        boolean cutInside = status == null && !rows; // the page is cut where the calls are chosen
        boolean walkAscending = at != null && at.before() ? !order.ascending() : order.ascending();
        boolean nullsLast = at == null || !at.before();
        String limit = rows ? null : s.bind(request.limit() + 1);
        if (rows && status == null) {
            s.append("SELECT i.call_id FROM (");
        } else if (rows) {
            s.append("SELECT 1 FROM (");
        } else {
            s.append("""
                    SELECT i.call_id, i.started_at, i.sort_value, x.answered_at, x.bye_at, x.failed_at, x.final_status,
                           x.message_count, x.from_user, x.to_user, x.correlation_ids, r.state, r.hangup_by, r.reason_cause,
                           r.pdd_ms, r.mos, r.verdicts, r.forks, r.invite_hops
                    FROM (""");
        }
        if (ofRecord.isEmpty() && order.sort() == CallSort.STARTED) {
            s.append("SELECT call_id, min(ts) AS started_at, min(ts) AS sort_value FROM messages_call WHERE ts >= %s AND ts < %s"
                    .formatted(from, to)).append(" AND method = 'INVITE' AND call_id IS NOT NULL");
            ofInvites.forEach(f -> f.appendTo(s, ""));
            scope.appendTo(s, "");
            s.append(" GROUP BY call_id");
            if (cutInside) {
                if (at != null) {
                    s.append(" HAVING ");
                    appendKeyset(s, at, order, "min(ts)", "call_id", walkAscending, nullsLast);
                }
                appendOrder(s, "min(ts)", "call_id", walkAscending, nullsLast, false);
                s.append(" LIMIT ").append(limit);
            }
        } else {
            // a record's field or column: the calls are found by their records (call_records_list: started_at, call_id
            // for the range), each kept when one of its INVITEs in the range matches the other filters within the scope
            // text in byte order (the Call-IDs' own, COLLATE "C"): the same in every database, and digits before letters
            String column = "c." + order.sort().column() + (order.sort().kind() == CallSort.Kind.TEXT ? " COLLATE \"C\"" : "");
            s.append("SELECT c.call_id, c.started_at, " + column + " AS sort_value FROM call_records c"
                    + " WHERE c.started_at >= %s AND c.started_at < %s".formatted(from, to));
            ofRecord.forEach(f -> f.appendToRecord(s, "c."));
            if (!ofInvites.isEmpty() || !scope.all()) {
                s.append(" AND EXISTS (SELECT 1 FROM messages_call m WHERE m.call_id = c.call_id AND m.ts >= %s AND m.ts < %s"
                        .formatted(from, to)).append(" AND m.method = 'INVITE'");
                ofInvites.forEach(f -> f.appendTo(s, "m."));
                scope.appendTo(s, "m.");
                s.append(")");
            }
            if (cutInside) {
                if (at != null) {
                    s.append(" AND ");
                    appendKeyset(s, at, order, column, "c.call_id", walkAscending, nullsLast);
                }
                appendOrder(s, column, "c.call_id", walkAscending, nullsLast, order.sort() != CallSort.STARTED);
                s.append(" LIMIT ").append(limit);
            }
        }
        s.append(") i");
        if (rows && status == null) {
            return; // the calls chosen are the calls listed
        }
        String spanTo = s.bind(utc(request.to().plus(callSpan)));
        s.append("""

                CROSS JOIN LATERAL (
                  SELECT min(m.ts) FILTER (WHERE m.status BETWEEN 200 AND 299 AND m.cseq_method = 'INVITE') AS answered_at,
                         min(m.ts) FILTER (WHERE m.method = 'BYE') AS bye_at,
                         min(m.ts) FILTER (WHERE m.status >= 300 AND m.cseq_method = 'INVITE') AS failed_at,
                         (array_agg(m.status ORDER BY m.ts) FILTER (WHERE m.status >= 200 AND m.cseq_method = 'INVITE'))[1] AS final_status,
                         count(*) AS message_count,
                         (array_agg(m.from_user ORDER BY m.ts) FILTER (WHERE m.method = 'INVITE'))[1] AS from_user,
                         (array_agg(m.to_user ORDER BY m.ts) FILTER (WHERE m.method = 'INVITE'))[1] AS to_user,
                         array_agg(DISTINCT m.correlation_id) FILTER (WHERE m.correlation_id IS NOT NULL
                                                                     AND m.correlation_id IS DISTINCT FROM m.call_id) AS correlation_ids
                  FROM messages m
                  WHERE m.kind = 'call' AND m.call_id = i.call_id AND m.ts >= %s AND m.ts < %s%s) x""".formatted(from, spanTo, scope.condition(s, "m.")));
        if (!rows) {
            s.append("""

                    LEFT JOIN LATERAL (SELECT state, hangup_by, reason_cause, pdd_ms, mos, verdicts, invite_hops,
                                              jsonb_array_length(dialogs) + dialogs_dropped AS forks FROM call_records
                                       WHERE call_id = i.call_id LIMIT 1) r ON true""");
        }
        s.append("\nWHERE true");
        if (status != null) {
            status.appendTo(s, "x.final_status", "x.to_user");
            if (at != null && !rows) {
                s.append(" AND ");
                appendKeyset(s, at, order, "i.sort_value", "i.call_id", walkAscending, nullsLast);
            }
        }
        if (!rows) {
            appendOrder(s, "i.sort_value", "i.call_id", walkAscending, nullsLast, order.sort() != CallSort.STARTED);
            s.append(" LIMIT ").append(limit);
        }
    }

    /** {@code ORDER BY} the walk: the value then the Call-ID, both one way, a missing value last (first walking back). */
    private static void appendOrder(Sql s, String value, String callId, boolean ascending, boolean nullsLast, boolean nullable) {
        String way = ascending ? " ASC" : " DESC";
        s.append(" ORDER BY ").append(value).append(way);
        if (nullable) {
            s.append(nullsLast ? " NULLS LAST" : " NULLS FIRST");
        }
        s.append(", ").append(callId).append(way);
    }

    /**
     * Keyset condition: the rows that come after {@code at} in the walk's order ({@link #appendOrder}). A bound
     * on the value comes first, so that an index on it gives the walk its start.
     */
    private static void appendKeyset(Sql s, Position at, ListOrder order, String value, String callId, boolean ascending,
                                     boolean nullsLast) {
        String cmp = ascending ? " > " : " < ";
        String key = s.bind(at.callId());
        if (at.value() == null) {
            // among the calls without a value, ordered by Call-ID; they come after every value or before them all
            s.append(nullsLast ? "(" + value + " IS NULL AND " + callId + cmp + key + ")"
                    : "(" + value + " IS NOT NULL OR " + callId + cmp + key + ")");
            return;
        }
        String v = s.bind(at.value());
        String after = "(" + value + cmp.trim() + "= " + v + " AND (" + value + cmp + v + " OR " + callId + cmp + key + "))";
        if (order.sort() == CallSort.STARTED) {
            s.append(after); // never missing
        } else {
            s.append(nullsLast ? "(" + after + " OR " + value + " IS NULL)" : after);
        }
    }

    /** Other Call-IDs linked to each call of the page, one hop: Call-ID → call id of rows correlated to it. */
    private Mono<Map<String, Set<String>>> legs(List<Row> page, Instant from, Instant to, Scope scope) {
        if (page.isEmpty()) {
            return Mono.just(Map.of());
        }
        Set<String> keys = new LinkedHashSet<>();
        Set<String> correlations = new LinkedHashSet<>();
        for (Row r : page) {
            keys.add(r.callId);
            if (r.correlationIds != null) {
                for (String c : r.correlationIds) {
                    keys.add(c);
                    correlations.add(c);
                }
            }
        }
        Sql s = new Sql();
        s.append("SELECT DISTINCT call_id, correlation_id FROM messages WHERE ts >= ").append(s.bind(utc(from)))
                .append(" AND ts < ").append(s.bind(utc(to)))
                .append(" AND call_id IS NOT NULL AND ((correlation_id = ANY(").append(s.bind(keys.toArray(String[]::new)))
                .append(") AND correlation_id IS NOT NULL AND correlation_id IS DISTINCT FROM call_id)");
        if (!correlations.isEmpty()) {
            s.append(" OR call_id = ANY(").append(s.bind(correlations.toArray(String[]::new))).append(")");
        }
        s.append(")");
        scope.appendTo(s, "");
        s.append(" LIMIT 10000");
        return Statements.on(s, db).map(r -> new String[] {r.get("call_id", String.class), r.get("correlation_id", String.class)})
                .all().collectList()
                .map(links -> {
                    Map<String, Set<String>> legs = new HashMap<>();
                    for (Row r : page) {
                        Set<String> own = new LinkedHashSet<>();
                        own.add(r.callId);
                        if (r.correlationIds != null) {
                            own.addAll(List.of(r.correlationIds));
                        }
                        Set<String> found = new TreeSet<>();
                        for (String[] link : links) {
                            boolean correlated = link[1] != null && !link[1].equals(link[0]) && own.contains(link[1]);
                            boolean named = r.correlationIds != null && List.of(r.correlationIds).contains(link[0]);
                            if ((correlated || named) && !link[0].equals(r.callId)) {
                                found.add(link[0]);
                            }
                        }
                        legs.put(r.callId, found);
                    }
                    return legs;
                });
    }

    /** A call of the page; {@code sortText}: its value of the order's column as a cursor holds it (the start's: null). */
    record Row(String callId, Instant startedAt, String sortText, Instant answeredAt, Instant byeAt, Instant failedAt,
                       Short finalStatus, Long messageCount, String fromUser, String toUser, String[] correlationIds,
                       String state, String hangupBy, Integer reasonCause, Long pddMs, Double mos, String[] verdicts,
                       Integer forks, Integer inviteHops) {

        CallItem item(Map<String, Set<String>> legs) {
            Instant ended = answeredAt != null ? byeAt : failedAt;
            Long duration = answeredAt != null && byeAt != null ? Duration.between(answeredAt, byeAt).toMillis() : null;
            return new CallItem(callId, startedAt, answeredAt, ended, fromUser, toUser,
                    finalStatus == null ? null : finalStatus.intValue(), duration,
                    messageCount == null ? 0 : messageCount, new ArrayList<>(legs.getOrDefault(callId, Set.of())),
                    state, hangupBy, reasonCause, pddMs, mos, verdicts == null ? List.of() : List.of(verdicts), forks,
                    inviteHops);
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
