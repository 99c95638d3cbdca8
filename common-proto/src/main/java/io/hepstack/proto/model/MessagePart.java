package io.hepstack.proto.model;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * What a message's protocol family read from its payload, beside the {@link Envelope}: the typed part
 * of a stored message. SIP's fields have their own columns ({@link SipFields}); a family whose fields are
 * stored without a schema change writes them into the row's {@code extra} JSON ({@link #writeExtra}).
 * A payload no family reads, or one its family could not read, is {@link Opaque}. Parts are immutable
 * values (records); a new family adds its own beside its extractor (docs/architecture.md, "Adding a protocol").
 */
public interface MessagePart {

    /** A payload stored as its bytes alone. */
    Opaque OPAQUE = new Opaque();

    /**
     * Writes this part's fields stored in {@code extra} as fields of the JSON object {@code g} is in
     * (one field named after the family, e.g. {@code "log": {...}}); nothing for a part stored in columns.
     */
    default void writeExtra(JsonGenerator g) throws IOException {
    }

    /** Whether this part has fields to write into {@code extra}. */
    default boolean hasExtra() {
        return false;
    }

    /** No typed fields: the payload is stored as its bytes, searchable by its envelope and text. */
    record Opaque() implements MessagePart {
    }
}
