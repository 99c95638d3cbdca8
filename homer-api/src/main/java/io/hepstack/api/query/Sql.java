package io.hepstack.api.query;

import org.springframework.r2dbc.core.DatabaseClient;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement being built: SQL text written only by this code, every value a bound {@code $n}
 * parameter. Nothing a client sends is ever appended to the text.
 */
public final class Sql {

    private final StringBuilder text = new StringBuilder(256);
    private final List<Object> params = new ArrayList<>();

    public Sql append(String sql) {
        text.append(sql);
        return this;
    }

    /** Adds a parameter; returns its placeholder. */
    public String bind(Object value) {
        params.add(value);
        return "$" + params.size();
    }

    /** The statement with its parameters bound. */
    public DatabaseClient.GenericExecuteSpec on(DatabaseClient db) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(text.toString());
        for (int i = 0; i < params.size(); i++) {
            spec = spec.bind(i, params.get(i));
        }
        return spec;
    }

    /** The SQL text. */
    public String text() {
        return text.toString();
    }

    /** The parameters, in placeholder order. */
    public List<Object> params() {
        return List.copyOf(params);
    }

    @Override
    public String toString() {
        return text + " -- " + params;
    }
}
