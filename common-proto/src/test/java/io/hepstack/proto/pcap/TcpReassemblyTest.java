package io.hepstack.proto.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TCP stream reassembly through {@link PcapReader}, on raw-IP captures of hand-built segments. */
class TcpReassemblyTest {
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH_ACK = 0x18;
    private static final int ACK = 0x10;
    private static final String CLIENT = "10.0.0.1:40000 -> 10.0.0.2:5060";
    private static final String SERVER = "10.0.0.2:5060 -> 10.0.0.1:40000";

    /** An IPv4/TCP packet between 10.0.0.1:40000 (client) and 10.0.0.2:5060 (server). */
    private static byte[] tcp(boolean fromClient, long seq, long ack, int flags, String payload) {
        return tcp(fromClient ? 1 : 2, fromClient ? 40000 : 5060, fromClient ? 2 : 1, fromClient ? 5060 : 40000,
                seq, ack, flags, payload);
    }

    private static byte[] tcp(int srcHost, int srcPort, int dstHost, int dstPort, long seq, long ack, int flags,
                              String payload) {
        byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(40 + data.length);
        b.put((byte) 0x45).put((byte) 0);                // IPv4, IHL 5, TOS 0
        b.putShort((short) (40 + data.length));         // total length
        b.putShort((short) 0).putShort((short) 0x4000); // id 0, DF
        b.put((byte) 64).put((byte) 6).putShort((short) 0); // TTL, protocol TCP, checksum (unchecked)
        b.put(new byte[] {10, 0, 0, (byte) srcHost});   // source 10.0.0.x
        b.put(new byte[] {10, 0, 0, (byte) dstHost});   // destination 10.0.0.y
        b.putShort((short) srcPort).putShort((short) dstPort);
        b.putInt((int) seq).putInt((int) ack);          // sequence, acknowledgement
        b.put((byte) 0x50).put((byte) flags);           // data offset 5 words, flags
        b.putShort((short) 0xFFFF);                     // window
        b.putShort((short) 0).putShort((short) 0);      // checksum (unchecked), urgent pointer
        b.put(data);
        return b.array();
    }

    private static RecordingVisitor read(ReassemblyLimits limits, PcapStats[] stats, byte[]... segments)
            throws IOException {
        RecordingVisitor v = new RecordingVisitor();
        PcapStats s = PcapReader.read(new ByteArrayInputStream(CaptureBytes.classicPcap(101, segments)), v, limits);
        if (stats != null) {
            stats[0] = s;
        }
        return v;
    }

    private static RecordingVisitor read(byte[]... segments) throws IOException {
        return read(ReassemblyLimits.DEFAULTS, null, segments);
    }

    @Test
    void deliversOutOfOrderSegmentsInSequenceAndTrimsRetransmissionsAndOverlaps() throws IOException {
        PcapStats[] stats = new PcapStats[1];
        RecordingVisitor v = read(ReassemblyLimits.DEFAULTS, stats,
                tcp(true, 999, 0, SYN, ""),
                tcp(true, 1005, 1, PSH_ACK, "world"),  // ahead: buffered
                tcp(true, 1000, 1, PSH_ACK, "hello"),  // fills the hole
                tcp(true, 1000, 1, PSH_ACK, "hello"),  // retransmission
                tcp(true, 1008, 1, PSH_ACK, "ldXY"),   // "ld" overlaps, "XY" is new
                tcp(true, 1012, 1, FIN | ACK, ""));

        assertThat(v.events).containsExactly(
                "data " + CLIENT + " \"hello\" #3",
                "data " + CLIENT + " \"world\" #2",
                "data " + CLIENT + " \"XY\" #5",
                "close " + CLIENT + " FIN");
        assertThat(stats[0].tcpDuplicateBytes()).isEqualTo(7);
        assertThat(stats[0].tcpBytesDelivered()).isEqualTo(12);
        assertThat(stats[0].tcpSegments()).isEqualTo(6);
        assertThat(stats[0].tcpGaps()).isZero();
    }

    @Test
    void skipsAGapOnceThePeerAcknowledgesBytesNeverCaptured() throws IOException {
        PcapStats[] stats = new PcapStats[1];
        RecordingVisitor v = read(ReassemblyLimits.DEFAULTS, stats,
                tcp(true, 1000, 5000, PSH_ACK, "abc"), // capture starts mid-stream
                tcp(true, 1010, 5000, PSH_ACK, "xyz"), // 1003..1009 never captured
                tcp(false, 5000, 1013, ACK, ""));      // the server has everything up to 1013

        assertThat(v.events).containsExactly(
                "data " + CLIENT + " \"abc\" #1",
                "gap " + CLIENT + " 7 #2",
                "data " + CLIENT + " \"xyz\" #2",
                "close " + SERVER + " END_OF_CAPTURE",
                "close " + CLIENT + " END_OF_CAPTURE");
        assertThat(stats[0].tcpGaps()).isEqualTo(1);
        assertThat(stats[0].tcpGapBytes()).isEqualTo(7);
    }

    @Test
    void flushesBufferedDataAcrossItsGapAtEndOfCapture() throws IOException {
        RecordingVisitor v = read(
                tcp(true, 1000, 0, PSH_ACK, "abc"),
                tcp(true, 1010, 0, PSH_ACK, "xyz"));

        assertThat(v.events).containsExactly(
                "data " + CLIENT + " \"abc\" #1",
                "gap " + CLIENT + " 7 #2",
                "data " + CLIENT + " \"xyz\" #2",
                "close " + CLIENT + " END_OF_CAPTURE");
    }

    @Test
    void resynchronisesWhenASegmentStartsBeyondTheBufferCap() throws IOException {
        ReassemblyLimits small = new ReassemblyLimits(16, 16, 1024, 16);
        RecordingVisitor v = read(small, null,
                tcp(true, 1000, 0, PSH_ACK, "abc"),
                tcp(true, 1100, 0, PSH_ACK, "xyz"),  // 97 bytes lost: beyond the 16-byte look-ahead
                tcp(true, 1103, 0, PSH_ACK, "!"));

        assertThat(v.events).containsExactly(
                "data " + CLIENT + " \"abc\" #1",
                "gap " + CLIENT + " 97 #2",
                "data " + CLIENT + " \"xyz\" #2",
                "data " + CLIENT + " \"!\" #3",
                "close " + CLIENT + " END_OF_CAPTURE");
    }

    @Test
    void deliversBufferedDataThenClosesOnReset() throws IOException {
        RecordingVisitor v = read(
                tcp(true, 1000, 0, PSH_ACK, "abc"),
                tcp(true, 1010, 0, PSH_ACK, "zz"),
                tcp(true, 1012, 0, RST, ""),
                tcp(true, 1000, 0, PSH_ACK, "abc")); // late retransmission after the end: ignored

        assertThat(v.events).containsExactly(
                "data " + CLIENT + " \"abc\" #1",
                "gap " + CLIENT + " 7 #2",
                "data " + CLIENT + " \"zz\" #2",
                "close " + CLIENT + " RESET");
    }

    @Test
    void followsSequenceNumbersAcrossTheirWrapAround() throws IOException {
        RecordingVisitor v = read(
                tcp(true, 0xFFFF_FFFCL, 0, SYN, ""),        // data starts at 0xfffffffd
                tcp(true, 0x0000_0000L, 0, PSH_ACK, "def"), // after the wrap: buffered
                tcp(true, 0xFFFF_FFFDL, 0, PSH_ACK, "abc"));

        assertThat(new String(v.stream(new FlowKey(ip("10.0.0.1"), 40000, ip("10.0.0.2"), 5060)),
                StandardCharsets.US_ASCII)).isEqualTo("abcdef");
        assertThat(v.events).noneMatch(e -> e.startsWith("gap"));
    }

    @Test
    void reassemblesAMessageSplitAtEveryPointAndDeliveredBackwards() throws IOException {
        String message = "INVITE sip:bob@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n";
        for (int split = 1; split < message.length(); split++) {
            int overlap = Math.max(0, split - 3);
            RecordingVisitor v = read(
                    tcp(true, 999, 0, SYN, ""),
                    tcp(true, 1000 + split, 0, PSH_ACK, message.substring(split)),
                    tcp(true, 1000 + overlap, 0, PSH_ACK, message.substring(overlap)), // retransmission, overlapping
                    tcp(true, 1000, 0, PSH_ACK, message.substring(0, split)));

            assertThat(new String(v.stream(new FlowKey(ip("10.0.0.1"), 40000, ip("10.0.0.2"), 5060)),
                    StandardCharsets.US_ASCII)).as("split at %d", split).isEqualTo(message);
        }
    }

    @Test
    void evictsTheLeastRecentlyActiveFlowBeyondTheFlowCap() throws IOException {
        ReassemblyLimits oneFlow = new ReassemblyLimits(1, 1024, 1024, 16);
        RecordingVisitor v = read(oneFlow, null,
                tcp(1, 40000, 2, 5060, 1000, 0, PSH_ACK, "a"),
                tcp(3, 40001, 2, 5060, 7000, 0, PSH_ACK, "b"));

        assertThat(v.events).containsExactly(
                "data " + CLIENT + " \"a\" #1",
                "close " + CLIENT + " EVICTED",
                "data 10.0.0.3:40001 -> 10.0.0.2:5060 \"b\" #2",
                "close 10.0.0.3:40001 -> 10.0.0.2:5060 END_OF_CAPTURE");
    }

    @Test
    void startsANewStreamWhenASynReopensTheSameFourTuple() throws IOException {
        RecordingVisitor v = read(
                tcp(true, 999, 0, SYN, ""),
                tcp(true, 1000, 0, PSH_ACK, "one"),
                tcp(true, 999, 0, SYN, ""),           // retransmitted SYN: same stream
                tcp(true, 8999, 0, SYN, ""),          // new initial sequence number
                tcp(true, 9000, 0, PSH_ACK, "two"));

        assertThat(v.events).containsExactly(
                "data " + CLIENT + " \"one\" #2",
                "close " + CLIENT + " REOPENED",
                "data " + CLIENT + " \"two\" #5",
                "close " + CLIENT + " END_OF_CAPTURE");
    }

    @Test
    void deliversIpv6TcpWithTheSegmentTimestampAndFrameNumber() throws IOException {
        List<PcapMessage> messages = new ArrayList<>();
        InetAddress a = ip("2001:db8::1");
        InetAddress b = ip("2001:db8::2");
        messages.add(new PcapMessage(42, a, 1, b, 2, Transport.TCP, "x".getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter.write(out, messages);
        RecordingVisitor v = new RecordingVisitor();
        PcapReader.read(new ByteArrayInputStream(out.toByteArray()), v);

        assertThat(v.chunkTimes).singleElement().satisfies(t -> assertThat(t).containsExactly(42, 1, 1));
    }

    private static InetAddress ip(String s) throws IOException {
        return InetAddress.getByName(s);
    }
}
