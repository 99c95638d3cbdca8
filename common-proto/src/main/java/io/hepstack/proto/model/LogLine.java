package io.hepstack.proto.model;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * What the log family ({@link HepPayloadType#LOG}) reads from a log line, stored in {@code extra.log}:
 * its level, when the line names one. The line itself is the payload.
 *
 * @param level the line's severity, or {@code null} when it names none
 */
public record LogLine(LogLevel level) implements MessagePart {

    /**
     * Where a stored line's level is, as an SQL expression on a {@code messages} row (the table alias goes
     * before it: {@code m.} + this): the search filter, the readers and the index {@code messages_log_level}
     * all use it.
     */
    public static final String LEVEL_SQL = "extra->'log'->>'level'";

    /** A line that names no level. */
    public static final LogLine UNLEVELLED = new LogLine(null);

    @Override
    public boolean hasExtra() {
        return level != null;
    }

    /** {@code "log": {"level": "error"}}. */
    @Override
    public void writeExtra(JsonGenerator g) throws IOException {
        if (level != null) {
            g.writeObjectFieldStart("log");
            g.writeStringField("level", level.code());
            g.writeEndObject();
        }
    }
}
