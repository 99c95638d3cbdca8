package io.hepstack.proto.store;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Runs partition DDL on one connection, tolerating other sessions doing the same at the same time. */
final class PartitionDdl {

    private PartitionDdl() {
    }

    /**
     * Runs {@code CREATE TABLE IF NOT EXISTS ... PARTITION OF ...}: {@code true} when it ran,
     * {@code false} when it lost a race with another session creating the same partition (IF NOT
     * EXISTS alone does not prevent a duplicate-name or catalog unique violation then).
     */
    static Mono<Boolean> create(Connection connection, String createSql) {
        return execute(connection, createSql)
                .thenReturn(true)
                .onErrorResume(PgErrors::isConcurrentCreation, e -> Mono.just(false));
    }

    static Mono<Void> execute(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute())
                .concatMap(Result::getRowsUpdated)
                .then();
    }
}
