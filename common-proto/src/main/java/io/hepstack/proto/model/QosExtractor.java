package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.media.RtcpDecodeException;
import io.hepstack.proto.media.RtcpReport;

/**
 * The QoS family ({@link HepPayloadType#RTCP}, HEP type 5): an RTCP report as binary RTCP (copied off the
 * wire) or as the JSON captagent, heplify and rtpengine send, read into a
 * {@link QosReport} with the packet's correlation id (the call's Call-ID, from the agent). A report that
 * does not read is kept as its bytes ({@link MediaReading.Unread}) with the reason in {@code extra.rtcpError}
 * ({@code blocks_past_end: packet at 0 (RR): ...}); nothing here fails on any payload.
 */
final class QosExtractor implements PayloadExtractor {

    static final QosExtractor INSTANCE = new QosExtractor();

    private QosExtractor() {
    }

    @Override
    public CapturedMessage extract(HepPacket packet, HepPayloadType type, ExtractionSettings settings) {
        byte[] payload = packet.payload();
        try {
            RtcpReport report = RtcpReport.read(payload);
            return Extras.row(packet, type.kind(), packet.correlationId(), new QosReport(report, packet.timestampMicros()),
                    Extras.NONE);
        } catch (RtcpDecodeException e) {
            return Extras.row(packet, type.kind(), packet.correlationId(), new MediaReading.Unread(e.reason()),
                    Extras.with(Extras.NONE, "rtcpError", e.summary()));
        }
    }
}
