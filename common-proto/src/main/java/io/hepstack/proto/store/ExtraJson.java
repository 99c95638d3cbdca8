package io.hepstack.proto.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The {@code extra} column's JSON, rewritten token by token so that jsonb always accepts it.
 *
 * <p>jsonb refuses what JSON parsers commonly allow: {@code \u0000} escapes, unpaired surrogate
 * escapes, numbers beyond numeric's range. Strings are written with NUL and unpaired surrogates
 * replaced by U+FFFD; numbers that numeric could not hold become strings. Text that is not one JSON
 * object, or nests deeper than {@link #MAX_DEPTH}, is kept as {@code {"invalid_extra": "<text>"}}.
 */
final class ExtraJson {

    static final String INVALID_KEY = "invalid_extra";
    static final int MAX_DEPTH = 64;
    private static final int MAX_NUMBER_CHARS = 64;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private ExtraJson() {
    }

    /** Writes the normalized JSON text of {@code json} as UTF-8. */
    static void write(ByteBuf out, String json) {
        int start = out.writerIndex();
        try {
            if (copyObject(out, json)) {
                return;
            }
        } catch (IOException e) {
            // not JSON: kept as a string below
        }
        out.writerIndex(start);
        try (JsonGenerator gen = JSON.createGenerator((OutputStream) new ByteBufOutputStream(out), JsonEncoding.UTF8)) {
            gen.writeStartObject();
            gen.writeStringField(INVALID_KEY, Utf8.sanitize(json));
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a memory buffer", e);
        }
    }

    private static boolean copyObject(ByteBuf out, String json) throws IOException {
        try (JsonParser p = JSON.createParser(json);
             JsonGenerator gen = JSON.createGenerator((OutputStream) new ByteBufOutputStream(out), JsonEncoding.UTF8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            int depth = 0;
            JsonToken t = JsonToken.START_OBJECT;
            do {
                switch (t) {
                    case START_OBJECT -> {
                        if (++depth > MAX_DEPTH) {
                            return false;
                        }
                        gen.writeStartObject();
                    }
                    case START_ARRAY -> {
                        if (++depth > MAX_DEPTH) {
                            return false;
                        }
                        gen.writeStartArray();
                    }
                    case END_OBJECT -> {
                        depth--;
                        gen.writeEndObject();
                    }
                    case END_ARRAY -> {
                        depth--;
                        gen.writeEndArray();
                    }
                    case FIELD_NAME -> gen.writeFieldName(Utf8.sanitize(p.currentName()));
                    case VALUE_STRING -> gen.writeString(Utf8.sanitize(p.getText()));
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> writeNumber(gen, p.getText());
                    case VALUE_TRUE -> gen.writeBoolean(true);
                    case VALUE_FALSE -> gen.writeBoolean(false);
                    case VALUE_NULL -> gen.writeNull();
                    default -> {
                        return false;
                    }
                }
                if (depth == 0) {
                    break;
                }
                t = p.nextToken();
            } while (t != null);
            return depth == 0 && p.nextToken() == null;
        }
    }

    /** A number as written, or as a string when numeric could not hold it (huge exponent or length). */
    private static void writeNumber(JsonGenerator gen, String text) throws IOException {
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        boolean fits = text.length() <= MAX_NUMBER_CHARS;
        if (fits && e >= 0) {
            String exp = text.substring(e + 1);
            fits = exp.replace("+", "").replace("-", "").length() <= 3;
        }
        if (fits) {
            gen.writeNumber(text);
        } else {
            gen.writeString(text);
        }
    }
}
