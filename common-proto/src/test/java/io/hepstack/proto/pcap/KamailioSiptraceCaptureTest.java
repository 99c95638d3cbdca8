package io.hepstack.proto.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Reads the real Kamailio siptrace captures (see fixtures/kamailio-siptrace/README.md). */
class KamailioSiptraceCaptureTest {
    private static final Pattern SIP_START = Pattern.compile(
            "^(SIP/2\\.0 |(INVITE|ACK|BYE|CANCEL|OPTIONS|REGISTER|PRACK|SUBSCRIBE|NOTIFY|PUBLISH|INFO|REFER|MESSAGE|UPDATE) )");

    private static RecordingVisitor read(String name, PcapStats[] stats) throws IOException {
        RecordingVisitor v = new RecordingVisitor();
        try (InputStream in = KamailioSiptraceCaptureTest.class.getResourceAsStream("/fixtures/kamailio-siptrace/" + name)) {
            assertThat(in).as(name).isNotNull();
            stats[0] = PcapReader.read(in, v);
        }
        return v;
    }

    @Test
    void readsAll580HepDatagramsToPort9060() throws IOException {
        PcapStats[] stats = new PcapStats[1];
        RecordingVisitor v = read("hep.pcap", stats);

        assertThat(v.udp).hasSize(580);
        assertThat(v.udp).allSatisfy(p -> {
            assertThat(p.dstPort()).isEqualTo(9060);
            assertThat(new String(p.payload(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("HEP3");
        });
        assertThat(v.udp).extracting(PcapPacket::frameNumber).startsWith(1L, 2L, 3L).endsWith(580L);
        assertThat(stats[0]).isEqualTo(new PcapStats("pcap", 580, 580, 0, 0, 0, java.util.Map.of(), 0, 0, 0, 0, 0, null));
        assertThat(v.events).isEmpty();
    }

    @Test
    void decodesFirstHepDatagramFieldByField() throws IOException {
        RecordingVisitor v = read("hep.pcap", new PcapStats[1]);
        PcapPacket first = v.udp.get(0);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");

        assertThat(first.frameNumber()).isEqualTo(1);
        assertThat(first.timestampMicros()).isEqualTo(1_795_375_683_366_405L);
        assertThat(first.ipFamily()).isEqualTo(PcapPacket.FAMILY_IPV4);
        assertThat(first.ipProto()).isEqualTo(17);
        assertThat(first.srcIp()).isEqualTo(loopback);
        assertThat(first.srcPort()).isEqualTo(5060);
        assertThat(first.dstIp()).isEqualTo(loopback);
        assertThat(first.dstPort()).isEqualTo(9060);
        // UDP length 607 minus the 8-byte header; the HEP3 total length field (0x0257) agrees
        assertThat(first.payload()).hasSize(599);
        assertThat(first.payload()).startsWith(new byte[] {'H', 'E', 'P', '3', 0x02, 0x57});
    }

    @Test
    void sipCaptureHoldsTheSipOnTheWireAndItsHepMirror() throws IOException {
        PcapStats[] stats = new PcapStats[1];
        RecordingVisitor v = read("sip.pcap", stats);

        // sip.pcap is the whole loopback capture: the SIP between SIPp and Kamailio plus the HEP copies to 9060
        assertThat(stats[0].frames()).isEqualTo(1160);
        assertThat(v.udp).hasSize(1160);
        List<PcapPacket> sip = v.udp.stream().filter(p -> p.dstPort() != 9060).toList();
        List<PcapPacket> hep = v.udp.stream().filter(p -> p.dstPort() == 9060).toList();
        assertThat(sip).hasSize(580);
        assertThat(hep).hasSize(580);
        assertThat(sip).allSatisfy(p -> assertThat(new String(p.payload(), StandardCharsets.ISO_8859_1))
                .containsPattern(SIP_START));
        assertThat(hep).allSatisfy(p -> assertThat(p.payload()).startsWith('H', 'E', 'P', '3'));
        assertThat(sip.get(0).timestampMicros()).isEqualTo(1_795_375_683_366_178L);
        assertThat(sip.get(0).srcPort()).isEqualTo(5080);
        assertThat(sip.get(0).dstPort()).isEqualTo(5060);
    }
}
