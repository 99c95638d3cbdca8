package io.hepstack.proto.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.proto.hep.HepChunk;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.sip.Sdp;
import io.hepstack.proto.sip.SdpMedia;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code extra} JSON of a stored message, the one place its shape is written (docs/schema.md,
 * "extra"): the extractor's named extras ({@code sipError}, {@code headers}, {@code sdp}), then the typed
 * part's own fields ({@link MessagePart#writeExtra}), then the packet's unknown HEP chunks
 * ({@code hepChunks}). {@code null} when there is nothing to write.
 */
final class Extras {

    private static final JsonFactory JSON = new JsonFactory();

    private Extras() {
    }

    /** No named extras: what a family without any passes (nothing allocated per message). */
    static final Map<String, Object> NONE = Map.of();

    /**
     * {@code extra} with {@code name} set to {@code value}: a family starts from {@link #NONE} and gets a
     * map, in the order the extras are named, only when it names one (no allocation for the many
     * messages that have none).
     */
    static Map<String, Object> with(Map<String, Object> extra, String name, Object value) {
        Map<String, Object> named = extra == NONE ? new LinkedHashMap<>(4) : extra;
        named.put(name, value);
        return named;
    }

    /** The stored message of {@code p}: its envelope with {@code correlationId}, {@code part} and the extras. */
    static CapturedMessage row(HepPacket p, MessageKind kind, String correlationId, MessagePart part,
                               Map<String, Object> extra) {
        return new CapturedMessage(Envelope.of(p, correlationId), kind, part, p.payload(), json(extra, part, p));
    }

    /** The extras as a JSON object text, or {@code null} when there are none. */
    static String json(Map<String, Object> extra, MessagePart part, HepPacket p) {
        if (extra.isEmpty() && !part.hasExtra() && p.chunks().isEmpty()) {
            return null;
        }
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            part.writeExtra(g);
            if (!p.chunks().isEmpty()) {
                writeChunks(g, "hepChunks", p.chunks());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Raw HEP chunks as the JSON array field {@code field} (see {@link MessageExtractor#writeChunks}). */
    static void writeChunks(JsonGenerator g, String field, List<HepChunk> chunks) throws IOException {
        g.writeArrayFieldStart(field);
        for (HepChunk c : chunks) {
            g.writeStartObject();
            g.writeNumberField("vendor", c.vendor());
            g.writeNumberField("type", c.type());
            g.writeStringField("hex", c.hex());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeStringField(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
            g.writeEndObject();
        } else if (v instanceof Sdp sdp) {
            g.writeStartObject();
            g.writeStringField("connection", sdp.connectionAddress());
            g.writeArrayFieldStart("media");
            for (SdpMedia m : sdp.media()) {
                g.writeStartObject();
                g.writeStringField("type", m.type());
                g.writeNumberField("port", m.port());
                g.writeStringField("protocol", m.protocol());
                if (m.connectionAddress() != null) {
                    g.writeStringField("connection", m.connectionAddress());
                }
                g.writeArrayFieldStart("codecs");
                for (String c : m.codecs()) {
                    g.writeString(c);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } else {
            g.writeString(String.valueOf(v));
        }
    }
}
