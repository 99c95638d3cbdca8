package io.hepstack.proto.store;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * One statement run once for each of many rows of bind values, in one round trip ({@link Statement#add()}): the
 * records' upserts. A typed null is given as its {@link Class} ({@code Long.class}), since r2dbc binds a null by type.
 */
public final class BatchStatement {

    private BatchStatement() {
    }

    /** Runs {@code sql} for every row of {@code rows} on {@code c}; the rows it updated, 0 for no row. */
    public static Mono<Long> run(Connection c, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return Mono.just(0L);
        }
        Statement st = c.createStatement(sql);
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                st.add();
            }
            Object[] v = rows.get(i);
            for (int k = 0; k < v.length; k++) {
                if (v[k] instanceof Class<?> type) {
                    st.bindNull(k, type);
                } else {
                    st.bind(k, v[k]);
                }
            }
        }
        return Flux.from(st.execute()).flatMap(r -> Mono.from(r.getRowsUpdated())).reduce(0L, Long::sum);
    }
}
