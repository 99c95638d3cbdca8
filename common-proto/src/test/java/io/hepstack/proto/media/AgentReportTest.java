package io.hepstack.proto.media;

import io.hepstack.proto.call.MediaReports;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.testing.AgentReports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * RTP agents' JSON reports (HEP types 34 and 35) in the shape sipcapture's traffic generator writes: what they say,
 * what they say as RTCP, a call's streams summed up from them, and every malformed case with its reason.
 */
class AgentReportTest {

    private static final int FULL = HepPayloadType.RTP_AGENT_REPORT.number();
    private static final int SHORT = HepPayloadType.RTCP_XR_REPORT.number();

    static String stream(String src, int srcPort, String dst, int dstPort, int expected, int lost, double jitter, double mos) {
        return AgentReports.stream("c-77@pbx", src, srcPort, dst, dstPort, expected, lost, jitter, mos);
    }

    /** A periodic report of the stream 198.51.100.7:30000 → 203.0.113.9:40000: 12 of 1,500 packets lost. */
    private static final String A_TO_B = stream("198.51.100.7", 30000, "203.0.113.9", 40000, 1500, 12, 4.0, 4.1);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAStreamReport() throws Exception {
        AgentReport r = AgentReport.parse(bytes(A_TO_B));
        assertThat(r.callId()).isEqualTo("c-77@pbx");
        assertThat(r.from().address()).isEqualTo("198.51.100.7:30000");
        assertThat(r.to().address()).isEqualTo("203.0.113.9:40000");
        assertThat(r.expected()).isEqualTo(1500);
        assertThat(r.lost()).isEqualTo(12);
        assertThat(r.lossPercent()).isCloseTo(0.8, within(1e-9));
        assertThat(r.jitterMs()).isEqualTo(4.0);
        assertThat(r.mos()).isEqualTo(4.1);
        assertThat(r.rFactor()).isEqualTo(81.5);
        assertThat(r.codec()).isEqualTo("PCMA");
        assertThat(r.clockRate()).isEqualTo(8000);
        assertThat(r.kind()).isEqualTo("PERIODIC");
    }

    @Test
    void saysAsRtcpWhatTheStreamsReceiverWouldHave() throws Exception {
        RtcpReport rtcp = AgentReport.parse(bytes(A_TO_B)).toRtcp();
        assertThat(rtcp.reports()).hasSize(1);
        RtcpReport.SenderOrReceiver rr = rtcp.reports().get(0);
        assertThat(rr.ssrc()).as("the receiver, by its port").isEqualTo(40000);
        assertThat(rr.sender()).isNull();
        ReportBlock b = rr.blocks().get(0);
        assertThat(b.sourceSsrc()).as("the sender, by its port").isEqualTo(30000);
        assertThat(b.fractionLost()).as("0.8 %% of 256").isEqualTo(2);
        assertThat(b.cumulativeLost()).isEqualTo(12);
        assertThat(b.jitterMs(8000)).isEqualTo(4.0);
        assertThat(rtcp.voip()).singleElement().satisfies(x -> {
            assertThat(x.metrics().sourceSsrc()).isEqualTo(30000);
            assertThat(x.metrics().mosLq()).isEqualTo(4.1);
            assertThat(x.metrics().rFactor()).isEqualTo(82);
        });
    }

    @Test
    void aShortReportCarriesItsMosAndDrawsNoStream() throws Exception {
        String json = "{\"CORRELATION_ID\":\"c-77@pbx\",\"RTP_SIP_CALL_ID\":\"c-77@pbx\",\"MOS\":3.9,\"RFACTOR\":78.0,"
                + "\"DIR\":1,\"REPORT_NAME\":\"203.0.113.9\",\"PARTY\":1,\"TYPE\":\"FINAL\"}";
        AgentReport r = AgentReport.parse(bytes(json));
        assertThat(r.lossPercent()).isNull();
        assertThat(r.from()).isNull();
        assertThat(r.toRtcp().reports()).as("no loss figures: no receiver report, so no silent reporter either").isEmpty();
        assertThat(r.toRtcp().voip()).singleElement().satisfies(x -> assertThat(x.metrics().mosLq()).isEqualTo(3.9));

        CallMedia.Report read = MediaReports.read(1_000_000, SHORT, bytes(json), "203.0.113.9:40000", "198.51.100.7:30000", null);
        assertThat(read.leg()).as("the call its body names, the row having no correlation id").isEqualTo("c-77@pbx");
        assertThat(read.reporter()).as("without addresses in the body: the row's destination").isEqualTo("198.51.100.7:30000");
        CallMedia.Summary s = CallMedia.summarize(List.of(read), Codec.PCMA, MediaThresholds.DEFAULTS);
        assertThat(s.streams()).isEmpty();
        assertThat(s.reports()).isEqualTo(1);
        assertThat(s.verdicts()).as("a report was captured: neither no_media_reports nor one-way audio").isEmpty();
    }

    @Test
    void aCallsTwoDirectionsAreItsStreamsWithTheAgentsMos() throws Exception {
        String bToA = stream("203.0.113.9", 40000, "198.51.100.7", 30000, 1500, 150, 12.0, 3.2);
        List<CallMedia.Report> reports = List.of(
                MediaReports.read(1_000_000, FULL, bytes(A_TO_B), "198.51.100.7:30000", "203.0.113.9:40000", "c-77@pbx"),
                MediaReports.read(1_100_000, FULL, bytes(bToA), "203.0.113.9:40000", "198.51.100.7:30000", "c-77@pbx"));
        CallMedia.Summary s = CallMedia.summarize(reports, Codec.PCMA, MediaThresholds.DEFAULTS);
        assertThat(s.streams()).hasSize(2);
        CallMedia.Stream ab = s.streams().get(0);
        assertThat(ab.from()).isEqualTo("198.51.100.7:30000");
        assertThat(ab.to()).isEqualTo("203.0.113.9:40000");
        assertThat(ab.leg()).isEqualTo("c-77@pbx");
        assertThat(ab.lossPercent()).isCloseTo(0.78, within(0.01)); // 2/256: RTCP's resolution
        assertThat(ab.jitterMs()).isEqualTo(4.0);
        assertThat(ab.reportedMos()).isEqualTo(4.1);
        assertThat(ab.mos()).as("the E-model's, from loss and jitter").isBetween(4.0, 4.5);
        assertThat(ab.packetsExpected()).as("no sequence numbers in an agent's report").isNull();
        CallMedia.Stream ba = s.streams().get(1);
        assertThat(ba.lossPercent()).isCloseTo(10.0, within(0.2));
        assertThat(ba.reportedMos()).isEqualTo(3.2);
        assertThat(s.verdicts()).extracting(CallMedia.Verdict::code).containsExactly(CallMedia.HIGH_LOSS);
        assertThat(s.verdicts().get(0).text()).startsWith("203.0.113.9:40000 → 198.51.100.7:30000");
    }

    @Test
    void everyPacketLostIsOneWayAudio() throws Exception {
        String silent = stream("203.0.113.9", 40000, "198.51.100.7", 30000, 1500, 1500, 0, 1.0);
        CallMedia.Summary s = CallMedia.summarize(List.of(
                MediaReports.read(1_000_000, FULL, bytes(A_TO_B), "?", "?", "c-77@pbx"),
                MediaReports.read(1_000_000, FULL, bytes(silent), "?", "?", "c-77@pbx")), Codec.PCMA, MediaThresholds.DEFAULTS);
        assertThat(s.verdicts()).extracting(CallMedia.Verdict::code).contains(CallMedia.ONE_WAY_AUDIO);
    }

    @Test
    void lossFromTheCountsWhenNotGivenAndDuplicatesAreNoLoss() throws Exception {
        assertThat(AgentReport.parse(bytes("{\"EXPECTED_PK\":200,\"TOTAL_PK\":190}")).lossPercent()).isEqualTo(5.0);
        assertThat(AgentReport.parse(bytes("{\"EXPECTED_PK\":200,\"PACKET_LOSS\":-3}")).lossPercent()).isEqualTo(0.0);
        assertThat(AgentReport.parse(bytes("{\"EXPECTED_PK\":0,\"PACKET_LOSS\":0}")).lossPercent()).isEqualTo(0.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                 | {\"MOS\":4.1                                 | BAD_JSON",
            "an array                 | [1,2]                                         | WRONG_SHAPE",
            "a number as text         | {\"EXPECTED_PK\":\"1500\",\"PACKET_LOSS\":1}   | WRONG_SHAPE",
            "a MOS beyond 5           | {\"MOS\":7.5}                                 | WRONG_SHAPE",
            "a negative jitter        | {\"MOS\":4.0,\"JITTER\":-1}                   | WRONG_SHAPE",
            "a port beyond 65535      | {\"MOS\":4.0,\"SRC_IP\":\"10.0.0.1\",\"SRC_PORT\":70000} | WRONG_SHAPE",
            "an address as a number   | {\"MOS\":4.0,\"SRC_IP\":10}                   | WRONG_SHAPE",
            "nothing to read          | {\"CORRELATION_ID\":\"c-1\",\"TYPE\":\"FINAL\"} | NO_REPORT",
    })
    void refusesWithItsReason(String what, String json, RtcpDecodeException.Reason reason) {
        assertThatThrownBy(() -> AgentReport.parse(bytes(json))).as(what)
                .isInstanceOfSatisfying(RtcpDecodeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void refusesAnOversizedReport() {
        byte[] big = bytes("{\"MOS\":4.0,\"X\":\"" + "a".repeat(AgentReport.MAX_LENGTH) + "\"}");
        assertThatThrownBy(() -> AgentReport.parse(big)).isInstanceOfSatisfying(RtcpDecodeException.class,
                e -> assertThat(e.reason()).isEqualTo(RtcpDecodeException.Reason.WRONG_SHAPE));
    }

    @Test
    void theMediaPayloadTypesAreRead() {
        assertThat(MediaReports.readable(FULL)).isTrue();
        assertThat(MediaReports.readable(SHORT)).isTrue();
        assertThat(MediaReports.readable(HepPayloadType.RTCP_PION.number())).isFalse();
        assertThat(MediaReports.payloadTypesSql()).isEqualTo("5, 1, 34, 35");
    }
}
