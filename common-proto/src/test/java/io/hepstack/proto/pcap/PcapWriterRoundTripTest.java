package io.hepstack.proto.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writes messages with {@link PcapWriter} and reads them back with {@link PcapReader}. */
class PcapWriterRoundTripTest {
    private static final InetAddress A4 = ip("192.0.2.10");
    private static final InetAddress B4 = ip("192.0.2.20");
    private static final InetAddress A6 = ip("2001:db8::10");
    private static final InetAddress B6 = ip("2001:db8::20");
    /** Not valid UTF-8, every byte value. */
    private static final byte[] BINARY = allByteValues();

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] allByteValues() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] write(List<PcapMessage> messages) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter.write(out, messages);
        return out.toByteArray();
    }

    private static byte[] sip(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void udpOverIpv4AndIpv6ComesBackWithExactFieldsAndFrameNumbers() throws IOException {
        List<PcapMessage> sent = List.of(
                new PcapMessage(1_700_000_000_000_001L, A4, 5060, B4, 5080, Transport.UDP, sip("OPTIONS sip:a SIP/2.0\r\n\r\n")),
                new PcapMessage(1_700_000_000_999_999L, B6, 5080, A6, 5060, Transport.UDP, BINARY),
                new PcapMessage(1_700_000_001_000_000L, A4, 0, B4, 65535, Transport.UDP, new byte[0]));

        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats = PcapReader.read(new ByteArrayInputStream(write(sent)), v);

        assertThat(v.udp).containsExactly(
                new PcapPacket(1, 1_700_000_000_000_001L, A4, 5060, B4, 5080, sip("OPTIONS sip:a SIP/2.0\r\n\r\n")),
                new PcapPacket(2, 1_700_000_000_999_999L, B6, 5080, A6, 5060, BINARY),
                new PcapPacket(3, 1_700_000_001_000_000L, A4, 0, B4, 65535, new byte[0]));
        assertThat(v.udp.get(1).ipFamily()).isEqualTo(PcapPacket.FAMILY_IPV6);
        assertThat(stats.frames()).isEqualTo(3);
        assertThat(stats.skipped()).isEmpty();
    }

    @Test
    void tcpMessagesComeBackAsOneOrderedStreamPerDirection() throws IOException {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        List<PcapMessage> sent = List.of(
                new PcapMessage(10_000_001L, A4, 40000, B4, 5060, Transport.TCP, sip("INVITE ")),
                new PcapMessage(10_000_002L, B4, 5060, A4, 40000, Transport.TCP, sip("SIP/2.0 100 Trying")),
                new PcapMessage(10_000_003L, A4, 40000, B4, 5060, Transport.TCP, big),
                new PcapMessage(10_000_004L, A6, 40000, B6, 5060, Transport.TCP, BINARY),
                new PcapMessage(10_000_005L, A4, 40000, B4, 5060, Transport.TCP, sip("ACK")));

        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats = PcapReader.read(new ByteArrayInputStream(write(sent)), v);

        FlowKey forward = new FlowKey(A4, 40000, B4, 5060);
        byte[] expected = CaptureBytes.concat(sip("INVITE "), big, sip("ACK"));
        assertThat(v.stream(forward)).isEqualTo(expected);
        assertThat(v.stream(forward.reversed())).isEqualTo(sip("SIP/2.0 100 Trying"));
        assertThat(v.stream(new FlowKey(A6, 40000, B6, 5060))).isEqualTo(BINARY);
        // the 100,000-byte message is two segments (65,495 + 34,505 bytes), frames 3 and 4, same timestamp
        assertThat(v.chunkTimes).extracting(t -> t[0] + "/" + t[1] + "/" + t[2]).containsExactly(
                "10000001/1/7", "10000002/2/18", "10000003/3/65495", "10000003/4/34505", "10000004/5/256",
                "10000005/6/3");
        assertThat(stats.tcpSegments()).isEqualTo(6);
        assertThat(stats.tcpBytesDelivered()).isEqualTo(expected.length + 18 + 256);
        assertThat(stats.tcpGaps()).isZero();
        assertThat(stats.tcpDuplicateBytes()).isZero();
        assertThat(v.events).filteredOn(e -> e.startsWith("close"))
                .allSatisfy(e -> assertThat(e).endsWith("END_OF_CAPTURE")).hasSize(3);
    }

    @Test
    void udpPayloadBeyondOneIpDatagramIsTruncatedAndCounted() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out)) {
            w.write(new PcapMessage(1, A4, 1, B4, 2, Transport.UDP, new byte[70_000]));
            w.write(new PcapMessage(2, A6, 1, B6, 2, Transport.UDP, new byte[70_000]));
            w.write(new PcapMessage(3, A4, 1, B4, 2, Transport.UDP, new byte[65_507]));
            assertThat(w.truncatedMessages()).isEqualTo(2);
            assertThat(w.framesWritten()).isEqualTo(3);
        }
        RecordingVisitor v = new RecordingVisitor();
        PcapReader.read(new ByteArrayInputStream(out.toByteArray()), v);
        assertThat(v.udp).extracting(p -> p.payload().length).containsExactly(65_507, 65_527, 65_507);
    }

    @Test
    void writesChecksumsThatVerify() throws IOException {
        byte[] file = write(List.of(new PcapMessage(0, A4, 5060, B4, 5060, Transport.UDP, sip("x"))));
        // record at 24, record header 16, Ethernet 14: IPv4 header at 54
        int ip = 24 + 16 + 14;
        assertThat(onesComplementSum(file, ip, 20, 0)).as("IPv4 header checksum").isEqualTo(0xFFFF);
        long pseudo = onesComplementSum(file, ip + 12, 8, 0) + 17 + 9;
        assertThat(onesComplementSum(file, ip + 20, 9, pseudo)).as("UDP checksum").isEqualTo(0xFFFF);
    }

    @Test
    void rejectsMessagesMixingAddressFamilies() {
        assertThatThrownBy(() -> new PcapMessage(0, A4, 1, B6, 2, Transport.UDP, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different address families");
        assertThatThrownBy(() -> new PcapMessage(-1, A4, 1, B4, 2, Transport.UDP, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp -1 µs outside what pcap can hold (0 to 2^32 s)");
    }

    private static int onesComplementSum(byte[] b, int off, int len, long acc) {
        for (int i = 0; i < len; i += 2) {
            acc += ((b[off + i] & 0xFF) << 8) | (i + 1 < len ? b[off + i + 1] & 0xFF : 0);
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }

    @Test
    void emptyCaptureFromTheWriterReadsAsNoFrames() throws IOException {
        PcapStats stats = PcapReader.read(new ByteArrayInputStream(write(List.of())), new RecordingVisitor());
        assertThat(stats).isEqualTo(new PcapStats("pcap", 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, null));
    }
}
