package io.hepstack.api.call;

import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.call.MediaEndpoints;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.api.ApiProperties;
import io.hepstack.api.alias.AliasStore;
import io.hepstack.api.search.MessageItem;
import io.hepstack.api.search.Payloads;
import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.query.Sql;
import io.hepstack.api.web.ApiException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds a {@link CallFlow}: locates the call, widens the window around it, follows correlation to
 * the other legs ({@link LegCorrelation}, bounded in legs and rounds), then reads every message of the
 * legs at once and assembles the answer ({@link FlowAssembly}), hosts named by their aliases. This
 * class holds the SQL: each round asks, with the indexes of docs/schema.md, for rows whose correlation
 * id is a known key ({@code messages_correlation_id}), whose Call-ID is a known key or a new leg
 * ({@code messages_call_id}).
 */
@Repository
public class FlowStore {

    private final DatabaseClient db;
    private final io.hepstack.api.store.ReadRouting routing;
    private final ApiProperties.Flow limits;
    private final AliasStore aliases;
    private final FlowGate gate;
    private final io.micrometer.core.instrument.Counter truncatedByMessages;
    private final io.micrometer.core.instrument.Counter truncatedByBytes;

    public FlowStore(DatabaseClient db, io.hepstack.api.store.ReadRouting routing, ApiProperties props, AliasStore aliases,
                     io.micrometer.core.instrument.MeterRegistry meters) {
        this.db = db;
        this.routing = routing;
        this.limits = props.flow();
        this.aliases = aliases;
        this.gate = new FlowGate(props.flow(), meters);
        this.truncatedByMessages = io.micrometer.core.instrument.Counter.builder("homer.api.flow.truncated")
                .tag("by", CallFlow.BY_MESSAGES).description("Flows cut at homer.api.flow.max-messages").register(meters);
        this.truncatedByBytes = io.micrometer.core.instrument.Counter.builder("homer.api.flow.truncated")
                .tag("by", CallFlow.BY_BYTES).description("Flows cut at homer.api.flow.max-bytes").register(meters);
    }

    /** Who reads a flow, for {@link FlowGate}: an account, an API token ({@code principal.kind():id}) or a share link. */
    public static String reader(io.hepstack.api.auth.ApiPrincipal principal) {
        return principal.key();
    }

    /**
     * The flow of {@code callId}, looked for in {@code [from, to)}, as seen within {@code scope}: every
     * statement (locating, each correlation round, the read) sees only the scope's messages, so a leg
     * linked only through messages outside it is not followed.
     *
     * {@code reader} names who asks ({@link #reader}, or {@code share:<id>}): a reader with
     * {@code homer.api.flow.max-concurrent-per-user} flows open, or a replica with {@code max-concurrent}, is
     * refused with 429 ({@link FlowGate}).
     *
     * @return the flow, or an {@link ApiException} 404 when the Call-ID has no message in the range and scope
     */
    public Mono<CallFlow> flow(String callId, Instant from, Instant to, Scope scope, String reader) {
        return gate.around(reader, flow(callId, from, to, scope, false));
    }

    /**
     * The flow as {@link #flow} finds it, but never beyond {@code [from, to)}: the window is widened around
     * the call only within it, and legs are read only within it. A share link shows this, so that what a
     * customer sees is what was captured up to the link's creation, whatever comes later with the same Call-ID.
     */
    public Mono<CallFlow> flowWithin(String callId, Instant from, Instant to, Scope scope, String reader) {
        return gate.around(reader, flow(callId, from, to, scope, true));
    }

    /** A flow a lagging standby does not have yet (a call younger than its lag) is read on the primary. */
    private Mono<CallFlow> flow(String callId, Instant from, Instant to, Scope scope, boolean within) {
        return routing.orOnPrimaryIfNotFound(Mono.defer(() -> find(callId, from, to, scope, within)));
    }

    private Mono<CallFlow> find(String callId, Instant from, Instant to, Scope scope, boolean within) {
        Sql locate = new Sql();
        locate.append("SELECT min(ts) AS first, max(ts) AS last FROM messages WHERE call_id = ")
                .append(locate.bind(callId)).append(" AND ts >= ").append(locate.bind(CallStore.utc(from)))
                .append(" AND ts < ").append(locate.bind(CallStore.utc(to)));
        scope.appendTo(locate, "");
        return Statements.on(locate, db)
                .map(r -> {
                    OffsetDateTime first = r.get("first", OffsetDateTime.class);
                    OffsetDateTime last = r.get("last", OffsetDateTime.class);
                    return first == null ? new Instant[0] : new Instant[] {first.toInstant(), last.toInstant()};
                })
                .one()
                .flatMap(found -> {
                    if (found.length == 0) {
                        return Mono.error(ApiException.notFound("no message of this Call-ID between "
                                + io.hepstack.api.web.Times.format(from) + " and " + io.hepstack.api.web.Times.format(to)));
                    }
                    Instant before = found[0].minus(limits.widen());
                    Instant after = found[1].plus(limits.widen()).plusNanos(1000);
                    Instant start = within && before.isBefore(from) ? from : before;
                    Instant widened = within && after.isAfter(to) ? to : after;
                    Instant end = Duration.between(start, widened).compareTo(limits.maxWindow()) > 0
                            ? start.plus(limits.maxWindow()) : widened;
                    LegCorrelation c = new LegCorrelation(callId, limits.maxLegs());
                    return expand(c, start, end, scope, 1).then(Mono.defer(() -> read(c, start, end, scope)));
                });
    }

    private Mono<Void> expand(LegCorrelation c, Instant from, Instant to, Scope scope, int depth) {
        if (depth > limits.maxDepth() || !c.hasFrontier()) {
            return Mono.empty();
        }
        Sql s = expansionSql(c.newLegs(), c.newKeys(), from, to, scope);
        return Statements.on(s, db).map(r -> new String[] {r.get("call_id", String.class), r.get("correlation_id", String.class)})
                .all().collectList()
                .flatMap(links -> {
                    c.absorb(links);
                    return expand(c, from, to, scope, depth + 1);
                });
    }

    /**
     * One round of correlation: rows of the new legs that name another correlation id
     * ({@code messages_call_id}), rows correlated to a new key ({@code messages_correlation_id}), rows
     * whose Call-ID is a new key ({@code messages_call_id}).
     */
    static Sql expansionSql(Set<String> newLegs, Set<String> newKeys, Instant from, Instant to, Scope scope) {
        Sql s = new Sql();
        s.append("SELECT DISTINCT call_id, correlation_id FROM messages WHERE ts >= ").append(s.bind(CallStore.utc(from)))
                .append(" AND ts < ").append(s.bind(CallStore.utc(to))).append(" AND (");
        List<String> clauses = new ArrayList<>();
        if (!newLegs.isEmpty()) {
            clauses.add("(call_id = ANY(" + s.bind(newLegs.toArray(String[]::new))
                    + ") AND correlation_id IS NOT NULL AND correlation_id IS DISTINCT FROM call_id)");
        }
        if (!newKeys.isEmpty()) {
            String keys = s.bind(newKeys.toArray(String[]::new));
            clauses.add("(correlation_id = ANY(" + keys + ") AND correlation_id IS NOT NULL"
                    + " AND correlation_id IS DISTINCT FROM call_id AND call_id IS NOT NULL)");
            clauses.add("call_id = ANY(" + keys + ")");
        }
        s.append(String.join(" OR ", clauses)).append(")");
        scope.appendTo(s, "");
        s.append(" LIMIT 1000");
        return s;
    }

    /** The row that crosses max-bytes: read to know the flow is cut, never kept. */
    private static final CallFlow.Message CUT = new CallFlow.Message(null, null, null, null, new byte[0]);

    private Mono<CallFlow> read(LegCorrelation c, Instant from, Instant to, Scope scope) {
        Sql s = new Sql();
        String legs = s.bind(c.legs().toArray(String[]::new));
        // the payload bytes so far, in flow order: rows past max-bytes are never sent (nor detoasted); the one
        // crossing it is, so that the cut is known
        s.append("SELECT * FROM (SELECT ").append(MessageItem.columns("")).append(", ").append(Payloads.COLUMNS)
                .append(", sum(coalesce(octet_length(payload_bytes), octet_length(payload_text), 0)) OVER (ORDER BY ts, id)")
                .append(" AS flow_bytes")
                .append(" FROM messages WHERE ts >= ").append(s.bind(CallStore.utc(from)))
                .append(" AND ts < ").append(s.bind(CallStore.utc(to)))
                .append(" AND (call_id = ANY(").append(legs).append(") OR (correlation_id = ANY(")
                .append(s.bind(c.keysAndLegs().toArray(String[]::new)))
                .append(") AND correlation_id IS NOT NULL AND correlation_id IS DISTINCT FROM call_id))");
        scope.appendTo(s, "");
        long maxBytes = limits.maxBytes().toBytes();
        s.append(" ORDER BY ts, id LIMIT ").append(s.bind(limits.maxMessages() + 1)).append(") f WHERE flow_bytes - coalesce(")
                .append(io.hepstack.proto.query.MessageSelect.SIZE).append(", 0) <= ").append(s.bind(maxBytes)).append(" ORDER BY ts, id");
        boolean[] cut = {false};
        return Statements.on(s, db).map(r -> {
                    if (r.get("flow_bytes", Long.class) > maxBytes) {
                        cut[0] = true;
                        return CUT;
                    }
                    MessageItem item = MessageItem.of(r);
                    byte[] payload = Payloads.bytes(r);
                    String[] raw = Payloads.raw(r, payload);
                    return new CallFlow.Message(item, raw[0], raw[1], null, payload);
                })
                .all().filter(m -> m != CUT).collectList()
                .flatMap(rows -> uncorrelatedReports(rows, scope).map(reports -> {
                    if (reports.isEmpty()) {
                        return rows;
                    }
                    List<CallFlow.Message> all = new ArrayList<>(rows);
                    all.addAll(reports);
                    all.sort(java.util.Comparator.comparing((CallFlow.Message m) -> m.item().timestamp()));
                    return all;
                }))
                .map(rows -> FlowAssembly.assemble(rows, c, limits.maxMessages(), cut[0], from, to))
                .doOnNext(flow -> {
                    if (flow.truncated()) {
                        (CallFlow.BY_BYTES.equals(flow.truncatedBy()) ? truncatedByBytes : truncatedByMessages).increment();
                    }
                })
                .flatMap(this::named);
    }

    /**
     * The media reports that name no call (no correlation id: a PCAP import, an agent that does not correlate) sent
     * from or to the media ends the flow's SDP names ({@link MediaEndpoints}), between its first SIP message and one
     * minute after its last: the QoS family's rows found by address ({@code messages_src_ip}, {@code messages_dst_ip})
     * and port, then matched end by end. At most as many as the flow has room for (max-messages); none when the flow
     * was cut or its SDP names no end (docs/media.md, "Streams without a correlation id").
     */
    private Mono<List<CallFlow.Message>> uncorrelatedReports(List<CallFlow.Message> rows, Scope scope) {
        int room = limits.maxMessages() - rows.size();
        MediaEndpoints ends = new MediaEndpoints();
        Instant first = null;
        Instant last = null;
        for (CallFlow.Message m : rows) {
            MessageItem i = m.item();
            if (i.protoType() != null && i.protoType() == HepPayloadType.SIP.number()) {
                ends.add(m.payload());
                first = first == null || i.timestamp().isBefore(first) ? i.timestamp() : first;
                last = last == null || i.timestamp().isAfter(last) ? i.timestamp() : last;
            }
        }
        if (room <= 0 || ends.ends().isEmpty()) {
            return Mono.just(List.of());
        }
        Sql s = new Sql();
        s.append("SELECT ").append(MessageItem.columns("")).append(", ").append(Payloads.COLUMNS)
                .append(" FROM messages WHERE kind = 'qos' AND correlation_id IS NULL AND ts >= ")
                .append(s.bind(CallStore.utc(first))).append(" AND ts < ")
                .append(s.bind(CallStore.utc(last.plus(MediaEndpoints.REPORTS_AFTER)))).append(" AND ")
                .append(MediaEndpoints.addressCondition(s, "", ends.addresses(), ends.ports()));
        scope.appendTo(s, "");
        s.append(" ORDER BY ts, id LIMIT ").append(s.bind(room));
        return Statements.on(s, db).map(r -> {
                    MessageItem item = MessageItem.of(r);
                    byte[] payload = Payloads.bytes(r);
                    String[] raw = Payloads.raw(r, payload);
                    return new CallFlow.Message(item, raw[0], raw[1], null, payload);
                }).all()
                .filter(m -> ends.covers(CallMedia.endpoint(m.item().srcIp(), m.item().srcPort()),
                        CallMedia.endpoint(m.item().dstIp(), m.item().dstPort())))
                .collectList();
    }

    /** The flow with each host's alias, the most specific one that covers it (see {@link AliasStore}). */
    private Mono<CallFlow> named(CallFlow flow) {
        List<String> ips = flow.hosts().stream().map(CallFlow.Host::ip).toList();
        List<Integer> ports = flow.hosts().stream().map(CallFlow.Host::port).toList();
        return aliases.namesOf(ips, ports).map(found -> {
            if (found.isEmpty()) {
                return flow;
            }
            List<CallFlow.Host> hosts = new ArrayList<>(flow.hosts().size());
            for (int i = 0; i < flow.hosts().size(); i++) {
                CallFlow.Host h = flow.hosts().get(i);
                hosts.add(new CallFlow.Host(h.ip(), h.port(), found.get(i)));
            }
            return new CallFlow(flow.callIds(), List.copyOf(hosts), flow.messages(), flow.qos(), flow.logs(), flow.from(),
                    flow.to(), flow.truncated(), flow.truncatedBy());
        });
    }
}
