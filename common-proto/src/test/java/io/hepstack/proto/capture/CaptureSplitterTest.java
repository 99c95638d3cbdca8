package io.hepstack.proto.capture;

import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.pcap.FlowKey;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureSplitterTest {

    private static final class Found implements CaptureSplitter.Listener {
        final List<byte[]> hep = new ArrayList<>();
        final List<byte[]> sip = new ArrayList<>();
        final List<Integer> sipProto = new ArrayList<>();
        final List<String> skips = new ArrayList<>();

        @Override
        public void onHep(byte[] packet, long timestampMicros) {
            hep.add(packet);
        }

        @Override
        public void onSip(byte[] message, long timestampMicros, InetAddress srcIp, int srcPort, InetAddress dstIp,
                          int dstPort, int ipProto) {
            sip.add(message);
            sipProto.add(ipProto);
        }

        @Override
        public void onSkip(CaptureSplitter.Skip reason, String detail) {
            skips.add(reason.code() + ": " + detail);
        }
    }

    private static Found read(String resource) throws Exception {
        Found found = new Found();
        try (InputStream in = CaptureSplitterTest.class.getResourceAsStream(resource)) {
            PcapReader.read(in, new CaptureSplitter(found, 65535));
        }
        return found;
    }

    @Test
    void findsEveryHepDatagramOfTheKamailioCapture() throws Exception {
        Found found = read("/fixtures/kamailio-siptrace/hep.pcap");
        assertThat(found.hep).hasSize(580);
        assertThat(found.sip).isEmpty();
        assertThat(found.skips).isEmpty();
        HepDecoder decoder = new HepDecoder();
        for (byte[] p : found.hep) {
            assertThat(decoder.decode(p).protoType()).isEqualTo(1);
        }
    }

    @Test
    void findsThePlainSipAndTheHepCopiesOfTheWireCapture() throws Exception {
        Found found = read("/fixtures/kamailio-siptrace/sip.pcap");
        assertThat(found.sip).hasSize(580);
        assertThat(found.hep).hasSize(580);
        assertThat(found.sipProto).containsOnly(17);
    }

    private static final InetAddress A = ip("10.0.0.1");
    private static final InetAddress B = ip("10.0.0.2");

    @Test
    void cutsSipMessagesOutOfATcpStreamAtEverySplitPoint() {
        String one = "INVITE sip:b@x SIP/2.0\r\nCall-ID: 1\r\nContent-Length: 4\r\n\r\nabcd";
        String two = "SIP/2.0 200 OK\r\nCall-ID: 1\r\nl: 0\r\n\r\n";
        byte[] stream = ("\r\n\r\n" + one + two).getBytes(StandardCharsets.US_ASCII);
        FlowKey flow = new FlowKey(A, 5060, B, 5060);
        for (int split = 0; split <= stream.length; split++) {
            Found found = new Found();
            CaptureSplitter s = new CaptureSplitter(found, 65535);
            s.onData(flow, java.util.Arrays.copyOfRange(stream, 0, split), 1, 1);
            s.onData(flow, java.util.Arrays.copyOfRange(stream, split, stream.length), 2, 2);
            assertThat(found.sip).as("split at %d", split).extracting(b -> new String(b, StandardCharsets.US_ASCII))
                    .containsExactly(one, two);
            assertThat(found.sipProto).containsOnly(6);
        }
    }

    @Test
    void reportsAStreamWithoutContentLengthOnceAndIgnoresItsRest() {
        Found found = new Found();
        CaptureSplitter s = new CaptureSplitter(found, 65535);
        FlowKey flow = new FlowKey(A, 5060, B, 5060);
        s.onData(flow, "OPTIONS sip:b@x SIP/2.0\r\nCall-ID: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 1, 7);
        s.onData(flow, "SIP/2.0 200 OK\r\nl: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 2, 8);
        assertThat(found.sip).isEmpty();
        assertThat(found.skips).containsExactly("sip_stream_unframed: TCP " + flow
                + ", frame 7: no Content-Length or header section over 65536 bytes");
    }

    @Test
    void skipsADatagramThatIsNeitherHepNorSip() {
        Found found = new Found();
        new CaptureSplitter(found, 65535).onUdp(new PcapPacket(3, 1_000_000L, A, 4000, B, 4001,
                "HEP3 but not really".getBytes(StandardCharsets.US_ASCII)));
        assertThat(found.skips).containsExactly("neither_hep_nor_sip: UDP 10.0.0.1:4000 > 10.0.0.2:4001, 19 bytes");
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
