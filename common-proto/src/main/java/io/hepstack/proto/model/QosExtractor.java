package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.media.AgentReport;
import io.hepstack.proto.media.RtcpDecodeException;
import io.hepstack.proto.media.RtcpReport;

/**
 * The QoS family ({@link HepPayloadType#RTCP}, HEP type 5): an RTCP report as binary RTCP (copied off the
 * wire) or as the JSON captagent, heplify and rtpengine send, read into a
 * {@link QosReport} with the packet's correlation id (the call's Call-ID, from the agent). A report that
 * does not read is kept as its bytes ({@link MediaReading.Unread}) with the reason in {@code extra.rtcpError}
 * ({@code blocks_past_end: packet at 0 (RR): ...}); nothing here fails on any payload. RTP agents' JSON reports
 * (HEP types 34 and 35, {@link AgentReport}) are read the same way into what they say as RTCP, with the call their
 * body names as correlation id when the packet has none.
 */
final class QosExtractor implements PayloadExtractor {

    static final QosExtractor INSTANCE = new QosExtractor();

    private QosExtractor() {
    }

    @Override
    public CapturedMessage extract(HepPacket packet, HepPayloadType type, ExtractionSettings settings) {
        byte[] payload = packet.payload();
        String correlationId = packet.correlationId();
        try {
            RtcpReport report;
            if (type.number() == HepPayloadType.RTCP.number()) {
                report = RtcpReport.read(payload);
            } else {
                AgentReport agent = AgentReport.parse(payload);
                report = agent.toRtcp();
                if (correlationId == null) {
                    correlationId = agent.callId(); // the call its body names, as a voice-quality report's
                }
            }
            return Extras.row(packet, type.kind(), correlationId, new QosReport(report, packet.timestampMicros()),
                    Extras.NONE);
        } catch (RtcpDecodeException e) {
            return Extras.row(packet, type.kind(), correlationId, new MediaReading.Unread(e.reason()),
                    Extras.with(Extras.NONE, "rtcpError", e.summary()));
        }
    }
}
