package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.media.RtcpDecodeException;
import io.hepstack.proto.media.VqReport;
import io.hepstack.proto.sip.HeaderExtractor;
import io.hepstack.proto.sip.Sdp;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SIP family ({@link HepPayloadType#SIP}): parses the payload for the {@link SipFields} columns,
 * stores it as a call, registration or other SIP by its CSeq method ({@link MessageExtractor#sipKind}),
 * picks the correlation id (HEP chunk 0x0011, else the first configured A-leg header with a value, else
 * the Call-ID; for a voice-quality report, {@code application/vq-rtcpxr}, the {@code CallID} its body names,
 * and it is stored as a QoS report: {@link VqReport}) and gathers the extras: configured headers, SDP media, and the damage of SIP damaged at
 * its end. SIP that does not parse is kept opaque, kind {@code sip_other}, with {@code extra.sipError}.
 */
final class SipExtractor implements PayloadExtractor {

    static final SipExtractor INSTANCE = new SipExtractor();

    private SipExtractor() {
    }

    @Override
    public CapturedMessage extract(HepPacket packet, HepPayloadType type, ExtractionSettings settings) {
        SipMessage sip;
        try {
            sip = SipParser.parse(packet.payload());
        } catch (SipParseException e) {
            return Extras.row(packet, type.kind(), packet.correlationId(), MessagePart.OPAQUE,
                    Extras.with(Extras.NONE, "sipError", e.summary()));
        }
        Map<String, Object> extra = Extras.NONE; // most messages have none: a map only when one is named
        SipParseException damage = sip.damage();
        if (damage != null) {
            extra = Extras.with(extra, "sipError", damage.summary());
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
        SipFields fields = SipFields.of(sip);
        MessageKind kind = MessageExtractor.sipKind(fields.cseqMethod());
        MessagePart part = fields;
        if (VqReport.isVqContentType(sip.contentType())) {
            // a voice-quality report (RFC 6035) is a QoS report about the call its body names
            kind = MessageKind.QOS;
            try {
                VqReport vq = VqReport.parse(sip.bodyBytes());
                if (correlationId == null) {
                    correlationId = vq.callId();
                }
                part = new VqPublish(fields, vq.toRtcp(), null);
            } catch (RtcpDecodeException e) {
                extra = Extras.with(extra, "rtcpError", e.summary());
                part = new VqPublish(fields, null, e.reason());
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
                extra = Extras.with(extra, "headers", headers);
            }
        }
        Sdp sdp = sip.sdp();
        if (sdp != null) {
            extra = Extras.with(extra, "sdp", sdp);
        }
        return Extras.row(packet, kind, correlationId, part, extra);
    }
}
