package io.hepstack.proto.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.proto.hep.HepChunk;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.sip.CSeq;
import io.hepstack.proto.sip.HeaderExtractor;
import io.hepstack.proto.sip.Sdp;
import io.hepstack.proto.sip.SdpMedia;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a decoded {@link HepPacket} into the {@link CapturedMessage} row stored for it: classifies
 * the kind, parses SIP for the typed columns, picks the correlation id (HEP chunk 0x0011, else the
 * first configured A-leg header with a value, else the Call-ID) and gathers extras (configured
 * headers, SDP media, raw HEP chunks, the reason SIP did not parse) as JSON.
 *
 * <p>Never throws for any packet: a payload that is not SIP, or malformed SIP, is kept with its raw
 * bytes and {@code parsed = false}. SIP damaged at its end ({@link SipMessage#damage()}) is stored with
 * the fields of its complete header lines, {@code parsed = true}, and the damage in
 * {@code extra.sipError}. Stateless and thread-safe.
 */
public final class MessageExtractor {

    private static final JsonFactory JSON = new JsonFactory();

    private final ExtractionSettings settings;

    public MessageExtractor(ExtractionSettings settings) {
        this.settings = settings;
    }

    /** The row for {@code packet}. */
    public CapturedMessage extract(HepPacket packet) {
        if (packet.protoType() != HepPayloadType.SIP.number()) {
            return nonSip(packet, kindOf(packet.protoType()));
        }
        SipMessage sip;
        try {
            sip = SipParser.parse(packet.payload());
        } catch (SipParseException e) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("sipError", e.summary());
            return row(packet, MessageKind.SIP_OTHER, packet.correlationId(), null, extra, false);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        SipParseException damage = sip.damage();
        if (damage != null) {
            extra.put("sipError", damage.summary());
        }
        String correlationId = packet.correlationId();
        if (correlationId == null) {
            for (HeaderExtractor h : settings.correlationHeaders()) {
                correlationId = h.extract(sip);
                if (correlationId != null) {
                    break;
                }
            }
        }
        if (correlationId == null) {
            correlationId = sip.callId();
        }
        if (!settings.extraHeaders().isEmpty()) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (HeaderExtractor h : settings.extraHeaders()) {
                String v = h.extract(sip);
                if (v != null) {
                    headers.put(h.header(), v);
                }
            }
            if (!headers.isEmpty()) {
                extra.put("headers", headers);
            }
        }
        Sdp sdp = sip.sdp();
        if (sdp != null) {
            extra.put("sdp", sdp);
        }
        CSeq cseq = sip.cseq();
        return new CapturedMessage(packet.timestampMicros(), sipKind(cseq.method()), packet.captureId(), packet.node(),
                packet.protoType(), packet.ipFamily(), packet.ipProto(), packet.srcIp(), packet.srcPort(),
                packet.dstIp(), packet.dstPort(), correlationId, sip.callId(), sip.method(),
                sip.isRequest() ? null : sip.statusCode(), cseq.number(), cseq.method(),
                sip.fromUser(), sip.fromTag(), sip.toUser(), sip.toTag(), sip.requestUriUser(),
                sip.userAgent() != null ? sip.userAgent() : sip.server(), sip.viaBranch(), true,
                packet.payload(), json(extra, packet));
    }

    /** The kind of a SIP message by its CSeq method: calls, registrations, the rest. */
    public static MessageKind sipKind(String cseqMethod) {
        if (cseqMethod == null) {
            return MessageKind.SIP_OTHER;
        }
        return switch (cseqMethod) {
            case "INVITE", "ACK", "BYE", "CANCEL", "PRACK", "UPDATE", "INFO", "REFER" -> MessageKind.SIP_CALL;
            case "REGISTER" -> MessageKind.SIP_REGISTRATION;
            default -> MessageKind.SIP_OTHER;
        };
    }

    /** The kind of a HEP payload type as {@link HepPayloadType} records it; SIP's is refined by {@link #sipKind}. */
    public static MessageKind kindOf(int protoType) {
        return HepPayloadType.valueOf(protoType).kind();
    }

    private CapturedMessage nonSip(HepPacket packet, MessageKind kind) {
        return row(packet, kind, packet.correlationId(), null, new LinkedHashMap<>(), false);
    }

    private CapturedMessage row(HepPacket p, MessageKind kind, String correlationId, String callId,
                                Map<String, Object> extra, boolean parsed) {
        return new CapturedMessage(p.timestampMicros(), kind, p.captureId(), p.node(), p.protoType(), p.ipFamily(),
                p.ipProto(), p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort(), correlationId, callId, null, null,
                null, null, null, null, null, null, null, null, null, parsed, p.payload(), json(extra, p));
    }

    /** The extras as a JSON object text, or {@code null} when there are none. */
    private static String json(Map<String, Object> extra, HepPacket p) {
        if (extra.isEmpty() && p.chunks().isEmpty()) {
            return null;
        }
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            if (!p.chunks().isEmpty()) {
                writeChunks(g, "hepChunks", p.chunks());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Raw HEP chunks as the JSON array field {@code field}: {@code [{"vendor": 0, "type": 32, "hex": "0a0b"}, ...]},
     * the form stored in {@code extra} and printed by {@code hep-tools decode}.
     */
    public static void writeChunks(JsonGenerator g, String field, List<HepChunk> chunks) throws IOException {
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
