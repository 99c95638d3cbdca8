package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.media.ReportBlock;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.media.RtcpWriter;
import io.hepstack.proto.media.SenderInfo;
import io.hepstack.proto.media.VoipMetrics;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The QoS family: an RTCP report, binary or JSON, stored with one shape of {@code extra.rtcp}; a bad one kept with its reason;
 * a voice-quality report in SIP (RFC 6035) stored as QoS about the call its body names.
 */
class QosExtractorTest {

    static final long CAPTURED = 1_765_000_000_000_000L;

    private final MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);

    private static HepPacket packet(byte[] payload) throws Exception {
        return HepPacket.builder().addresses(InetAddress.getByName("10.0.0.10"), 30_001, InetAddress.getByName("10.0.0.30"), 40_001)
                .ipProto(17).timestampMicros(CAPTURED).protoType(5).captureId(2001).correlationId("call-1@test")
                .payload(payload).build();
    }

    /** What the callee's side reports of the caller's stream: 5 % lost, 40 ms of jitter at 8 kHz, 80 ms round trip. */
    static final RtcpReport REPORT = new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(0x1111L,
            new SenderInfo(CAPTURED - 20_000, 160_000, 500, 80_000),
            List.of(new ReportBlock(0x2222L, 13, 42, 70_000, 320, lsr(CAPTURED - 180_000), 6554)))),
            List.of(new RtcpReport.Extended(0x1111L, new VoipMetrics(0x2222L, 13, 0, 0, 0, 0, 0, 80, 40, 88, 4.2, 4.1, 40))),
            "bob@10.0.0.30");

    private static long lsr(long micros) {
        long seconds = micros / 1_000_000 + 2_208_988_800L;
        return ((seconds & 0xFFFF) << 16) | ((micros % 1_000_000) << 16) / 1_000_000;
    }

    static final String EXTRA = "{\"rtcp\":{\"reports\":[{\"type\":\"sr\",\"ssrc\":4369,\"sender\":{\"packets\":500,\"octets\":80000},"
            + "\"blocks\":[{\"source\":8738,\"fractionLost\":13,\"lossPercent\":5.08,\"cumulativeLost\":42,\"highestSeq\":70000,"
            + "\"jitter\":320,\"rttMs\":80.0}]}],\"voip\":[{\"ssrc\":4369,\"source\":8738,\"lossPercent\":5.08,\"discardPercent\":0.0,"
            + "\"rttMs\":80,\"endSystemDelayMs\":40,\"rFactor\":88,\"mosLq\":4.2,\"mosCq\":4.1}],\"cname\":\"bob@10.0.0.30\"}}";

    @Test
    void binaryRtcpIsReadIntoItsReport() throws Exception {
        CapturedMessage m = extractor.extract(packet(RtcpWriter.write(REPORT)));
        assertThat(m.kind()).isEqualTo(MessageKind.QOS);
        assertThat(m.part()).isEqualTo(new QosReport(REPORT, CAPTURED));
        assertThat(m.envelope().correlationId()).isEqualTo("call-1@test");
        assertThat(m.extra()).isEqualTo(EXTRA);
    }

    @Test
    void anAgentsJsonReportIsStoredInTheSameShape() throws Exception {
        String json = "{\"sender_information\":{\"ntp_timestamp_sec\":" + (CAPTURED / 1_000_000 + 2_208_988_800L)
                + ",\"ntp_timestamp_usec\":0,\"octets\":80000,\"rtp_timestamp\":160000,\"packets\":500},\"ssrc\":4369,"
                + "\"type\":200,\"report_count\":1,\"report_blocks\":[{\"source_ssrc\":8738,\"highest_seq_no\":70000,"
                + "\"fraction_lost\":13,\"ia_jitter\":320,\"packets_lost\":42,\"lsr\":" + lsr(CAPTURED - 180_000)
                + ",\"dlsr\":6554}],\"report_blocks_xr\":{\"type\":7,\"id\":8738,\"fraction_lost\":13,\"fraction_discard\":0,"
                + "\"burst_density\":0,\"gap_density\":0,\"burst_duration\":0,\"gap_duration\":0,\"round_trip_delay\":80,"
                + "\"end_system_delay\":40},\"sdes_cname\":\"bob@10.0.0.30\"}";
        CapturedMessage m = extractor.extract(packet(json.getBytes(StandardCharsets.UTF_8)));
        // JSON carries no R-factor or MOS in its XR object: the rest is the same as the binary report's
        assertThat(m.extra()).isEqualTo(EXTRA.replace(",\"rFactor\":88,\"mosLq\":4.2,\"mosCq\":4.1", ""));
    }

    @Test
    void aReportThatDoesNotReadIsKeptAsItsBytesWithTheReason() throws Exception {
        byte[] truncated = java.util.HexFormat.of().parseHex("82c90007123456789abcdef04000000a0001002000000050abcd123400018000");
        CapturedMessage m = extractor.extract(packet(truncated));
        assertThat(m.kind()).isEqualTo(MessageKind.QOS);
        assertThat(m.part()).as("stored as its bytes, the reason at hand").isEqualTo(new MediaReading.Unread(
                io.hepstack.proto.media.RtcpDecodeException.Reason.BLOCKS_PAST_END));
        assertThat(m.payload()).isEqualTo(truncated);
        assertThat(m.extra()).isEqualTo("{\"rtcpError\":\"blocks_past_end: packet at 0 (RR): 2 report blocks need 56 bytes, "
                + "the packet has 32\"}");
        assertThat(extractor.extract(packet("not a report".getBytes(StandardCharsets.UTF_8))).extra())
                .startsWith("{\"rtcpError\":\"bad_json: not JSON: ");
    }

    @Test
    void anRtpAgentsReportIsReadLikeRtcpAboutTheCallItsBodyNames() throws Exception {
        String json = io.hepstack.proto.testing.AgentReports.stream("call-9@test", "10.0.0.10", 30_000, "10.0.0.30", 40_000,
                1000, 50, 5.0, 3.9);
        for (int type : new int[] {34, 35}) {
            HepPacket agent = HepPacket.builder().addresses(InetAddress.getByName("10.0.0.10"), 30_000,
                            InetAddress.getByName("10.0.0.30"), 40_000).ipProto(17).timestampMicros(CAPTURED).protoType(type)
                    .captureId(2001).payload(json.getBytes(StandardCharsets.UTF_8)).build();
            CapturedMessage m = extractor.extract(agent);
            assertThat(m.kind()).isEqualTo(MessageKind.QOS);
            assertThat(m.envelope().correlationId()).as("type %d: the call its body names", type).isEqualTo("call-9@test");
            RtcpReport read = ((MediaReading) m.part()).report();
            assertThat(read.reports().get(0).blocks().get(0).lossPercent()).isCloseTo(5.0, org.assertj.core.api.Assertions.within(0.2));
            assertThat(m.extra()).contains("\"rtcp\":");
        }
        HepPacket bad = HepPacket.builder().addresses(InetAddress.getByName("10.0.0.10"), 30_000,
                        InetAddress.getByName("10.0.0.30"), 40_000).ipProto(17).timestampMicros(CAPTURED).protoType(34)
                .captureId(2001).payload("{\"MOS\":9}".getBytes(StandardCharsets.UTF_8)).build();
        CapturedMessage m = extractor.extract(bad);
        assertThat(m.part()).isEqualTo(new MediaReading.Unread(io.hepstack.proto.media.RtcpDecodeException.Reason.WRONG_SHAPE));
        assertThat(m.extra()).isEqualTo("{\"rtcpError\":\"wrong_shape: MOS: 9 out of range (1 to 5)\"}");
    }

    @Test
    void aVoiceQualityReportInSipIsAQosReportAboutTheCallItsBodyNames() throws Exception {
        String body = "VQSessionReport: CallTerm\r\nCallID: call-7@test\r\nLocalAddr: IP=10.0.0.10 PORT=30000\r\n"
                + "LocalMetrics:\r\nQualityEst: MOSLQ=4.1\r\n";
        CapturedMessage m = extractor.extract(publish(body, null));
        assertThat(m.kind()).isEqualTo(MessageKind.QOS);
        assertThat(m.envelope().correlationId()).isEqualTo("call-7@test");
        assertThat(m.sip().method()).isEqualTo("PUBLISH"); // still SIP: its columns are filled
        assertThat(m.callId()).isEqualTo("pub-1@10.0.0.10");
        assertThat(m.extra()).isNull();
        assertThat(((MediaReading) m.part()).report().reports()).as("read at ingest, once").isNotEmpty();
        // the agent's own correlation id comes first
        assertThat(extractor.extract(publish(body, "agent-said")).envelope().correlationId()).isEqualTo("agent-said");
        // a body that does not read: kept as SIP with the reason, tied to nothing but its own Call-ID
        CapturedMessage bad = extractor.extract(publish("VQSessionReport: CallTerm\r\nCallID: call-7@test\r\n", null));
        assertThat(bad.kind()).isEqualTo(MessageKind.QOS);
        assertThat(bad.envelope().correlationId()).isEqualTo("pub-1@10.0.0.10");
        assertThat(bad.extra()).isEqualTo("{\"rtcpError\":\"bad_vq_report: no LocalAddr line\"}");
        assertThat(bad.part()).isEqualTo(new VqPublish(bad.sip(), null, io.hepstack.proto.media.RtcpDecodeException.Reason.BAD_VQ_REPORT));
        assertThat(bad.parsed()).isTrue();
    }

    private static HepPacket publish(String body, String correlationId) throws Exception {
        String text = "PUBLISH sip:collector@10.0.0.99 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK1\r\n"
                + "From: <sip:alice@test>;tag=p\r\nTo: <sip:collector@test>\r\nCall-ID: pub-1@10.0.0.10\r\nCSeq: 1 PUBLISH\r\n"
                + "Event: vq-rtcpxr\r\nContent-Type: application/vq-rtcpxr\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        return HepPacket.builder().addresses(InetAddress.getByName("10.0.0.10"), 5060, InetAddress.getByName("10.0.0.99"), 5060)
                .ipProto(17).timestampMicros(CAPTURED).protoType(1).captureId(2001).correlationId(correlationId)
                .payload(text.getBytes(StandardCharsets.UTF_8)).build();
    }
}
