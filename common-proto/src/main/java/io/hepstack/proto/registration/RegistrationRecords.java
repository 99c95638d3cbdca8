package io.hepstack.proto.registration;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.query.MessageSelect;
import io.hepstack.proto.query.Sql;
import io.hepstack.proto.store.BatchStatement;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The steps that keep {@code registration_records} (V13) current, run by the call records' pass on its connection and
 * in its transaction ({@code CallRecordStore}): the feed names the Call-IDs of changed REGISTER rows; every binding
 * of the AoRs those rows register is recorded again from all the AoRs' REGISTER rows read since the lookback.
 */
public final class RegistrationRecords {

    /**
     * The most REGISTER rows one recording reads (the newest): an AoR flooded with REGISTERs (a scanner guessing a
     * password) is recorded from its latest rows rather than holding the pass up.
     */
    public static final int MAX_ROWS = 100_000;

    private RegistrationRecords() {
    }

    /**
     * Records every binding of the AoRs that the REGISTER rows of {@code callIds} stored since {@code readFrom}
     * register, from all their REGISTER rows since then; returns how many records were written ({@code now}: their
     * {@code updated_at}).
     */
    public static Mono<Long> record(Connection c, List<String> callIds, Instant now, Instant readFrom) {
        if (callIds.isEmpty()) {
            return Mono.just(0L);
        }
        Sql changed = new Sql();
        changed.append("SELECT ").append(MessageSelect.stored("", RegistrationRecorder.PARSED_ROWS_SQL))
                .append(" FROM messages_registration WHERE call_id = ANY(").append(changed.bind(callIds.toArray(String[]::new)))
                .append(") AND ts >= ").append(changed.bind(utc(readFrom))).append(" ORDER BY ts DESC LIMIT ").append(changed.bind(MAX_ROWS));
        return rows(c, changed, MessageSelect::stored).flatMap(rows -> {
            Set<String> aors = new LinkedHashSet<>();
            Set<String> users = new LinkedHashSet<>();
            for (RegisterTransaction t : RegistrationRecorder.transactions(rows)) {
                aors.add(t.binding().aor());
                String user = RegistrationRecorder.user(t.binding().aor());
                if (user != null) {
                    users.add(user);
                }
            }
            if (aors.isEmpty()) {
                return Mono.just(0L);
            }
            Sql all = new Sql();
            all.append("SELECT ").append(MessageSelect.stored("", RegistrationRecorder.PARSED_ROWS_SQL))
                    .append(" FROM messages_registration WHERE (to_user = ANY(").append(all.bind(users.toArray(String[]::new)))
                    .append(") OR call_id = ANY(").append(all.bind(callIds.toArray(String[]::new))).append(")) AND ts >= ")
                    .append(all.bind(utc(readFrom))).append(" ORDER BY ts DESC LIMIT ").append(all.bind(MAX_ROWS));
            return rows(c, all, MessageSelect::stored).flatMap(found -> {
                List<RegisterTransaction> ofTheAors = RegistrationRecorder.transactions(found).stream()
                        .filter(t -> aors.contains(t.binding().aor())).toList();
                List<RegistrationRecord> records = RegistrationRecorder.records(ofTheAors);
                return upsert(c, records, now);
            });
        });
    }

    /** The Call-IDs of the REGISTER rows stored in {@code [from, to)}: what a rebuild of the range records. */
    public static Mono<List<String>> callIds(Connection c, Instant from, Instant to) {
        Sql s = new Sql();
        s.append("SELECT DISTINCT call_id FROM messages_registration WHERE method = 'REGISTER' AND call_id IS NOT NULL AND ts >= ")
                .append(s.bind(utc(from))).append(" AND ts < ").append(s.bind(utc(to)));
        return rows(c, s, r -> r.get("call_id", String.class));
    }

    private static final String UPSERT = """
            INSERT INTO registration_records (aor, contact, src_ip, src_port, user_agent, state, expires_at,
                first_register_at, last_register_at, last_success_at, last_failure_at, last_failure_status, registers,
                challenges, failures, dst_ip, dst_port, nodes, stored_rows, updated_at)
            VALUES ($1, $2, $3::inet, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::inet, $17, $18, $19, $20)
            ON CONFLICT (aor, contact, src_ip, src_port, user_agent) DO UPDATE SET state = EXCLUDED.state,
                expires_at = EXCLUDED.expires_at, first_register_at = EXCLUDED.first_register_at,
                last_register_at = EXCLUDED.last_register_at, last_success_at = EXCLUDED.last_success_at,
                last_failure_at = EXCLUDED.last_failure_at, last_failure_status = EXCLUDED.last_failure_status,
                registers = EXCLUDED.registers, challenges = EXCLUDED.challenges, failures = EXCLUDED.failures,
                dst_ip = EXCLUDED.dst_ip, dst_port = EXCLUDED.dst_port, nodes = EXCLUDED.nodes,
                stored_rows = EXCLUDED.stored_rows, updated_at = EXCLUDED.updated_at
            """;

    private static Mono<Long> upsert(Connection c, List<RegistrationRecord> records, Instant now) {
        List<Object[]> rows = new ArrayList<>(records.size());
        records.forEach(r -> rows.add(values(r, now)));
        return BatchStatement.run(c, UPSERT, rows);
    }

    /** The bind values of {@link #UPSERT} ({@code Class} for a typed null). */
    private static Object[] values(RegistrationRecord r, Instant now) {
        RegistrationRecord.Binding b = r.binding();
        InetSocketAddress target = r.target();
        return new Object[] {b.aor(), b.contact(), b.source().getAddress().getHostAddress(), b.source().getPort(), b.userAgent(),
                r.state().code(), or(at(r.expiresAt()), OffsetDateTime.class), at(r.firstRegisterAt()), at(r.lastRegisterAt()),
                or(at(r.lastSuccessAt()), OffsetDateTime.class), or(at(r.lastFailureAt()), OffsetDateTime.class),
                or(r.lastFailureStatus() == null ? null : r.lastFailureStatus().shortValue(), Short.class),
                r.counts().registers(), r.counts().challenges(), r.counts().failures(),
                or(target == null ? null : target.getAddress().getHostAddress(), String.class),
                or(target == null ? null : target.getPort(), Integer.class), r.nodes().toArray(String[]::new), r.rows(),
                utc(now)};
    }

    private static <T> Mono<List<T>> rows(Connection c, Sql s, Function<Readable, T> mapper) {
        return Flux.from(s.bindTo(c.createStatement(s.text())).execute())
                .concatMap(r -> r.map((Readable row) -> mapper.apply(row))).collectList();
    }

    private static Object or(Object value, Class<?> type) {
        return value == null ? type : value;
    }

    private static OffsetDateTime at(Long micros) {
        return micros == null ? null : OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000), ZoneOffset.UTC);
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
