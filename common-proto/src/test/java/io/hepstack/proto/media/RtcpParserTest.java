package io.hepstack.proto.media;

import io.hepstack.proto.media.RtcpDecodeException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Binary RTCP: every field where RFC 3550 and RFC 3611 put it, round trips, and every malformed case by reason. */
class RtcpParserTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** A receiver report written out by hand from RFC 3550 section 6.4.2, independent of the writer. */
    static final String RR = "81c90007 12345678 9abcdef0 4000000a 00010020 00000050 abcd1234 00018000";

    @Test
    void readsEveryFieldOfAReceiverReport() throws Exception {
        RtcpReport r = RtcpParser.parse(hex(RR));
        assertThat(r.reports()).singleElement().satisfies(rr -> {
            assertThat(rr.packetType()).isEqualTo(201);
            assertThat(rr.ssrc()).isEqualTo(0x12345678L);
            assertThat(rr.sender()).isNull();
            assertThat(rr.blocks()).singleElement().isEqualTo(
                    new ReportBlock(0x9abcdef0L, 64, 10, 0x10020, 0x50, 0xabcd1234L, 0x18000));
        });
        ReportBlock b = r.reports().get(0).blocks().get(0);
        assertThat(b.lossPercent()).isEqualTo(25.0);
        assertThat(b.jitterMs(8000)).isEqualTo(10.0);
        assertThat(r.voip()).isEmpty();
        assertThat(r.cname()).isNull();
    }

    @Test
    void readsASenderReportWithItsCnameAndVoipMetricsAndSkipsByeAndApp() throws Exception {
        long wallclock = 1_765_000_000_123_456L;
        RtcpReport written = new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(0xAAAA_0001L,
                new SenderInfo(wallclock, 160_000, 500, 80_000),
                List.of(new ReportBlock(0xBBBB_0002L, 13, 42, 70_000, 120, 0x1234_5678L, 65_536),
                        new ReportBlock(0xCCCC_0003L, 255, -3, 12, 0, 0, 0)))),
                List.of(new RtcpReport.Extended(0xAAAA_0001L, new VoipMetrics(0xBBBB_0002L, 26, 5, 60, 2, 40, 900, 180,
                        60, 82, 4.1, 3.9, 40))),
                "alice@10.0.0.1");
        byte[] bytes = RtcpWriter.write(written);
        byte[] bye = hex("81cb0001 aaaa0001");
        byte[] app = hex("80cc0002 aaaa0001 74657374"); // APP "test"
        byte[] compound = concat(bytes, bye, app);
        assertThat(RtcpParser.parse(compound)).isEqualTo(written);
        assertThat(RtcpParser.parse(bytes).reports().get(0).sender().wallclockMicros()).isEqualTo(wallclock);
    }

    @Test
    void aNegativeCumulativeLossIsReadAsSigned24Bits() throws Exception {
        RtcpReport r = RtcpParser.parse(hex("81c90007 00000001 00000002 00fffffb 00000000 00000000 00000000 00000000"));
        assertThat(r.reports().get(0).blocks().get(0).cumulativeLost()).isEqualTo(-5);
    }

    @Test
    void roundTripTimeFromLsrAndDlsr() {
        long arrival = 1_765_000_000_000_000L;
        long lsr = Ntp.middle32(arrival - 350_000); // the sender report left 350 ms before this one arrived
        ReportBlock b = new ReportBlock(1, 0, 0, 0, 0, lsr, 6554); // held 100 ms by the reporter
        assertThat(b.roundTripMs(arrival)).isCloseTo(250.0, within(0.1));
        assertThat(new ReportBlock(1, 0, 0, 0, 0, 0, 0).roundTripMs(arrival)).as("no sender report yet").isNull();
        assertThat(new ReportBlock(1, 0, 0, 0, 0, Ntp.middle32(arrival + 5_000_000), 0).roundTripMs(arrival))
                .as("a report from the future: clocks apart, not a round trip").isNull();
    }

    @Test
    void tellsBinaryRtcpFromJson() {
        assertThat(RtcpParser.looksLikeRtcp(hex(RR))).isTrue();
        assertThat(RtcpParser.looksLikeRtcp("{\"type\":200}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(RtcpParser.looksLikeRtcp(hex("8000"))).isFalse();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("81c9", Reason.TRUNCATED, "2 bytes, less than an RTCP header (4)"),
                Arguments.of(RR.replace("81c9", "41c9"), Reason.BAD_VERSION, "packet at 0: version 1 (expected: 2)"),
                Arguments.of("81c90007 12345678 9abcdef0", Reason.LENGTH_PAST_END,
                        "packet at 0 (type 201): length 32 bytes runs past the end (12 left)"),
                Arguments.of(RR.replace("81c9", "82c9"), Reason.BLOCKS_PAST_END,
                        "packet at 0 (RR): 2 report blocks need 56 bytes, the packet has 32"),
                Arguments.of("80c80001 00000001", Reason.TRUNCATED, "packet at 0 (SR): 8 bytes, less than its fixed part (28)"),
                Arguments.of(RR + " 81c9", Reason.TRUNCATED, "packet at 32: 2 bytes left, less than an RTCP header (4)"),
                Arguments.of("80cf0003 00000001 07000007 00000002", Reason.BAD_XR_BLOCK,
                        "XR block at 8 (type 7): length 32 bytes runs past its packet (8 left)"),
                Arguments.of("80cf0003 00000001 07000000 00000002", Reason.BAD_XR_BLOCK,
                        "XR block at 8 (VoIP metrics): length 4 bytes (expected: 36)"),
                Arguments.of("80cf000a 00000001 06e00008 00000002 00640096 00000005 00000001 00000008 00000050 00000010 "
                        + "00000004", Reason.BAD_XR_BLOCK, "XR block at 8 (statistics summary): length 36 bytes (expected: 40)"),
                Arguments.of("81cb0001 aaaa0001", Reason.NO_REPORT, "no sender, receiver, VoIP metrics or statistics summary report in 8 bytes"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedReportsWithAPreciseReason(String bytes, Reason reason, String message) {
        assertThatThrownBy(() -> RtcpParser.parse(hex(bytes)))
                .isInstanceOfSatisfying(RtcpDecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.summary()).isEqualTo(reason.code() + ": " + message);
                });
    }

    @Test
    void aCnameOfBytesThatAreNotUtf8IsCutToWhatAnItemHolds() throws Exception {
        // an SR with an SDES CNAME of 255 bytes 0xff: each reads as U+FFFD (3 bytes in UTF-8), 765 bytes written again
        String sdes = "81ca0042 aaaa0001 01ff" + "ff".repeat(255) + "000000";
        RtcpReport r = RtcpParser.parse(concat(hex("80c80006 aaaa0001 00000000 00000000 00000000 00000000 00000000"), hex(sdes)));
        assertThat(r.cname()).hasSize(85).matches("\uFFFD+");
        assertThat(RtcpParser.parse(RtcpWriter.write(r))).isEqualTo(r);
    }

    @Test
    void readsAStatisticsSummaryBlockByItsFlags() throws Exception {
        // RFC 3611 section 4.6, written by hand: L, D and J set; sequence numbers 100 to 150 (50 expected), 5 lost,
        // 1 duplicate, jitter 8/80/16/4 (min, max, mean, deviation); no TTL
        RtcpReport r = RtcpParser.parse(hex("80cf000b 00000001 06e00009 00000002 00640096 00000005 00000001 00000008 "
                + "00000050 00000010 00000004 00000000"));
        assertThat(r.reports()).isEmpty();
        assertThat(r.summaries()).containsExactly(new RtcpReport.Summary(1, new StatisticsSummary(2, 100, 150, 5L, 1L, 8L, 80L,
                16L, 4L)));
        StatisticsSummary st = r.summaries().get(0).stats();
        assertThat(st.expected()).isEqualTo(50);
        assertThat(st.lossPercent()).isEqualTo(10.0);
        assertThat(RtcpParser.parse(RtcpWriter.write(r))).isEqualTo(r);
        // only L: the other measures were not counted; a sequence wrapping at 2^16
        StatisticsSummary lossOnly = RtcpParser.parse(hex("80cf000b 00000001 06800009 00000002 fff00010 00000002 00000009 "
                + "00000008 00000050 00000010 00000004 00000000")).summaries().get(0).stats();
        assertThat(lossOnly).isEqualTo(new StatisticsSummary(2, 0xfff0, 0x10, 2L, null, null, null, null, null));
        assertThat(lossOnly.expected()).isEqualTo(32);
        assertThat(lossOnly.lossPercent()).isEqualTo(6.25);
        assertThat(RtcpParser.parse(RtcpWriter.write(new RtcpReport(List.of(), List.of(), null,
                List.of(new RtcpReport.Summary(1, lossOnly))))).summaries().get(0).stats()).isEqualTo(lossOnly);
    }

    @Test
    void otherExtendedReportBlocksAreSkippedByTheirLength() throws Exception {
        // a receiver reference time block (type 4, 2 words) before a VoIP metrics block
        RtcpReport voip = new RtcpReport(List.of(), List.of(new RtcpReport.Extended(1, new VoipMetrics(2, 0, 0, 0, 0, 0, 0,
                null, null, null, null, null, 0))), null);
        byte[] only = RtcpWriter.write(voip);
        byte[] withRrt = concat(hex("80cf000d 00000001 04000002 00000000 00000000"), java.util.Arrays.copyOfRange(only, 8, only.length));
        assertThat(RtcpParser.parse(withRrt)).isEqualTo(voip);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
