package io.hepstack.proto.media;

import io.hepstack.proto.media.RtcpDecodeException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON reports of captagent, heplify and rtpengine read into the same model as binary RTCP. */
class RtcpJsonTest {

    /** A sender report as captagent and heplify render it (NTP words as they are on the wire). */
    static final String SENDER_REPORT = """
            {"sender_information":{"ntp_timestamp_sec":3973988800,"ntp_timestamp_usec":2147483648,"octets":80000,
            "rtp_timestamp":160000,"packets":500},"ssrc":2863267841,"type":200,"report_count":1,
            "report_blocks":[{"source_ssrc":3149594626,"highest_seq_no":70000,"fraction_lost":13,"ia_jitter":120,
            "packets_lost":42,"lsr":305419896,"dlsr":65536}],"report_blocks_xr":{"type":0,"id":0,"fraction_lost":0,
            "fraction_discard":0,"burst_density":0,"gap_density":0,"burst_duration":0,"gap_duration":0,
            "round_trip_delay":0,"end_system_delay":0},"sdes_ssrc":2863267841}""";

    private static RtcpReport parse(String json) throws RtcpDecodeException {
        return RtcpJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsASenderReport() throws Exception {
        RtcpReport r = parse(SENDER_REPORT);
        RtcpReport.SenderOrReceiver sr = r.reports().get(0);
        assertThat(sr.packetType()).isEqualTo(200);
        assertThat(sr.ssrc()).isEqualTo(2863267841L);
        // 3973988800 s since 1900 is 2025-12-06T05:46:40Z; the fraction 2^31 is half a second
        assertThat(sr.sender()).isEqualTo(new SenderInfo(1_765_000_000_500_000L, 160_000, 500, 80_000));
        assertThat(sr.blocks()).containsExactly(new ReportBlock(3149594626L, 13, 42, 70_000, 120, 305419896L, 65_536));
        assertThat(r.voip()).as("an all-zero XR object, as heplify sends when there was none").isEmpty();
    }

    @Test
    void readsAReceiverReportWithPacketLostSpelledTheOtherWay() throws Exception {
        RtcpReport r = parse("""
                {"ssrc":1,"type":201,"report_count":1,"report_blocks":[{"source_ssrc":2,"highest_seq_no":9,
                "fraction_lost":128,"ia_jitter":16,"packet_lost":-2,"lsr":0,"dlsr":0}]}""");
        assertThat(r.reports()).singleElement().satisfies(rr -> {
            assertThat(rr.packetType()).isEqualTo(201);
            assertThat(rr.blocks()).containsExactly(new ReportBlock(2, 128, -2, 9, 16, 0, 0));
        });
        assertThat(r.voip()).isEmpty();
    }

    @Test
    void readsVoipMetricsOfAnExtendedReport() throws Exception {
        RtcpReport r = parse("""
                {"ssrc":7,"type":207,"report_blocks_xr":{"type":7,"id":1,"fraction_lost":26,"fraction_discard":3,
                "burst_density":60,"gap_density":2,"burst_duration":40,"gap_duration":900,"round_trip_delay":180,
                "end_system_delay":0}}""");
        assertThat(r.reports()).isEmpty();
        assertThat(r.voip()).containsExactly(new RtcpReport.Extended(7, new VoipMetrics(1, 26, 3, 60, 2, 40, 900, 180, null,
                null, null, null, 0)));
    }

    @Test
    void aSenderReportAndItsBinaryFormAreTheSameReport() throws Exception {
        RtcpReport fromJson = parse(SENDER_REPORT);
        assertThat(RtcpParser.parse(RtcpWriter.write(fromJson))).isEqualTo(fromJson);
    }

    /**
     * What rtpengine 10.5 ({@code --homer}, Debian's 10.5.3.5) sent for the sender report an endpoint of
     * RtpengineQosIT wrote with a cumulative loss of -2 (packets received twice): the 24-bit field printed unsigned, and
     * the CNAME in {@code sdes_information}, not {@code sdes_cname}.
     */
    static final String RTPENGINE_SENDER_REPORT = """
            { "sender_information":{"ntp_timestamp_sec":4005609587,"ntp_timestamp_usec":450971566,"octets":8000,\
            "rtp_timestamp":8001, "packets":50},"ssrc":286326785,"type":200,"report_count":1,"report_blocks":[\
            {"source_ssrc":572653569,"highest_seq_no":49,"fraction_lost":0,"ia_jitter":40,"packets_lost":16777214,\
            "lsr":0,"dlsr":0}],"sdes_report_count":1,"sdes_information": [ {"sdes_chunk_ssrc":286326785,"type":1,\
            "text":"alice-dcb56e38"}] }""";

    @Test
    void readsRtpenginesUnsignedCumulativeLossAsTheNegativeCountItIsAndItsCname() throws Exception {
        RtcpReport r = parse(RTPENGINE_SENDER_REPORT);
        assertThat(r.reports()).singleElement().satisfies(sr -> {
            assertThat(sr.ssrc()).isEqualTo(286326785L);
            assertThat(sr.sender().packets()).isEqualTo(50);
            assertThat(sr.sender().octets()).isEqualTo(8000);
            assertThat(sr.blocks()).containsExactly(new ReportBlock(572653569L, 0, -2, 49, 40, 0, 0));
        });
        assertThat(r.cname()).isEqualTo("alice-dcb56e38");
        assertThat(RtcpParser.parse(RtcpWriter.write(r))).as("the same report as binary RTCP").isEqualTo(r);
    }

    @Test
    void readsRtpenginesReceiverReportAndItsSenderReportOfAnEndpointThatReceivedNothing() throws Exception {
        RtcpReport rr = parse("""
                { "ssrc":572653570,"type":201,"report_count":1,"report_blocks":[{"source_ssrc":286326786,\
                "highest_seq_no":51,"fraction_lost":0,"ia_jitter":16,"packets_lost":0,"lsr":0,"dlsr":0}],\
                "sdes_report_count":1,"sdes_information": [ {"sdes_chunk_ssrc":572653570,"type":1,"text":"dave-dcb56e38"}] }""");
        assertThat(rr.reports()).singleElement().satisfies(r -> {
            assertThat(r.packetType()).isEqualTo(201);
            assertThat(r.blocks()).containsExactly(new ReportBlock(286326786L, 0, 0, 51, 16, 0, 0));
        });
        RtcpReport empty = parse("""
                { "sender_information":{"ntp_timestamp_sec":4005609587,"ntp_timestamp_usec":450971566,"octets":8000,\
                "rtp_timestamp":8002, "packets":50},"ssrc":286326786,"type":200,"report_count":0,"report_blocks":[],\
                "sdes_report_count":1,"sdes_information": [ {"sdes_chunk_ssrc":286326786,"type":1,"text":"carol-dcb56e38"}] }""");
        assertThat(empty.reports()).singleElement().satisfies(r -> {
            assertThat(r.packetType()).isEqualTo(200);
            assertThat(r.blocks()).as("received nothing").isEmpty();
        });
        assertThat(empty.cname()).isEqualTo("carol-dcb56e38");
    }

    @Test
    void readsEachReportOfACompoundPacketThatRtpengineWroteIntoOneObject() throws Exception {
        // rtpengine 10.5.3.5 for a compound packet SR + RR + SDES (crafted, relayed by it): every packet's fields
        // in the same object, so ssrc, type, report_count and report_blocks come twice
        RtcpReport r = parse("""
                { "sender_information":{"ntp_timestamp_sec":1,"ntp_timestamp_usec":2,"octets":5,"rtp_timestamp":3, \
                "packets":4},"ssrc":17,"type":200,"report_count":1,"report_blocks":[{"source_ssrc":34,"highest_seq_no":100,\
                "fraction_lost":10,"ia_jitter":40,"packets_lost":5,"lsr":0,"dlsr":0}],"ssrc":17,"type":201,"report_count":1,\
                "report_blocks":[{"source_ssrc":51,"highest_seq_no":200,"fraction_lost":20,"ia_jitter":80,"packets_lost":7,\
                "lsr":0,"dlsr":0}],"sdes_report_count":1,"sdes_information": [ {"sdes_chunk_ssrc":17,"type":1,"text":"test"}] }""");
        assertThat(r.reports()).hasSize(2);
        assertThat(r.reports().get(0).packetType()).isEqualTo(200);
        assertThat(r.reports().get(0).sender()).extracting(SenderInfo::rtpTimestamp, SenderInfo::packets, SenderInfo::octets)
                .containsExactly(3L, 4L, 5L);
        assertThat(r.reports().get(0).blocks()).containsExactly(new ReportBlock(34, 10, 5, 100, 40, 0, 0));
        assertThat(r.reports().get(1).packetType()).isEqualTo(201);
        assertThat(r.reports().get(1).ssrc()).isEqualTo(17);
        assertThat(r.reports().get(1).blocks()).containsExactly(new ReportBlock(51, 20, 7, 200, 80, 0, 0));
        assertThat(r.cname()).isEqualTo("test");
    }

    @Test
    void rtpenginesSourceDescriptionAloneIsNoReport() {
        assertThatThrownBy(() -> parse("""
                { "sdes_report_count":1,"sdes_information": [ {"sdes_chunk_ssrc":17,"type":1,"text":"test"}] }"""))
                .isInstanceOfSatisfying(RtcpDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_REPORT));
    }

    @Test
    void aCumulativeLossPrintedSignedOrUnsignedIsTheSameCount() throws Exception {
        for (String lost : new String[] {"-8388608", "8388608"}) {
            assertThat(parse("{\"ssrc\":1,\"report_blocks\":[{\"source_ssrc\":2,\"packets_lost\":" + lost + "}]}")
                    .reports().get(0).blocks().get(0).cumulativeLost()).as(lost).isEqualTo(-8_388_608);
        }
        assertThat(parse("{\"ssrc\":1,\"report_blocks\":[{\"source_ssrc\":2,\"packets_lost\":8388607}]}")
                .reports().get(0).blocks().get(0).cumulativeLost()).isEqualTo(8_388_607);
    }

    static Stream<Arguments> wrongShapes() {
        return Stream.of(
                Arguments.of("{\"ssrc\": 1, ", Reason.BAD_JSON, "not JSON: Unexpected end-of-input"),
                Arguments.of("[1, 2]", Reason.WRONG_SHAPE, "not a JSON object"),
                Arguments.of("{}", Reason.NO_REPORT, "no report_blocks, sender_information or report_blocks_xr"),
                Arguments.of("{\"ssrc\":1,\"report_blocks\":{}}", Reason.WRONG_SHAPE, "report_blocks: not an array"),
                Arguments.of("{\"ssrc\":1,\"report_blocks\":[7]}", Reason.WRONG_SHAPE, "report_blocks[0]: not an object"),
                Arguments.of("{\"ssrc\":\"1\",\"report_blocks\":[]}", Reason.WRONG_SHAPE, "ssrc: not an integer: \"1\""),
                Arguments.of("{\"ssrc\":1,\"report_blocks\":[{\"fraction_lost\":300}]}", Reason.WRONG_SHAPE,
                        "report_blocks[0].fraction_lost: 300 out of range (0 to 255)"),
                Arguments.of("{\"ssrc\":4294967296,\"report_blocks\":[]}", Reason.WRONG_SHAPE,
                        "ssrc: 4294967296 out of range (0 to 4294967295)"),
                Arguments.of("{\"ssrc\":1,\"report_blocks\":[{\"ia_jitter\":1.5}]}", Reason.WRONG_SHAPE,
                        "report_blocks[0].ia_jitter: not an integer: 1.5"));
    }

    @ParameterizedTest
    @MethodSource("wrongShapes")
    void refusesJsonOfTheWrongShape(String json, Reason reason, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(RtcpDecodeException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).startsWith(message);
        });
    }

    @Test
    void deepNestingIsRefusedNotFollowed() {
        String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThatThrownBy(() -> parse(deep)).isInstanceOfSatisfying(RtcpDecodeException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BAD_JSON));
    }
}
