package io.hepstack.tools.e2e;

import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.pcap.PcapMessage;
import io.hepstack.proto.pcap.PcapWriter;
import io.hepstack.proto.pcap.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LoopbackCapture#read}, on captures written with common-proto's {@link PcapWriter}: a proxy at
 * port 5060 relaying one call's INVITE (SIP over UDP), mirroring it as HEP3 over TCP to a balancer at
 * 9060, which forwards to a collector at 9070. The proxy's own 100 Trying has no HEP copy: the shape of
 * Kamailio's now-and-then shortfall that {@code LoadBalancedStackIT} must tell from a loss in the balancer.
 */
class LoopbackCaptureTest {

    static final InetAddress LO = InetAddress.getLoopbackAddress();
    static final int PROXY = 5060;
    static final int UAC = 5061;
    static final int UAS = 5062;
    static final int BALANCER = 9060;
    static final int COLLECTOR = 9070;

    @TempDir
    Path dir;

    @Test
    void countsHepPerCallIdByDestinationAndFindsTheSipMessageWithNoHepCopy() throws Exception {
        byte[] inviteIn = sip("INVITE sip:bob@127.0.0.1 SIP/2.0", "c-1", "1 INVITE");
        byte[] trying = sip("SIP/2.0 100 Trying", "c-1", "1 INVITE");
        byte[] inviteOut = sip("INVITE sip:bob@127.0.0.1 SIP/2.0", "c-1", "1 INVITE");
        byte[] hepIn = hep(inviteIn, UAC, PROXY);
        byte[] hepOut = hep(inviteOut, PROXY, UAS);
        List<PcapMessage> capture = new ArrayList<>(List.of(
                udp(inviteIn, UAC, PROXY), udp(trying, PROXY, UAC), udp(inviteOut, PROXY, UAS),
                // proxy -> balancer: the two frames in one segment; balancer -> collector: the second split
                tcp(concat(hepIn, hepOut), 40000, BALANCER),
                tcp(concat(hepIn, Arrays.copyOf(hepOut, 7)), 41000, COLLECTOR),
                tcp(Arrays.copyOfRange(hepOut, 7, hepOut.length), 41000, COLLECTOR),
                udp(sip("OPTIONS sip:warmup@127.0.0.1 SIP/2.0", "warmup-1", "1 OPTIONS"), 5999, PROXY)));

        LoopbackCapture.Traffic t = LoopbackCapture.read(write(capture));

        assertThat(t.hepTo(BALANCER, "c-")).isEqualTo(Map.of("c-1", 2L));
        assertThat(t.hepTo(COLLECTOR, "c-")).isEqualTo(Map.of("c-1", 2L));
        assertThat(t.hepTo(PROXY, "c-")).isEmpty();
        assertThat(t.sipAt(PROXY, "c-")).isEqualTo(Map.of("c-1", 3L));
        assertThat(t.sipTo(PROXY, "c-")).isEqualTo(Map.of("c-1", 1L));
        assertThat(t.sipAt(PROXY, "warmup-")).isEqualTo(Map.of("warmup-1", 1L));
        assertThat(t.notMirrored("c-", BALANCER, PROXY)).isEqualTo(Map.of("c-1", List.of("100/INVITE 5060>5061")));
        assertThat(t.notMirrored("c-", COLLECTOR, PROXY)).isEqualTo(Map.of("c-1", List.of("100/INVITE 5060>5061")));
    }

    @Test
    void matchesACopyByDirectionNotJustByStartLine() throws Exception {
        byte[] inviteIn = sip("INVITE sip:bob@127.0.0.1 SIP/2.0", "c-2", "1 INVITE");
        byte[] inviteOut = sip("INVITE sip:bob@127.0.0.1 SIP/2.0", "c-2", "1 INVITE");
        List<PcapMessage> capture = List.of(udp(inviteIn, UAC, PROXY), udp(inviteOut, PROXY, UAS),
                tcp(hep(inviteIn, UAC, PROXY), 40000, BALANCER));

        LoopbackCapture.Traffic t = LoopbackCapture.read(write(capture));

        assertThat(t.notMirrored("c-", BALANCER, PROXY)).isEqualTo(Map.of("c-2", List.of("INVITE 5060>5062")));
    }

    /** The run of issue 21 that stored 12 rows for one call: Kamailio never sent that call's 180 to the uac. */
    @Test
    void readsTheCaptureOfA180KamailioDidNotRelay() throws Exception {
        Path file = dir.resolve("capture.pcap");
        try (var in = getClass().getResourceAsStream("/fixtures/lb-kamailio-180-not-relayed/capture.pcap")) {
            Files.copy(in, file);
        }
        int kamailio = 39473;
        int nginx = 45529;
        int collector = 43383;
        String call = "lb-1-6348@127.0.0.1";

        LoopbackCapture.Traffic t = LoopbackCapture.read(file);

        assertThat(t.sipAt(kamailio, "lb-")).hasSize(10).containsEntry(call, 12L)
                .allSatisfy((id, n) -> assertThat(n).isEqualTo(id.equals(call) ? 12L : 13L));
        assertThat(t.sipTo(kamailio, "lb-")).hasSize(10).allSatisfy((id, n) -> assertThat(n).isEqualTo(6L));
        assertThat(t.hepTo(nginx, "lb-")).isEqualTo(t.sipAt(kamailio, "lb-"));
        assertThat(t.hepTo(collector, "lb-")).isEqualTo(t.sipAt(kamailio, "lb-"));
        assertThat(t.notMirrored("lb-", nginx, kamailio)).isEmpty();
        List<String> datagrams = new ArrayList<>();
        t.sip().forEach((flow, ms) -> ms.stream().filter(m -> m.callId().equals(call)).forEach(m -> datagrams.add(m.what())));
        assertThat(datagrams).contains("180/INVITE 33455>39473", "200/INVITE 39473>43283")
                .doesNotContain("180/INVITE 39473>43283");
    }

    @Test
    void refusesACaptureWhoseTcpStreamIsNotHep() throws Exception {
        List<PcapMessage> capture = List.of(tcp("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 40000, BALANCER));

        assertThatThrownBy(() -> LoopbackCapture.read(write(capture)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("cannot be read whole");
    }

    private Path write(List<PcapMessage> messages) throws Exception {
        Path file = dir.resolve("capture.pcap");
        try (OutputStream out = Files.newOutputStream(file)) {
            PcapWriter.write(out, messages);
        }
        return file;
    }

    private static byte[] sip(String startLine, String callId, String cseq) {
        return (startLine + "\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + UAC + ";branch=z9hG4bK-" + callId + "\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a\r\n"
                + "To: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + "\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** HEP3 as Kamailio's siptrace writes it: the mirrored message's own addresses and ports, capture id 2001. */
    private static byte[] hep(byte[] sip, int srcPort, int dstPort) {
        return HepEncoder.encode(new HepPacket(3, 2, 17, LO, LO, srcPort, dstPort, 1_700_000_000L, 0, 1, 2001,
                null, null, null, null, sip, false, List.of()));
    }

    private static PcapMessage udp(byte[] payload, int srcPort, int dstPort) {
        return new PcapMessage(1_700_000_000_000_000L, LO, srcPort, LO, dstPort, Transport.UDP, payload);
    }

    private static PcapMessage tcp(byte[] payload, int srcPort, int dstPort) {
        return new PcapMessage(1_700_000_000_000_000L, LO, srcPort, LO, dstPort, Transport.TCP, payload);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
