package io.hepstack.api.query;

import io.hepstack.proto.query.Sql;
import org.springframework.r2dbc.core.DatabaseClient;

/** Runs common-proto's {@link Sql} statements through Spring's {@link DatabaseClient}. */
public final class Statements {

    private Statements() {
    }

    /** The statement with its parameters bound. */
    public static DatabaseClient.GenericExecuteSpec on(Sql sql, DatabaseClient db) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.text());
        java.util.List<Object> params = sql.params();
        for (int i = 0; i < params.size(); i++) {
            spec = spec.bind(i, params.get(i));
        }
        return spec;
    }

    /**
     * A statement that, once started, runs to its end even when its subscriber cancels (the client left): its
     * answer is then dropped. A statement cancelled while r2dbc-postgresql encodes its parameters or reads its rows
     * can leak their buffers (docs/architecture.md, "Reading rows: whole, and safe to abandon"); for the small
     * statements that run all the time and are abandoned all the time (a live stream's polls, the authentication
     * of every request), finishing them costs little. The statement runs in its subscriber's context (which
     * route it takes, {@code ReadRouting}): a future alone would start it in an empty one.
     */
    public static <T> reactor.core.publisher.Mono<T> whole(reactor.core.publisher.Mono<T> statement) {
        return reactor.core.publisher.Mono.deferContextual(context ->
                reactor.core.publisher.Mono.fromFuture(() -> statement.contextWrite(context).toFuture(), true));
    }
}
