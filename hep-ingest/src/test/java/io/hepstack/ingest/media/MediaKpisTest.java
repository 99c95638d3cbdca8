package io.hepstack.ingest.media;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.media.Codec;
import io.hepstack.proto.media.EModel;
import io.hepstack.proto.media.ReportBlock;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.media.RtcpWriter;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each media report's figures per capture node, and the reports that do not read counted by reason. */
class MediaKpisTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);

    private static IngestProperties.Kpi kpi(boolean enabled) {
        return new IngestProperties.Kpi(enabled, 100, Duration.ofMinutes(2), Duration.ofHours(12), 2);
    }

    private CapturedMessage message(int type, String node, byte[] payload) throws Exception {
        return extractor.extract(HepPacket.builder().addresses(InetAddress.getByName("10.0.0.1"), 4001,
                        InetAddress.getByName("10.0.0.2"), 4003).ipProto(17).timestampMicros(1_765_000_000_000_000L)
                .protoType(type).captureId(1).node(node).correlationId("c@test").payload(payload).build());
    }

    private static byte[] receiverReport(int fractionLost, long jitter) {
        return RtcpWriter.write(new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(1, null,
                List.of(new ReportBlock(2, fractionLost, 0, 100, jitter, 0, 0)))), List.of(), null));
    }

    @Test
    void everyReportBlockIsMeasuredPerNode() throws Exception {
        MediaKpis kpis = new MediaKpis(registry, kpi(true));
        kpis.accept(message(5, "sbc-1", receiverReport(26, 160))); // 10.2 % lost, 20 ms of jitter at 8 kHz
        kpis.accept(message(5, "sbc-1", receiverReport(0, 8)));
        kpis.accept(message(5, "sbc-2", receiverReport(0, 8)));
        DistributionSummary loss = registry.get("hep.media.loss").tag("node", "sbc-1").summary();
        assertThat(loss.count()).isEqualTo(2);
        assertThat(loss.max()).isCloseTo(10.16, within(0.01));
        assertThat(registry.get("hep.media.jitter").tag("node", "sbc-1").summary().max()).isEqualTo(20.0);
        DistributionSummary mos = registry.get("hep.media.mos").tag("node", "sbc-1").summary();
        assertThat(mos.totalAmount()).isCloseTo(EModel.mos(EModel.rating(Codec.PCMU, 26 * 100.0 / 256, 60))
                + EModel.mos(EModel.rating(Codec.PCMU, 0, 22)), within(1e-9));
        assertThat(registry.get("hep.media.mos").tag("node", "sbc-2").summary().count()).isEqualTo(1);
        assertThat(registry.find("hep.media.rtt").summaries()).isEmpty(); // no LSR, no extended report: no round trip
        assertThat(registry.get("hep.media.reports").tag("node", "sbc-1").tag("result", "read").counter().count()).isEqualTo(2);
    }

    @Test
    void reportsThatDoNotReadAreCountedByReasonAndOtherMessagesIgnored() throws Exception {
        MediaKpis kpis = new MediaKpis(registry, kpi(true));
        kpis.accept(message(5, "sbc-1", "not json".getBytes(StandardCharsets.UTF_8)));
        kpis.accept(message(5, "sbc-1", java.util.HexFormat.of().parseHex("82c90007123456789abcdef0")));
        String publish = "PUBLISH sip:c@x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
                + "To: <sip:c@x>\r\nCall-ID: p@x\r\nCSeq: 1 PUBLISH\r\nContent-Type: application/vq-rtcpxr\r\nContent-Length: 13\r\n\r\n"
                + "CallID: c@x\r\n"; // no LocalAddr, no metrics
        kpis.accept(message(1, "sbc-1", publish.getBytes(StandardCharsets.UTF_8)));
        kpis.accept(message(1, "sbc-1", "OPTIONS sip:x SIP/2.0\r\nCall-ID: o\r\nCSeq: 1 OPTIONS\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(registry.get("hep.media.reports").tag("result", "bad_json").counter().count()).isEqualTo(1);
        assertThat(registry.get("hep.media.reports").tag("result", "length_past_end").counter().count()).isEqualTo(1);
        assertThat(registry.get("hep.media.reports").tag("result", "bad_vq_report").counter().count()).isEqualTo(1);
        assertThat(registry.find("hep.media.reports").counters()).hasSize(3);
        assertThat(registry.find("hep.media.loss").summaries()).isEmpty();
    }

    @Test
    void aVoiceQualityReportInSipIsMeasuredToo() throws Exception {
        MediaKpis kpis = new MediaKpis(registry, kpi(true));
        String body = "CallID: c@x\r\nLocalAddr: IP=10.0.0.1 PORT=4000\r\nRemoteAddr: IP=10.0.0.2 PORT=4002\r\nLocalMetrics:\r\n"
                + "PacketLoss: NLR=2.0\r\nDelay: RTD=180 IAJ=10\r\n";
        String publish = "PUBLISH sip:c@x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
                + "To: <sip:c@x>\r\nCall-ID: p@x\r\nCSeq: 1 PUBLISH\r\nContent-Type: application/vq-rtcpxr\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
        kpis.accept(message(1, "phone-gw", publish.getBytes(StandardCharsets.UTF_8)));
        assertThat(registry.get("hep.media.rtt").tag("node", "phone-gw").summary().max()).isEqualTo(180.0);
        assertThat(registry.get("hep.media.jitter").tag("node", "phone-gw").summary().max()).isEqualTo(10.0);
    }

    @Test
    void anRtpAgentsReportIsMeasuredTooAndAMalformedOneCountedByItsReason() throws Exception {
        MediaKpis kpis = new MediaKpis(registry, kpi(true));
        kpis.accept(message(34, "probe-1", io.hepstack.proto.testing.AgentReports.stream("c@x", "10.0.0.1", 4000, "10.0.0.2", 4002,
                400, 20, 12.0, 3.8).getBytes(StandardCharsets.UTF_8))); // 5 % lost, 12 ms of jitter
        kpis.accept(message(34, "probe-1", "{\"EXPECTED_PK\":\"many\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(registry.get("hep.media.loss").tag("node", "probe-1").summary().max()).isCloseTo(5.08, within(0.01));
        assertThat(registry.get("hep.media.jitter").tag("node", "probe-1").summary().max()).isEqualTo(12.0);
        assertThat(registry.get("hep.media.reports").tag("node", "probe-1").tag("result", "read").counter().count()).isEqualTo(1);
        assertThat(registry.get("hep.media.reports").tag("node", "probe-1").tag("result", "wrong_shape").counter().count())
                .isEqualTo(1);
    }

    @Test
    void nodesBeyondTheBoundShareOneLabelAndKpisOffMeasureNothing() throws Exception {
        MediaKpis kpis = new MediaKpis(registry, kpi(true));
        for (String node : List.of("a", "b", "c", "d")) {
            kpis.accept(message(5, node, receiverReport(0, 8)));
        }
        assertThat(registry.get("hep.media.loss").tag("node", "other").summary().count()).isEqualTo(2);
        SimpleMeterRegistry off = new SimpleMeterRegistry();
        new MediaKpis(off, kpi(false)).accept(message(5, "a", receiverReport(0, 8)));
        assertThat(off.getMeters()).isEmpty();
    }
}
