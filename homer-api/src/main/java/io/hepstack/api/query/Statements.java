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
}
