package io.hepstack.api.registration;

import io.hepstack.api.query.Cursor;
import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.api.search.MessageStore;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.query.MessageSelect;
import io.hepstack.proto.query.Sql;
import io.hepstack.proto.registration.RegisterTransaction;
import io.hepstack.proto.registration.RegistrationRecorder;
import io.hepstack.proto.registration.RegistrationState;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads registration records ({@code registration_records}, kept by the collectors) and an AoR's REGISTER
 * transactions ({@code messages_registration}). A tenant sees the records its nodes captured or whose client or
 * registrar lies in its networks ({@link Scope#recordCondition}), and the REGISTER rows it may read.
 */
@Component
class RegistrationReader {

    /** The most REGISTER rows an AoR's history reads (the newest in its range). */
    static final int MAX_HISTORY_ROWS = 5_000;
    /** The most bindings an AoR's history lists. */
    static final int MAX_BINDINGS = 100;

    private final DatabaseClient db;

    RegistrationReader(DatabaseClient db) {
        this.db = db;
    }

    /** A page of the records {@code q} asks for, within {@code scope}. */
    Mono<MessageStore.Page<RegistrationView>> list(RegistrationQuery q, Scope scope) {
        return Statements.on(listSql(q, scope), db).map(RegistrationReader::view).all().collectList().map(rows -> {
            if (rows.size() <= q.limit()) {
                return new MessageStore.Page<>(rows, null);
            }
            List<RegistrationView> page = List.copyOf(rows.subList(0, q.limit()));
            RegistrationView last = page.get(page.size() - 1);
            String key = q.order() == RegistrationQuery.Order.FAILING
                    ? last.failures() + "." + last.challenges() + "." + last.id() : Long.toString(last.id());
            return new MessageStore.Page<>(page, new Cursor(q.order().cursorKind, Times.micros(last.lastRegisterAt()), key).encode());
        });
    }

    static Sql listSql(RegistrationQuery q, Scope scope) {
        Sql s = new Sql();
        String state = RegistrationState.SQL_AT.formatted(s.bind(utc(q.now())));
        s.append(SELECT).append(", ").append(state).append(" AS state_now FROM registration_records r WHERE r.last_register_at >= ")
                .append(s.bind(utc(q.from()))).append(" AND r.first_register_at < ").append(s.bind(utc(q.to())));
        if (!q.states().isEmpty()) {
            s.append(" AND ").append(state).append(" = ANY(").append(s.bind(q.states().toArray(String[]::new))).append("::text[])");
        }
        if (q.aorLike() != null) {
            s.append(" AND r.aor LIKE ").append(s.bind(q.aorLike()));
        }
        if (q.srcIp() != null) {
            q.srcIp().appendTo(s, "r.src_ip", null);
        }
        if (q.node() != null) {
            s.append(" AND ").append(s.bind(q.node())).append(" = ANY(r.nodes)");
        }
        s.append(scope.recordCondition(s, "r."));
        Cursor c = q.cursor();
        if (c != null) {
            String ts = s.bind(utc(Times.ofMicros(c.tsMicros())));
            if (q.order() == RegistrationQuery.Order.FAILING) {
                long[] k = failingKey(c.key());
                s.append(" AND (r.failures, r.challenges, r.last_register_at, r.id) < (").append(s.bind((int) k[0])).append(", ")
                        .append(s.bind((int) k[1])).append(", ").append(ts).append(", ").append(s.bind(k[2])).append(")");
            } else {
                s.append(" AND (r.last_register_at, r.id) < (").append(ts).append(", ").append(s.bind(c.rowId())).append(")");
            }
        }
        s.append(q.order() == RegistrationQuery.Order.FAILING
                ? " ORDER BY r.failures DESC, r.challenges DESC, r.last_register_at DESC, r.id DESC"
                : " ORDER BY r.last_register_at DESC, r.id DESC");
        s.append(" LIMIT ").append(s.bind(q.limit() + 1));
        return s;
    }

    /** The failing order's cursor key: failures, challenges, id. */
    private static long[] failingKey(String key) {
        String[] parts = key.split("\\.");
        try {
            if (parts.length == 3) {
                long[] k = {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
                if (k[0] >= 0 && k[0] <= Integer.MAX_VALUE && k[1] >= 0 && k[1] <= Integer.MAX_VALUE) {
                    return k;
                }
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("cursor: not a cursor of this search (pass nextCursor unchanged)");
    }

    /** The history of {@code aor} in {@code [from, to)}: its bindings' records and its newest {@code limit} transactions. */
    Mono<RegistrationHistory> history(String aor, Instant from, Instant to, Instant now, int limit, Scope scope) {
        String user = RegistrationRecorder.user(aor);
        Sql rows = new Sql();
        rows.append("SELECT ").append(MessageSelect.stored("")) // every payload: the answers' phrases too
                .append(" FROM messages_registration WHERE to_user = ").append(rows.bind(user)).append(" AND ts >= ")
                .append(rows.bind(utc(from))).append(" AND ts < ").append(rows.bind(utc(to)));
        scope.appendTo(rows, "");
        rows.append(" ORDER BY ts DESC LIMIT ").append(rows.bind(MAX_HISTORY_ROWS + 1));
        Sql bindings = new Sql();
        String state = RegistrationState.SQL_AT.formatted(bindings.bind(utc(now)));
        bindings.append(SELECT).append(", ").append(state).append(" AS state_now FROM registration_records r WHERE r.aor = ")
                .append(bindings.bind(aor));
        bindings.append(scope.recordCondition(bindings, "r."));
        bindings.append(" ORDER BY r.last_register_at DESC, r.id DESC LIMIT ").append(bindings.bind(MAX_BINDINGS));
        return Statements.on(rows, db).map((Readable r) -> MessageSelect.stored(r)).all().collectList()
                .zipWith(Mono.defer(() -> Statements.on(bindings, db).map(RegistrationReader::view).all().collectList()))
                .map(both -> {
                    List<CapturedMessage> read = both.getT1();
                    boolean cut = read.size() > MAX_HISTORY_ROWS;
                    List<RegisterTransaction> ts = new ArrayList<>(RegistrationRecorder.transactions(
                            cut ? read.subList(0, MAX_HISTORY_ROWS) : read).stream().filter(t -> t.binding().aor().equals(aor)).toList());
                    ts.sort(Comparator.comparingLong(RegisterTransaction::requestAt).reversed());
                    boolean more = ts.size() > limit;
                    List<RegistrationHistory.Transaction> shown = ts.stream().limit(limit).map(RegistrationReader::transaction).toList();
                    return new RegistrationHistory(aor, from, to, cut || more, both.getT2(), shown);
                });
    }

    private static RegistrationHistory.Transaction transaction(RegisterTransaction t) {
        return new RegistrationHistory.Transaction(t.callId(), t.cseq(), t.binding().contact(), endpoint(t.binding().source()),
                t.binding().userAgent().isEmpty() ? null : t.binding().userAgent(), endpoint(t.target()), Times.ofMicros(t.requestAt()),
                t.answeredAt() == null ? null : Times.ofMicros(t.answeredAt()), t.status(), t.phrase(), t.requested(), t.granted(),
                t.outcome().code(), t.nodes());
    }

    private static final String SELECT = "SELECT r.id, r.aor, r.contact, host(r.src_ip) AS src_host, r.src_port, r.user_agent, "
            + "r.expires_at, r.first_register_at, r.last_register_at, r.last_success_at, r.last_failure_at, r.last_failure_status, "
            + "r.registers, r.challenges, r.failures, host(r.dst_ip) AS dst_host, r.dst_port, r.nodes, r.updated_at";

    private static RegistrationView view(Readable r) {
        String aor = r.get("aor", String.class);
        int at = aor.lastIndexOf('@');
        String agent = r.get("user_agent", String.class);
        Short failure = r.get("last_failure_status", Short.class);
        String dst = r.get("dst_host", String.class);
        return new RegistrationView(r.get("id", Long.class), aor, at < 0 ? null : aor.substring(0, at), aor.substring(at + 1),
                r.get("contact", String.class), new RegistrationView.Endpoint(r.get("src_host", String.class), r.get("src_port", Integer.class)),
                agent == null || agent.isEmpty() ? null : agent, r.get("state_now", String.class), at(r, "expires_at"),
                at(r, "first_register_at"), at(r, "last_register_at"), at(r, "last_success_at"), at(r, "last_failure_at"),
                failure == null ? null : failure.intValue(), r.get("registers", Integer.class), r.get("challenges", Integer.class),
                r.get("failures", Integer.class), dst == null ? null : new RegistrationView.Endpoint(dst, r.get("dst_port", Integer.class)),
                Arrays.asList(r.get("nodes", String[].class)), at(r, "updated_at"));
    }

    private static RegistrationView.Endpoint endpoint(InetSocketAddress a) {
        return a == null ? null : new RegistrationView.Endpoint(a.getAddress().getHostAddress(), a.getPort());
    }

    private static Instant at(Readable r, String column) {
        OffsetDateTime t = r.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
