package io.hepstack.proto.pcap;

import static io.hepstack.proto.pcap.CaptureBytes.IPV4_UDP_OPTIONS;
import static io.hepstack.proto.pcap.CaptureBytes.classicPcap;
import static io.hepstack.proto.pcap.CaptureBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed captures, each with the exact outcome: a {@link PcapFormatException} for a broken file
 * structure, a truncation note when the file ends inside a record, a counted skip for a bad packet.
 */
class MalformedCaptureTest {
    /** Little-endian microsecond global header, snaplen 65535, Ethernet. */
    private static final String CLASSIC_HEADER = "d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00";
    /** Little-endian SHB, 28 bytes. */
    private static final String SHB = "0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1a 01 00 00 00 ff ff ff ff ff ff ff ff 1c 00 00 00";
    private static final String ETHERNET_IPV4 = "00 00 00 00 00 02 00 00 00 00 00 01 08 00";

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty input", hex(""),
                        "error: file header at offset 0: 0 bytes (expected: at least 4 for a pcap or pcapng magic)"),
                Arguments.of("truncated global header", hex(
                        "d4 c3 b2 a1",    // magic
                        "02 00 04 00",    // version
                        "00 00"),         // thiszone, cut
                        "error: global header at offset 0: 10 bytes (expected: 24)"),
                Arguments.of("bad magic", hex("12 34 56 78", "00".repeat(20)),
                        "error: file header at offset 0: magic 0x12345678 (expected: pcap a1b2c3d4 or a1b23c4d in"
                                + " either byte order, or pcapng 0a0d0d0a)"),
                Arguments.of("unknown classic version", hex("d4 c3 b2 a1", "03 00 00 00", "00".repeat(16)),
                        "error: global header at offset 0: version 3.0 (expected: 2.4)"),
                Arguments.of("record length beyond the reader's 16 MiB cap", hex(CLASSIC_HEADER,
                        "00 f1 53 65 00 00 00 00", // ts
                        "23 00 00 00 23 00 00 00", // incl_len 35, orig_len 35
                        IPV4_UDP_OPTIONS,          // record 1: 35 bytes, link type Ethernet (not decoded here)
                        "00 f1 53 65 00 00 00 00", // ts
                        "01 00 00 01",             // incl_len 16777217
                        "01 00 00 01"),            // orig_len 16777217
                        "error: record 2 at offset 75: captured length 16777217 exceeds the reader's limit 16777216"),
                Arguments.of("truncated record data", hex(CLASSIC_HEADER,
                        "00 f1 53 65 00 00 00 00",
                        "23 00 00 00 23 00 00 00", // 35 bytes announced
                        "45 00 00 23 12 34 40 00 40 11"), // 10 present
                        "truncated: record 1 at offset 24: 10 of 35 captured bytes (file ends)"),
                Arguments.of("truncated record header", hex(CLASSIC_HEADER, "00 f1 53 65 00 00 00"),
                        "truncated: record 1 at offset 24: header 7 of 16 bytes (file ends)"),
                Arguments.of("IPv4 header length below 20", classicPcap(1, hex(ETHERNET_IPV4,
                        "44 00 00 23",             // version 4, IHL 4 (16 bytes)
                        IPV4_UDP_OPTIONS.substring(11))),
                        "skip #1 MALFORMED_IP_HEADER: IPv4 header length 16 at offset 14 (expected: at least 20)"),
                Arguments.of("IPv4 total length beyond the record", classicPcap(101, hex(
                        "45 00 00 40",             // total length 64, only 35 captured and not cut
                        IPV4_UDP_OPTIONS.substring(11))),
                        "skip #1 MALFORMED_IP_HEADER: IPv4 total length 64 at offset 0 exceeds the 35 bytes captured"),
                Arguments.of("packet cut by the snaplen", hex(CLASSIC_HEADER,
                        "00 f1 53 65 00 00 00 00",
                        "14 00 00 00",             // incl_len 20
                        "dc 05 00 00",             // orig_len 1500
                        ETHERNET_IPV4, "45 00 05 ce 00 00"),
                        "skip #1 CUT_BY_SNAPLEN: IPv4 header at offset 14: 6 bytes (expected: at least 20)"),
                Arguments.of("Ethernet header shorter than 14 bytes", classicPcap(1, hex("00 00 00 00 00 02 00 00 00 00")),
                        "skip #1 MALFORMED_LINK_HEADER: Ethernet header at offset 0: 10 bytes (expected: 14)"),
                Arguments.of("UDP length below 8", classicPcap(101, hex(
                        IPV4_UDP_OPTIONS.substring(0, IPV4_UDP_OPTIONS.indexOf("00 0f 00 00")),
                        "00 04 00 00",             // UDP length 4
                        "4f 50 54 49 4f 4e 53")),
                        "skip #1 MALFORMED_TRANSPORT_HEADER: UDP length 4 at offset 20 (expected: 8 to 15, the IP payload)"),
                Arguments.of("TCP data offset below 20", classicPcap(101, hex(
                        "45 00 00 28 00 00 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02",
                        "9c 40 13 c4 00 00 00 01 00 00 00 00",
                        "40 18 ff ff 00 00 00 00")),  // data offset 4 words
                        "skip #1 MALFORMED_TRANSPORT_HEADER: TCP data offset 16 at offset 20 (expected: 20 to 20, the IP payload)"),
                Arguments.of("IPv6 extension header past the payload", classicPcap(229, hex(
                        "60 00 00 00 00 08 00 40",  // payload length 8, next header hop-by-hop
                        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
                        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02",
                        "11 01 00 00 00 00 00 00")), // hop-by-hop length 1: 16 bytes
                        "skip #1 MALFORMED_IP_HEADER: IPv6 extension header 0 at offset 40: length 16 exceeds the 8 bytes left"),
                Arguments.of("pcapng byte-order magic", hex(
                        "0a 0d 0d 0a 1c 00 00 00",
                        "44 33 22 11",              // not 1a2b3c4d in either order
                        "01 00 00 00 ff ff ff ff ff ff ff ff 1c 00 00 00"),
                        "error: block 1 (SHB) at offset 0: byte-order magic 0x44332211 (expected: 1a2b3c4d in either byte order)"),
                Arguments.of("pcapng block length not a multiple of 4", hex(SHB,
                        "01 00 00 00", "15 00 00 00", "01 00 00 00 00 00 04 00 00 15 00 00 00"),
                        "error: block 2 (IDB) at offset 28: block length 21 (expected: a multiple of 4, at least 12)"),
                Arguments.of("pcapng trailing length disagreeing", hex(SHB,
                        "01 00 00 00", "14 00 00 00", "01 00 00 00 00 00 04 00", "18 00 00 00"),
                        "error: block 2 (IDB) at offset 28: trailing block length 24 (expected: 20)"),
                Arguments.of("pcapng packet on an undescribed interface", hex(SHB,
                        "06 00 00 00", "20 00 00 00",
                        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
                        "20 00 00 00"),
                        "error: block 2 (EPB) at offset 28: interface id 0 (expected: below the 0 interfaces described"
                                + " in this section)"),
                Arguments.of("pcapng captured length beyond the block", hex(SHB,
                        "01 00 00 00 14 00 00 00 01 00 00 00 00 00 04 00 14 00 00 00",
                        "06 00 00 00", "24 00 00 00",
                        "00 00 00 00 00 00 00 00 00 00 00 00",
                        "40 00 00 00 40 00 00 00",  // captured length 64, 4 data bytes
                        "00 00 00 00", "24 00 00 00"),
                        "error: block 3 (EPB) at offset 48: captured length 64 exceeds the block's 4 data bytes"),
                Arguments.of("pcapng truncated block", hex(SHB, "01 00 00 00 14 00 00 00 01 00 00 00"),
                        "truncated: block 2 at offset 28: 12 of 20 bytes (file ends)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void reportsTheExactProblem(String name, byte[] capture, String expected) {
        assertThat(outcome(capture)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fixtures/kamailio-siptrace/sip.pcap", "/pcap/kamailio-hep-first50.pcapng"})
    void corruptedCapturesFailOnlyWithAFormatExceptionOrACountedSkip(String resource) throws IOException {
        byte[] original;
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            original = Arrays.copyOf(in.readAllBytes(), 5_000); // the file header and a few records
        }
        Random random = new Random(20_251_122);
        for (int round = 0; round < 2_000; round++) {
            byte[] corrupt = original.clone();
            for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            }
            if (round % 4 == 0) {
                corrupt = Arrays.copyOf(corrupt, random.nextInt(corrupt.length));
            }
            try {
                PcapReader.read(new ByteArrayInputStream(corrupt), new RecordingVisitor());
            } catch (PcapFormatException expected) {
                assertThat(expected.getMessage()).contains(" at offset ");
            }
        }
    }

    private static String outcome(byte[] capture) {
        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats;
        try {
            stats = PcapReader.read(new ByteArrayInputStream(capture), v);
        } catch (PcapFormatException e) {
            return "error: " + e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        if (stats.truncated()) {
            return "truncated: " + stats.truncation();
        }
        return String.join("\n", v.events);
    }
}
