package io.hepstack.proto.pcap;

import static io.hepstack.proto.pcap.CaptureBytes.IPV4_UDP_OPTIONS;
import static io.hepstack.proto.pcap.CaptureBytes.IPV6_UDP_OPTIONS;
import static io.hepstack.proto.pcap.CaptureBytes.concat;
import static io.hepstack.proto.pcap.CaptureBytes.hex;
import static io.hepstack.proto.pcap.CaptureBytes.le32;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Classic pcap variants and pcapng, synthesised field by field. */
class CaptureFormatTest {
    private static final String ETHERNET_IPV4 = "00 00 00 00 00 02 00 00 00 00 00 01 08 00";

    private static String udpSummary(PcapPacket p) {
        return "#" + p.frameNumber() + " " + p.timestampMicros() + " " + p.srcIp().getHostAddress();
    }

    @Test
    void readsBigEndianClassicPcap() {
        byte[] file = hex(
                "a1 b2 c3 d4",   // magic, big-endian, microseconds
                "00 02 00 04",   // version 2.4
                "00 00 00 00",   // thiszone
                "00 00 00 00",   // sigfigs
                "00 00 ff ff",   // snaplen 65535
                "00 00 00 65",   // link type 101, raw IP
                "65 53 f1 00",   // ts_sec 1700000000
                "00 00 00 07",   // ts_usec 7
                "00 00 00 23",   // incl_len 35
                "00 00 00 23",   // orig_len 35
                IPV4_UDP_OPTIONS);
        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats = CaptureBytes.read(file, v);

        assertThat(v.udp).extracting(CaptureFormatTest::udpSummary).containsExactly("#1 1700000000000007 10.0.0.1");
        assertThat(stats.format()).isEqualTo("pcap");
    }

    @Test
    void readsARecordLongerThanTheSnaplenAsWiresharkDoes() {
        byte[] file = hex(
                "a1 b2 c3 d4",   // magic, big-endian, microseconds
                "00 02 00 04",   // version 2.4
                "00 00 00 00",   // thiszone
                "00 00 00 00",   // sigfigs
                "00 00 00 10",   // snaplen 16: smaller than the record, as GRO/TSO captures have
                "00 00 00 65",   // link type 101, raw IP
                "65 53 f1 00",   // ts_sec 1700000000
                "00 00 00 07",   // ts_usec 7
                "00 00 00 23",   // incl_len 35
                "00 00 00 23",   // orig_len 35
                IPV4_UDP_OPTIONS);
        RecordingVisitor v = new RecordingVisitor();
        CaptureBytes.read(file, v);

        assertThat(v.udp).extracting(CaptureFormatTest::udpSummary).containsExactly("#1 1700000000000007 10.0.0.1");
    }

    @Test
    void readsNanosecondClassicPcapTruncatingToMicroseconds() {
        byte[] file = hex(
                "4d 3c b2 a1",   // magic a1b23c4d, little-endian: nanoseconds
                "02 00 04 00",   // version 2.4
                "00 00 00 00 00 00 00 00", // thiszone, sigfigs
                "00 00 04 00",   // snaplen 262144
                "e4 00 00 00",   // link type 228, IPv4
                "00 f1 53 65",   // ts_sec 1700000000
                "15 cd 5b 07",   // ts_nsec 123456789
                "23 00 00 00",   // incl_len 35
                "23 00 00 00",   // orig_len 35
                IPV4_UDP_OPTIONS);
        RecordingVisitor v = new RecordingVisitor();
        CaptureBytes.read(file, v);

        assertThat(v.udp).extracting(CaptureFormatTest::udpSummary).containsExactly("#1 1700000000123456 10.0.0.1");
    }

    @Test
    void readsPcapngWithTwoInterfacesTwoSectionsAndEveryPacketBlock() {
        long nanos = 1_700_000_000_123_456_789L;
        long micros = 1_700_000_000_000_001L;
        long pbMicros = 1_700_000_002_000_000L;
        long binaryTicks = 1_700_000_003L * 1024 + 512; // 2^-10 s ticks: .5 s
        byte[] file = concat(
                hex(// Section 1, little-endian
                        "0a 0d 0d 0a",   // SHB
                        "1c 00 00 00",   // block length 28
                        "4d 3c 2b 1a",   // byte-order magic, little-endian
                        "01 00 00 00",   // version 1.0
                        "ff ff ff ff ff ff ff ff", // section length unknown
                        "1c 00 00 00",   // block length
                        // IDB 0: Ethernet, default resolution (microseconds)
                        "01 00 00 00",   // IDB
                        "14 00 00 00",   // block length 20
                        "01 00 00 00",   // link type 1, reserved
                        "00 00 04 00",   // snaplen 262144
                        "14 00 00 00",   // block length
                        // IDB 1: raw IP, nanoseconds
                        "01 00 00 00",   // IDB
                        "20 00 00 00",   // block length 32
                        "65 00 00 00",   // link type 101, reserved
                        "00 00 00 00",   // snaplen 0: unlimited
                        "09 00 01 00",   // option if_tsresol, length 1
                        "09 00 00 00",   // 10^-9, padding
                        "00 00 00 00",   // opt_endofopt
                        "20 00 00 00",   // block length
                        // EPB on interface 0
                        "06 00 00 00",   // EPB
                        "54 00 00 00",   // block length 84
                        "00 00 00 00"),  // interface 0
                le32(micros >>> 32), le32(micros), // timestamp high, low
                hex(
                        "31 00 00 00",   // captured length 49
                        "31 00 00 00",   // original length 49
                        ETHERNET_IPV4, IPV4_UDP_OPTIONS, "00 00 00", // packet, padded to 52
                        "54 00 00 00",   // block length
                        // an unknown block, skipped
                        "ad 0b 00 00",   // block type 0x00000bad
                        "10 00 00 00",   // block length 16
                        "de ad be ef",   // body
                        "10 00 00 00",   // block length
                        // EPB on interface 1
                        "06 00 00 00",   // EPB
                        "58 00 00 00",   // block length 88
                        "01 00 00 00"),  // interface 1
                le32(nanos >>> 32), le32(nanos),
                hex(
                        "37 00 00 00",   // captured length 55
                        "37 00 00 00",   // original length 55
                        IPV6_UDP_OPTIONS, "00", // packet, padded to 56
                        "58 00 00 00",   // block length
                        // SPB: interface 0, no timestamp
                        "03 00 00 00",   // SPB
                        "44 00 00 00",   // block length 68
                        "31 00 00 00",   // original length 49
                        ETHERNET_IPV4, IPV4_UDP_OPTIONS, "00 00 00",
                        "44 00 00 00",   // block length
                        // obsolete PB on interface 0
                        "02 00 00 00",   // PB
                        "54 00 00 00",   // block length 84
                        "00 00",         // interface 0
                        "00 00"),        // drops count
                le32(pbMicros >>> 32), le32(pbMicros),
                hex(
                        "31 00 00 00 31 00 00 00", // captured, original length 49
                        ETHERNET_IPV4, IPV4_UDP_OPTIONS, "00 00 00",
                        "54 00 00 00",   // block length
                        // Section 2, big-endian: its own interfaces
                        "0a 0d 0d 0a",   // SHB
                        "00 00 00 1c",   // block length 28
                        "1a 2b 3c 4d",   // byte-order magic, big-endian
                        "00 01 00 00",   // version 1.0
                        "ff ff ff ff ff ff ff ff",
                        "00 00 00 1c",
                        // IDB 0: IPv4, binary resolution 2^-10
                        "00 00 00 01",   // IDB
                        "00 00 00 20",   // block length 32
                        "00 e4 00 00",   // link type 228
                        "00 00 ff ff",   // snaplen 65535
                        "00 09 00 01",   // if_tsresol, length 1
                        "8a 00 00 00",   // 2^-10
                        "00 00 00 00",   // opt_endofopt
                        "00 00 00 20",
                        // EPB on interface 0
                        "00 00 00 06",   // EPB
                        "00 00 00 44",   // block length 68
                        "00 00 00 00"),  // interface 0
                new byte[] {0, 0, (byte) (binaryTicks >>> 40), (byte) (binaryTicks >>> 32),
                        (byte) (binaryTicks >>> 24), (byte) (binaryTicks >>> 16), (byte) (binaryTicks >>> 8),
                        (byte) binaryTicks}, // timestamp high, low (big-endian)
                hex(
                        "00 00 00 23 00 00 00 23", // captured, original length 35
                        IPV4_UDP_OPTIONS, "00",
                        "00 00 00 44"));
        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats = CaptureBytes.read(file, v);

        assertThat(v.udp).extracting(CaptureFormatTest::udpSummary).containsExactly(
                "#1 1700000000000001 10.0.0.1",
                "#2 1700000000123456 2001:db8:0:0:0:0:0:1",
                "#3 0 10.0.0.1",
                "#4 1700000002000000 10.0.0.1",
                "#5 1700000003500000 10.0.0.1");
        assertThat(stats.format()).isEqualTo("pcapng");
        assertThat(stats.frames()).isEqualTo(5);
        assertThat(stats.truncation()).isNull();
    }

    @Test
    void convertsEveryTimestampResolutionToMicroseconds() {
        assertThat(PcapngFile.micros(5, 0, 0)).isEqualTo(5_000_000);          // seconds
        assertThat(PcapngFile.micros(5, 3, 0)).isEqualTo(5_000);              // milliseconds
        assertThat(PcapngFile.micros(5_999, 9, 0)).isEqualTo(5);              // nanoseconds, truncated
        assertThat(PcapngFile.micros(-1L, 9, 0)).isEqualTo(Long.divideUnsigned(-1L, 1000)); // unsigned ticks
        assertThat(PcapngFile.micros(3, 0x81, 0)).isEqualTo(1_500_000);       // 2^-1 s
        assertThat(PcapngFile.micros(7, 6, 100)).isEqualTo(100_000_007);       // if_tsoffset seconds
    }
}
