package io.hepstack.api.call;

import io.hepstack.api.query.Cursor;
import io.hepstack.api.query.Filter;
import io.hepstack.api.search.MessageStore;
import io.hepstack.api.query.Scope;
import io.hepstack.api.search.SearchRequest;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.query.Sql;
import io.hepstack.api.web.Times;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
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
 * The call list: one row per Call-ID with an INVITE in the range, newest first. Calls are found by
 * their INVITEs ({@code kind = 'call'}, the filters on the INVITE rows, index per docs/schema.md);
 * each page's calls are then summarized from their messages by {@code call_id} (index), looking up to
 * {@code homer.api.search.call-span} past the range for the end of the call.
 */
@Repository
public class CallStore {

    private final DatabaseClient db;

    public CallStore(DatabaseClient db) {
        this.db = db;
    }

    /** Calls of {@code request} seen within {@code scope}: only its messages are found, counted and linked. */
    public Mono<MessageStore.Page<CallItem>> list(SearchRequest request, Duration callSpan, Scope scope) {
        Sql s = listSql(request, callSpan, scope);
        return Statements.on(s, db).map(r -> new Row(
                        r.get("call_id", String.class),
                        r.get("started_at", OffsetDateTime.class).toInstant(),
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
                        r.get("verdicts", String[].class)))
                .all().collectList()
                .flatMap(rows -> {
                    boolean more = rows.size() > request.limit();
                    List<Row> page = more ? rows.subList(0, request.limit()) : rows;
                    String next = more ? new Cursor('c', Times.micros(page.get(page.size() - 1).startedAt),
                            page.get(page.size() - 1).callId).encode() : null;
                    return legs(page, request.from(), request.to().plus(callSpan), scope)
                            .map(legs -> new MessageStore.Page<>(page.stream().map(row -> row.item(legs)).toList(), next));
                });
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
     * of the page). With a filter on a record's field ({@link Filter.Field#ofRecords()}: state, who hung up,
     * cause, durations) the page's calls are chosen from {@code call_records} instead, newest first along
     * {@code call_records_list}, each kept when one of its INVITEs in the range matches the other filters
     * within the scope: a call without a record is not listed then.
     */
    static Sql listSql(SearchRequest request, Duration callSpan, Scope scope) {
        Sql s = new Sql();
        String from = s.bind(utc(request.from()));
        String to = s.bind(utc(request.to()));
        String spanTo = s.bind(utc(request.to().plus(callSpan)));
        s.append("""
                SELECT i.call_id, i.started_at, x.answered_at, x.bye_at, x.failed_at, x.final_status, x.message_count,
                       x.from_user, x.to_user, x.correlation_ids, r.state, r.hangup_by, r.reason_cause, r.pdd_ms,
                       r.mos, r.verdicts
                FROM (""");
        Filter status = null;
        List<Filter> ofRecord = new ArrayList<>();
        List<Filter> ofInvites = new ArrayList<>();
        for (Filter f : request.filters()) {
            if (f.field() == Filter.Field.STATUS) {
                status = f;
            } else {
                (f.field().ofRecord() ? ofRecord : ofInvites).add(f);
            }
        }
        Cursor cursor = request.cursor() == null ? null : Cursor.decode(request.cursor(), 'c');
        String limit = s.bind(request.limit() + 1);
        if (ofRecord.isEmpty()) {
            s.append("SELECT call_id, min(ts) AS started_at FROM messages_call WHERE ts >= %s AND ts < %s AND method = 'INVITE'"
                    .formatted(from, to)).append(" AND call_id IS NOT NULL");
            ofInvites.forEach(f -> f.appendTo(s, ""));
            scope.appendTo(s, "");
            s.append(" GROUP BY call_id");
            if (status == null) {
                if (cursor != null) {
                    s.append(" HAVING ");
                    appendAfter(s, cursor, "min(ts)", "call_id");
                }
                s.append(" ORDER BY started_at DESC, call_id DESC LIMIT ").append(limit);
            }
        } else {
            // a record's field: the calls are found by their records (call_records_list: started_at, call_id), newest
            // first, each kept when one of its INVITEs in the range matches the other filters within the scope
            s.append("SELECT c.call_id, c.started_at FROM call_records c WHERE c.started_at >= %s AND c.started_at < %s"
                    .formatted(from, to));
            ofRecord.forEach(f -> f.appendTo(s, "c."));
            if (!ofInvites.isEmpty() || !scope.all()) {
                s.append(" AND EXISTS (SELECT 1 FROM messages_call m WHERE m.call_id = c.call_id AND m.ts >= %s AND m.ts < %s"
                        .formatted(from, to)).append(" AND m.method = 'INVITE'");
                ofInvites.forEach(f -> f.appendTo(s, "m."));
                scope.appendTo(s, "m.");
                s.append(")");
            }
            if (status == null) {
                if (cursor != null) {
                    s.append(" AND ");
                    appendAfter(s, cursor, "c.started_at", "c.call_id");
                }
                s.append(" ORDER BY c.started_at DESC, c.call_id DESC LIMIT ").append(limit);
            }
        }
        s.append("""
                ) i
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
                  WHERE m.kind = 'call' AND m.call_id = i.call_id AND m.ts >= %s AND m.ts < %s%s) x
                LEFT JOIN LATERAL (SELECT state, hangup_by, reason_cause, pdd_ms, mos, verdicts FROM call_records
                                   WHERE call_id = i.call_id LIMIT 1) r ON true
                WHERE true""".formatted(from, spanTo, scope.condition(s, "m.")));
        if (status != null) {
            status.appendTo(s, "x.final_status", "x.to_user");
            if (cursor != null) {
                s.append(" AND ");
                appendAfter(s, cursor, "i.started_at", "i.call_id");
            }
        }
        s.append(" ORDER BY i.started_at DESC, i.call_id DESC LIMIT ").append(limit);
        return s;
    }

    /** Keyset condition: rows after the cursor in (started_at DESC, call_id DESC) order. */
    private static void appendAfter(Sql s, Cursor c, String startedAt, String callId) {
        String ts = s.bind(utc(Times.ofMicros(c.tsMicros())));
        s.append(startedAt).append(" <= ").append(ts).append(" AND (").append(startedAt).append(" < ").append(ts)
                .append(" OR ").append(callId).append(" < ").append(s.bind(c.key())).append(")");
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

    private record Row(String callId, Instant startedAt, Instant answeredAt, Instant byeAt, Instant failedAt,
                       Short finalStatus, Long messageCount, String fromUser, String toUser, String[] correlationIds,
                       String state, String hangupBy, Integer reasonCause, Long pddMs, Double mos, String[] verdicts) {

        CallItem item(Map<String, Set<String>> legs) {
            Instant ended = answeredAt != null ? byeAt : failedAt;
            Long duration = answeredAt != null && byeAt != null ? Duration.between(answeredAt, byeAt).toMillis() : null;
            return new CallItem(callId, startedAt, answeredAt, ended, fromUser, toUser,
                    finalStatus == null ? null : finalStatus.intValue(), duration,
                    messageCount == null ? 0 : messageCount, new ArrayList<>(legs.getOrDefault(callId, Set.of())),
                    state, hangupBy, reasonCause, pddMs, mos, verdicts == null ? List.of() : List.of(verdicts));
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
