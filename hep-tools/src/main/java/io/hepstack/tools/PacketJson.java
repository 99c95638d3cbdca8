package io.hepstack.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.sip.CSeq;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;
import io.netty.util.NetUtil;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes one decoded HEP packet, or one rejection, as a single JSON line: the format of
 * {@code hep-tools decode} (see docs/hep-tools.md).
 */
final class PacketJson {

    private static final JsonFactory JSON = new JsonFactory();

    private final Writer out;

    PacketJson(Writer out) {
        this.out = out;
    }

    void packet(long frame, HepPacket p) throws IOException {
        try (JsonGenerator g = generator()) {
            g.writeStartObject();
            g.writeNumberField("frame", frame);
            g.writeNumberField("version", p.version());
            g.writeNumberField("ipFamily", p.ipFamily());
            g.writeNumberField("ipProto", p.ipProto());
            g.writeStringField("srcIp", address(p.srcIp()));
            g.writeStringField("dstIp", address(p.dstIp()));
            g.writeNumberField("srcPort", p.srcPort());
            g.writeNumberField("dstPort", p.dstPort());
            g.writeNumberField("tsSec", p.tsSec());
            g.writeNumberField("tsUsec", p.tsUsec());
            g.writeNumberField("protoType", p.protoType());
            g.writeNumberField("captureId", p.captureId());
            g.writeStringField("node", p.node());
            g.writeStringField("authKey", p.authKey());
            g.writeStringField("correlationId", p.correlationId());
            if (p.vlan() == null) {
                g.writeNullField("vlan");
            } else {
                g.writeNumberField("vlan", p.vlan());
            }
            MessageExtractor.writeChunks(g, "chunks", p.chunks());
            String text = utf8(p.payload());
            g.writeStringField("payload", text != null ? text : Base64.getEncoder().encodeToString(p.payload()));
            g.writeStringField("payloadEncoding", text != null ? "utf8" : "base64");
            sip(g, p);
            g.writeEndObject();
        }
        out.write('\n');
    }

    void rejection(long frame, HepDecodeException e) throws IOException {
        error(frame, e.reason().name(), e.getMessage());
    }

    void error(long frame, String reason, String detail) throws IOException {
        try (JsonGenerator g = generator()) {
            g.writeStartObject();
            g.writeNumberField("frame", frame);
            g.writeStringField("error", reason);
            g.writeStringField("detail", detail);
            g.writeEndObject();
        }
        out.write('\n');
    }

    private JsonGenerator generator() throws IOException {
        return JSON.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /**
     * The {@code sip} fields and {@code sipError}: why the SIP did not parse, or the damage that ended
     * its header block early (the fields then come from the header lines before it).
     */
    private static void sip(JsonGenerator g, HepPacket p) throws IOException {
        if (p.protoType() != HepPayloadType.SIP.number()) {
            g.writeNullField("sip");
            g.writeNullField("sipError");
            return;
        }
        SipMessage m;
        try {
            m = SipParser.parse(p.payload());
        } catch (SipParseException e) {
            g.writeNullField("sip");
            g.writeStringField("sipError", e.summary());
            return;
        }
        CSeq cseq = m.cseq();
        g.writeObjectFieldStart("sip");
        g.writeStringField("method", m.method());
        if (m.isRequest()) {
            g.writeNullField("status");
        } else {
            g.writeNumberField("status", m.statusCode());
        }
        g.writeStringField("callId", m.callId());
        g.writeNumberField("cseq", cseq.number());
        g.writeStringField("cseqMethod", cseq.method());
        g.writeStringField("fromUser", m.fromUser());
        g.writeStringField("fromTag", m.fromTag());
        g.writeStringField("toUser", m.toUser());
        g.writeStringField("toTag", m.toTag());
        g.writeStringField("ruriUser", m.requestUriUser());
        g.writeStringField("userAgent", m.userAgent());
        g.writeEndObject();
        g.writeStringField("sipError", m.damage() == null ? null : m.damage().summary());
    }

    /** RFC 5952 text form (compressed IPv6), or null. */
    private static String address(InetAddress a) {
        return a == null ? null : NetUtil.toAddressString(a);
    }

    /** The payload as text when it is valid UTF-8, else null. */
    static String utf8(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
