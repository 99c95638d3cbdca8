package io.hepstack.api;

import io.hepstack.proto.query.Sql;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/** PostgreSQL's plan of an API statement, with its parameters bound as the API binds them. */
public final class Plans {

    /** A plan's scan along {@code call_records_list} in a day partition of the records (V19), as a pattern. */
    public static final String RECORDS_LIST = "call_records_p[0-9]+_started_at_call_id_idx";

    /** A plan's scan along the records' durations (V20) in a day partition, as a pattern. */
    public static final String RECORDS_DURATION = "call_records_p[0-9]+_duration_ms_idx";

    /** A plan's lookup by the records' key (Call-ID and start) in a day partition, as a pattern. */
    public static final String RECORDS_KEY = "call_records_p[0-9]+_pkey";


    private Plans() {
    }

    /**
     * {@code EXPLAIN} of {@code sql} with sequential scans disabled (the test tables are tiny: without
     * that, a sequential scan is always cheapest and the plan says nothing about index usability).
     */
    public static Mono<String> explain(ConnectionFactory connections, Sql sql) {
        return Mono.usingWhen(connections.create(), c -> Flux.from(c.createStatement("SET enable_seqscan = off").execute())
                        .flatMap(r -> r.getRowsUpdated()).then(Mono.defer(() -> plan(c, sql))),
                Connection::close);
    }

    private static Mono<String> plan(Connection c, Sql sql) {
        Statement s = c.createStatement("EXPLAIN " + sql.text());
        List<Object> params = sql.params();
        for (int i = 0; i < params.size(); i++) {
            s.bind(i, params.get(i));
        }
        return Flux.from(s.execute()).flatMap(r -> r.map((row, meta) -> row.get(0, String.class)))
                .collectList().map(lines -> String.join("\n", lines));
    }
}
