package io.hepstack.proto.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Voice-quality reports in SIP (RFC 6035): the body of the RFC's session report example (section 4.7, its
 * field names and units), the same as phones write it (no space after the colon, lower-case names, a
 * decimal SSRC), what it says as RTCP, and every malformed case with its reason.
 */
class VqReportTest {

    /** Laid out as RFC 6035's example session report: local metrics, then remote ones. */
    static final String SESSION_REPORT = """
            VQSessionReport: CallTerm
            CallID: 6dg37f1890463
            LocalID: Alice <sip:alice@atlanta.example.org>
            RemoteID: Bill <sip:bill@biloxi.example.org>
            OrigID: Alice <sip:alice@atlanta.example.org>
            LocalGroup: example-phone-55671
            RemoteGroup: example-gateway-09871
            LocalAddr: IP=10.10.1.100 PORT=5000 SSRC=0x2468abcd
            LocalMAC: 00:1f:5b:cc:21:0f
            RemoteAddr: IP=11.1.1.150 PORT=5002 SSRC=0x1357efff
            RemoteMAC: 00:26:b9:0a:62:bd
            LocalMetrics:
            Timestamps: START=2004-10-10T18:23:43Z STOP=2004-10-01T18:26:02Z
            SessionDesc: PT=18 PD=G729 SR=8000 FD=20 FO=20 FPP=2 PPS=50 FMTP="annexb=no" PLC=3 SSUP=on
            JitterBuffer: JBA=3 JBR=2 JBN=40 JBM=80 JBX=120
            PacketLoss: NLR=5.0 JDR=2.0
            BurstGapLoss: BLD=0 BD=0 GLD=2.0 GD=500 GMIN=16
            Delay: RTD=200 ESD=140 SOWD=200 IAJ=2 MAJ=10
            Signal: SL=-21 NL=-50 RERL=55
            QualityEst: RLQ=66 RCQ=67 EXTRI=0 MOSLQ=3.0 MOSCQ=3.5 QoEEstAlg=P.564
            RemoteMetrics:
            Timestamps: START=2004-10-10T18:23:43Z STOP=2004-10-01T18:26:02Z
            SessionDesc: PT=18 PD=G729 SR=8000 FD=20 FO=20 FPP=2 PPS=50 FMTP="annexb=no" PLC=3 SSUP=on
            JitterBuffer: JBA=3 JBR=2 JBN=40 JBM=80 JBX=120
            PacketLoss: NLR=0.0 JDR=0.0
            Delay: RTD=200 ESD=140 SOWD=200 IAJ=16 MAJ=10
            QualityEst: RLQ=85 RCQ=85 MOSLQ=4.1 MOSCQ=4.0
            DialogID: 1890463548@alice.example.org;to-tag=8472761;from-tag=9123dh311
            """.replace("\n", "\r\n");

    @Test
    void readsTheSessionReport() throws Exception {
        VqReport r = VqReport.parse(SESSION_REPORT.getBytes(StandardCharsets.UTF_8));
        assertThat(r.kind()).isEqualTo("CallTerm");
        assertThat(r.callId()).isEqualTo("6dg37f1890463");
        assertThat(r.local()).isEqualTo(new VqReport.Endpoint("10.10.1.100", 5000, 0x2468abcdL));
        assertThat(r.remote().address()).isEqualTo("11.1.1.150:5002");
        VqReport.Metrics local = r.localMetrics();
        assertThat(local.codec()).isEqualTo("G729");
        assertThat(local.clockRate()).isEqualTo(8000);
        assertThat(local.lossPercent()).isEqualTo(5.0);
        assertThat(local.discardPercent()).isEqualTo(2.0);
        assertThat(local.roundTripMs()).isEqualTo(200);
        assertThat(local.endSystemMs()).isEqualTo(140);
        assertThat(local.jitterMs()).isEqualTo(2.0);
        assertThat(local.jitterBufferMs()).isEqualTo(40);
        assertThat(local.rFactor()).isEqualTo(66);
        assertThat(local.mosLq()).isEqualTo(3.0);
        assertThat(local.mosCq()).isEqualTo(3.5);
        assertThat(r.remoteMetrics().mosLq()).isEqualTo(4.1);
        assertThat(r.codec()).isEqualTo(Codec.G729);
    }

    @Test
    void saysAsRtcpWhatEachEndReceived() throws Exception {
        RtcpReport rtcp = VqReport.parse(SESSION_REPORT.getBytes(StandardCharsets.UTF_8)).toRtcp();
        assertThat(rtcp.reports()).hasSize(2);
        RtcpReport.SenderOrReceiver byLocal = rtcp.reports().get(0);
        assertThat(byLocal.ssrc()).isEqualTo(0x2468abcdL); // the reporter measured the remote end's stream
        ReportBlock b = byLocal.blocks().get(0);
        assertThat(b.sourceSsrc()).isEqualTo(0x1357efffL);
        assertThat(b.lossPercent()).isCloseTo(5.0, within(0.2)); // 13/256
        assertThat(b.jitterMs(8000)).isEqualTo(2.0);
        assertThat(rtcp.reports().get(1).ssrc()).isEqualTo(0x1357efffL); // the remote end's own section
        assertThat(rtcp.reports().get(1).blocks().get(0).jitterMs(8000)).isEqualTo(16.0);
        VoipMetrics xr = rtcp.voip().get(0).metrics();
        assertThat(xr.roundTripDelayMs()).isEqualTo(200);
        assertThat(xr.mosLq()).isEqualTo(3.0);
        assertThat(xr.rFactor()).isEqualTo(66);
    }

    @Test
    void aCallSumsUpTheReportLikeRtcp() throws Exception {
        VqReport vq = VqReport.parse(SESSION_REPORT.getBytes(StandardCharsets.UTF_8));
        CallMedia.Summary s = CallMedia.summarize(java.util.List.of(new CallMedia.Report(1_000_000L,
                vq.local().address(), vq.remote().address(), vq.callId(), vq.toRtcp())), Codec.G729, MediaThresholds.DEFAULTS);
        assertThat(s.streams()).hasSize(2);
        CallMedia.Stream received = s.streams().get(0);
        assertThat(received.from()).isEqualTo("11.1.1.150:5002");
        assertThat(received.to()).isEqualTo("10.10.1.100:5000");
        assertThat(received.rttMs()).isEqualTo(200.0); // no LSR: the round trip the report measured
        assertThat(received.reportedMos()).isEqualTo(3.0);
        assertThat(s.verdicts()).extracting(CallMedia.Verdict::code).containsExactly(CallMedia.HIGH_LOSS);
    }

    @Test
    void readsWhatPhonesWrite() throws Exception {
        String body = "VQIntervalReport\ncallid:abc@host\nlocaladdr:IP=2001:db8::1 PORT=4000 SSRC=305419896\n"
                + "LocalMetrics:\nPacketLoss:NLR=1.5\nQualityEst:MOSLQ=4.2\n";
        VqReport r = VqReport.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.kind()).isEqualTo("interval");
        assertThat(r.callId()).isEqualTo("abc@host");
        assertThat(r.local().address()).isEqualTo("[2001:db8::1]:4000");
        assertThat(r.local().ssrc()).isEqualTo(305419896L);
        assertThat(r.remote().address()).isNull();
        assertThat(r.remoteMetrics()).isNull();
        assertThat(r.localMetrics().mosLq()).isEqualTo(4.2);
        assertThat(r.localMetrics().roundTripMs()).isNull();
        assertThat(r.codec()).isNull();
        // an end without an SSRC is named by its port
        assertThat(r.toRtcp().reports().get(0).blocks().get(0).sourceSsrc()).isZero();
    }

    @Test
    void knowsItsContentType() {
        assertThat(VqReport.isVqContentType("application/vq-rtcpxr")).isTrue();
        assertThat(VqReport.isVqContentType("Application/VQ-RTCPXR; charset=utf-8")).isTrue();
        assertThat(VqReport.isVqContentType("application/sdp")).isFalse();
        assertThat(VqReport.isVqContentType(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "LocalAddr: IP=1.2.3.4 PORT=1\\nLocalMetrics:\\nPacketLoss: NLR=1| no CallID line",
            "CallID: x\\nLocalMetrics:\\nPacketLoss: NLR=1| no LocalAddr line",
            "CallID: x\\nLocalAddr: IP=1.2.3.4 PORT=1| neither LocalMetrics nor RemoteMetrics",
            "CallID: x\\nLocalAddr: IP=1.2.3.4 PORT=1\\nLocalMetrics:\\nPacketLoss: NLR=five| NLR=five is not a number",
            "CallID: x\\nLocalAddr: IP=1.2.3.4 PORT=1\\nLocalMetrics:\\nQualityEst: MOSLQ=NaN| MOSLQ=NaN is not a number",
            "CallID: x\\nLocalAddr: IP=1.2.3.4 PORT=port\\nLocalMetrics:| line 2: a PORT or SSRC that is not a number",
            "CallID: x\\nLocalAddr: IP=1.2.3.4 PORT=70000\\nLocalMetrics:| line 2: PORT or SSRC out of range",
            "CallID: x\\nLocalAddr: IP=1.2.3.4 SSRC=0x1ffffffff\\nLocalMetrics:| line 2: PORT or SSRC out of range",
            "CallID: x\\nno colon here| line 2 has no name",
    })
    void refusesWhatDoesNotRead(String body, String detail) {
        assertThatThrownBy(() -> VqReport.parse(body.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RtcpDecodeException.class)
                .hasMessageContaining(detail.strip())
                .satisfies(e -> assertThat(((RtcpDecodeException) e).reason()).isEqualTo(RtcpDecodeException.Reason.BAD_VQ_REPORT));
    }

    @Test
    void refusesABodyTooLong() {
        byte[] body = ("CallID: x\n" + "X: y\n".repeat(4000)).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> VqReport.parse(body)).isInstanceOf(RtcpDecodeException.class)
                .hasMessageContaining("longer than 16384");
    }
}
