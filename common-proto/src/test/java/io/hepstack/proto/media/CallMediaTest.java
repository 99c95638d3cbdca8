package io.hepstack.proto.media;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A call's streams and verdicts from crafted reports of known loss, jitter and silence. */
class CallMediaTest {

    static final long T0 = 1_765_000_000_000_000L;
    static final String CALLER = "10.0.0.10:30000";
    static final String CALLEE = "10.0.0.30:40000";
    static final long CALLER_SSRC = 0x1111;
    static final long CALLEE_SSRC = 0x2222;

    /** A receiver report by {@code reporter} about {@code source}, with a loss fraction (of 256) and jitter (8 kHz units). */
    static CallMedia.Report rr(long at, String reporter, String peer, long reporterSsrc, long source, int fraction, long jitter) {
        List<ReportBlock> blocks = source < 0 ? List.of() : List.of(new ReportBlock(source, fraction, fraction, 100, jitter, 0, 0));
        return new CallMedia.Report(at, reporter, peer, "call@test",
                new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(reporterSsrc, null, blocks)), List.of(), null));
    }

    @Test
    void aCleanCallHasTwoGoodStreamsAndNoVerdict() {
        List<CallMedia.Report> reports = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            reports.add(rr(T0 + i * 5_000_000L, CALLEE, CALLER, CALLEE_SSRC, CALLER_SSRC, 0, 40)); // 5 ms jitter
            reports.add(rr(T0 + i * 5_000_000L + 1, CALLER, CALLEE, CALLER_SSRC, CALLEE_SSRC, 0, 24));
        }
        CallMedia.Summary s = CallMedia.summarize(reports, Codec.PCMU, MediaThresholds.DEFAULTS);
        assertThat(s.reports()).isEqualTo(12);
        assertThat(s.streams()).hasSize(2);
        CallMedia.Stream toCallee = s.streams().get(0);
        assertThat(toCallee.from()).isEqualTo(CALLER);
        assertThat(toCallee.to()).isEqualTo(CALLEE);
        assertThat(toCallee.sourceSsrc()).isEqualTo(CALLER_SSRC);
        assertThat(toCallee.reports()).isEqualTo(6);
        assertThat(toCallee.jitterMs()).isEqualTo(5.0);
        assertThat(toCallee.lossPercent()).isZero();
        // G.711, no loss, 20 + 10 ms of delay: just below the E-model's best (4.41), by the talker echo of 30 ms
        assertThat(toCallee.mos()).isCloseTo(4.39, within(0.005));
        assertThat(toCallee.series()).hasSize(6);
        assertThat(s.verdicts()).isEmpty();
    }

    @Test
    void packetsExpectedAndReceivedBetweenTheFirstAndTheLastReport() {
        List<CallMedia.Report> reports = new ArrayList<>();
        long[][] seqAndLost = {{1_000, 10}, {1_250, 20}, {1_500, 35}};
        for (int i = 0; i < seqAndLost.length; i++) {
            reports.add(new CallMedia.Report(T0 + i * 5_000_000L, CALLEE, CALLER, "call@test", new RtcpReport(List.of(
                    new RtcpReport.SenderOrReceiver(CALLEE_SSRC, null, List.of(new ReportBlock(CALLER_SSRC, 10,
                            (int) seqAndLost[i][1], seqAndLost[i][0], 40, 0, 0)))), List.of(), null)));
        }
        CallMedia.Stream st = CallMedia.summarize(reports, Codec.PCMU, MediaThresholds.DEFAULTS).streams().get(0);
        assertThat(st.packetsExpected()).isEqualTo(500);
        assertThat(st.packetsReceived()).as("500 sent, 25 of them lost").isEqualTo(475);
        assertThat(st.packetsLost()).isEqualTo(35);
        // one report: nothing to count between
        CallMedia.Stream one = CallMedia.summarize(reports.subList(0, 1), Codec.PCMU, MediaThresholds.DEFAULTS).streams().get(0);
        assertThat(one.packetsExpected()).isNull();
        assertThat(one.packetsReceived()).isNull();
    }

    @Test
    void lossAndJitterAboveTheThresholdsAreSaidInWords() {
        List<CallMedia.Report> reports = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            reports.add(rr(T0 + i * 5_000_000L, CALLEE, CALLER, CALLEE_SSRC, CALLER_SSRC, 26, 640)); // 10 %, 80 ms
        }
        CallMedia.Summary s = CallMedia.summarize(reports, Codec.PCMA, MediaThresholds.DEFAULTS);
        assertThat(s.verdicts()).extracting(CallMedia.Verdict::code).containsExactly("high_loss", "high_jitter");
        assertThat(s.verdicts().get(0).text())
                .isEqualTo("10.0.0.10:30000 → 10.0.0.30:40000: 10.2 % of packets lost on average (worst 10.2 %; above 5.0 %)");
        assertThat(s.verdicts().get(1).text()).isEqualTo("10.0.0.10:30000 → 10.0.0.30:40000: jitter up to 80 ms (above 50 ms)");
        assertThat(s.verdicts().get(0).stream()).isZero();
        assertThat(s.streams().get(0).mos()).isLessThan(3.5);
    }

    @Test
    void aSideThatReceivesNothingWhileTheOtherDoesIsOneWayAudio() {
        List<CallMedia.Report> reports = new ArrayList<>();
        for (int i = 0; i < 9; i++) { // 40 s: the caller's reports never have a block, the callee receives fine
            reports.add(rr(T0 + i * 5_000_000L, CALLER, CALLEE, CALLER_SSRC, -1, 0, 0));
            reports.add(rr(T0 + i * 5_000_000L + 1, CALLEE, CALLER, CALLEE_SSRC, CALLER_SSRC, 0, 16));
        }
        CallMedia.Summary s = CallMedia.summarize(reports, Codec.PCMU, MediaThresholds.DEFAULTS);
        assertThat(s.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.code()).isEqualTo("one_way_audio");
            assertThat(v.text()).isEqualTo("10.0.0.10:30000 received no media from 10.0.0.30:40000 (9 reports over 40 s), "
                    + "while media flowed the other way: one-way audio");
        });
    }

    @Test
    void everyPacketLostIsOneWayAudioToo() {
        CallMedia.Summary s = CallMedia.summarize(List.of(rr(T0, CALLEE, CALLER, CALLEE_SSRC, CALLER_SSRC, 255, 0)),
                Codec.PCMU, MediaThresholds.DEFAULTS);
        assertThat(s.verdicts()).extracting(CallMedia.Verdict::code).containsExactly("one_way_audio");
    }

    @Test
    void noReportAtAllIsSaid() {
        CallMedia.Summary s = CallMedia.summarize(List.of(), Codec.PCMU, MediaThresholds.DEFAULTS);
        assertThat(s.streams()).isEmpty();
        assertThat(s.verdicts()).extracting(CallMedia.Verdict::code).containsExactly("no_media_reports");
    }

    @Test
    void theExtendedReportsOwnMosIsKeptBesideTheComputedOne() {
        RtcpReport withXr = new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(CALLEE_SSRC, null,
                List.of(new ReportBlock(CALLER_SSRC, 0, 0, 1, 8, 0, 0)))),
                List.of(new RtcpReport.Extended(CALLEE_SSRC, new VoipMetrics(CALLER_SSRC, 0, 0, 0, 0, 0, 0, null, null, 90,
                        4.3, 4.2, 40))), null);
        CallMedia.Summary s = CallMedia.summarize(List.of(new CallMedia.Report(T0, CALLEE, CALLER, null, withXr)),
                Codec.PCMU, MediaThresholds.DEFAULTS);
        assertThat(s.streams().get(0).reportedMos()).isEqualTo(4.3);
    }

    @Test
    void codecsFromSdpFormats() {
        assertThat(Codec.ofSdp("PCMA/8000")).isEqualTo(Codec.PCMA);
        assertThat(Codec.ofSdp("opus/48000/2")).isEqualTo(Codec.OPUS);
        assertThat(Codec.ofSdp("18")).isEqualTo(Codec.G729);
        assertThat(Codec.ofSdp("telephone-event/8000")).isNull();
        assertThat(Codec.ofSdp("101")).isNull();
    }
}
