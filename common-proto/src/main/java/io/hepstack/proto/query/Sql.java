package io.hepstack.proto.query;

import io.r2dbc.spi.Statement;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement being built: SQL text written only by this code, every value a bound {@code $n}
 * parameter. Nothing a client sends is ever appended to the text. Readers of {@code messages} select
 * with {@link MessageSelect}; homer-api runs a statement through Spring's {@code DatabaseClient}
 * ({@code Statements.on}), anything else through R2DBC ({@link #bindTo}).
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

    /** Binds the parameters to {@code statement}, made from {@link #text()}. */
    public Statement bindTo(Statement statement) {
        for (int i = 0; i < params.size(); i++) {
            statement.bind(i, params.get(i));
        }
        return statement;
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
