package io.hepstack.api.call;

import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.call.CallRecord;
import io.hepstack.proto.call.DialogsColumn;
import io.hepstack.proto.query.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * Reads call records ({@code call_records}, kept by the collectors). A tenant sees a call's record when it
 * may read one of the call's messages: the same {@link Scope} as every read of {@code messages}, on the
 * call's rows around its record.
 */
@Component
public class CallRecordReader {

    private final DatabaseClient db;

    CallRecordReader(DatabaseClient db) {
        this.db = db;
    }

    /** The record of {@code callId}, or empty when there is none the scope may see. */
    public Mono<CallRecordView> find(String callId, Scope scope) {
        return Statements.on(findSql(callId, scope), db).map(CallRecordReader::view).all().collectList()
                .flatMap(l -> l.isEmpty() ? Mono.empty() : Mono.just(l.get(0)));
    }

    static Sql findSql(String callId, Scope scope) {
        Sql s = new Sql();
        s.append("SELECT r.*, host(r.src_ip) AS src_host, host(r.dst_ip) AS dst_host, r.dialogs::text AS dialogs_json"
                        + " FROM call_records r WHERE r.call_id = ")
                .append(s.bind(callId));
        if (!scope.all()) {
            s.append(" AND EXISTS (SELECT 1 FROM messages_call m WHERE m.call_id = r.call_id"
                    + " AND m.ts >= r.started_at - interval '1 minute'"
                    + " AND m.ts <= coalesce(r.ended_at, r.started_at) + interval '1 day'");
            scope.appendTo(s, "m.");
            s.append(")");
        }
        return s;
    }

    private static CallRecordView view(Readable r) {
        Integer cause = r.get("reason_cause", Integer.class);
        String protocol = r.get("reason_protocol", String.class);
        Short status = r.get("final_status", Short.class);
        CallRecord.Dialogs dialogs = DialogsColumn.read(r.get("dialogs_json", String.class), r.get("dialogs_dropped", Integer.class));
        return new CallRecordView(r.get("call_id", String.class), r.get("state", String.class),
                r.get("hangup_by", String.class), status == null ? null : status.intValue(),
                r.get("final_phrase", String.class),
                protocol == null ? null : new CallRecordView.Reason(protocol, cause, r.get("reason_text", String.class)),
                new CallRecordView.Party(r.get("caller_user", String.class), r.get("caller_name", String.class),
                        r.get("caller_agent", String.class)),
                new CallRecordView.Party(r.get("callee_user", String.class), r.get("callee_name", String.class),
                        r.get("callee_agent", String.class)),
                r.get("ruri_user", String.class),
                endpoint(r.get("src_host", String.class), r.get("src_port", Integer.class)),
                endpoint(r.get("dst_host", String.class), r.get("dst_port", Integer.class)),
                list(r.get("nodes", String[].class)), at(r, "started_at"), at(r, "first_provisional_at"),
                at(r, "ringing_at"), at(r, "answered_at"), at(r, "ended_at"), r.get("pdd_ms", Long.class),
                r.get("setup_ms", Long.class), r.get("ring_ms", Long.class), r.get("duration_ms", Long.class),
                list(r.get("codecs", String[].class)), r.get("messages", Integer.class),
                r.get("retransmissions", Integer.class), r.get("re_invites", Integer.class), r.get("invite_hops", Integer.class),
                new CallRecordView.Media(r.get("media_reports", Integer.class), real(r, "mos"), real(r, "mos_min"),
                        real(r, "loss_percent"), real(r, "jitter_ms"), real(r, "rtt_ms"), list(r.get("verdicts", String[].class))),
                at(r, "updated_at"), dialogs.kept().stream().map(CallRecordReader::dialog).toList(), dialogs.dropped());
    }

    private static CallRecordView.Dialog dialog(CallRecord.Dialog d) {
        return new CallRecordView.Dialog(d.toTag(), d.source() == null ? null
                : new CallRecordView.Endpoint(d.source().getAddress().getHostAddress(), d.source().getPort()),
                micros(d.firstReplyAt()), d.ringingAt() == null ? null : micros(d.ringingAt()), d.lastStatus(), d.answered(),
                d.cancelled());
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /** A {@code real} column, rounded to what it holds (a float read as a double shows binary noise). */
    static Double real(Readable r, String column) {
        Float f = r.get(column, Float.class);
        return f == null ? null : Double.valueOf(Float.toString(f));
    }

    private static CallRecordView.Endpoint endpoint(String ip, Integer port) {
        return ip == null ? null : new CallRecordView.Endpoint(ip, port);
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }

    private static Instant at(Readable r, String column) {
        OffsetDateTime t = r.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
