package io.hepstack.proto.pcap;

import static io.hepstack.proto.pcap.CaptureBytes.IPV4_UDP_OPTIONS;
import static io.hepstack.proto.pcap.CaptureBytes.IPV6_UDP_OPTIONS;
import static io.hepstack.proto.pcap.CaptureBytes.classicPcap;
import static io.hepstack.proto.pcap.CaptureBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each supported link type and network-layer shape, synthesised, decodes to the same UDP datagram. */
class LinkLayerDecodingTest {

    static Stream<Arguments> framesCarryingOptions() {
        return Stream.of(
                Arguments.of("Ethernet, IPv4", 1, hex(
                        "00 00 00 00 00 02",   // destination MAC
                        "00 00 00 00 00 01",   // source MAC
                        "08 00",               // EtherType IPv4
                        IPV4_UDP_OPTIONS), "10.0.0.1"),
                Arguments.of("Ethernet, IPv4 plus trailing padding and FCS", 1, hex(
                        "00 00 00 00 00 02 00 00 00 00 00 01 08 00",
                        IPV4_UDP_OPTIONS,
                        "00 00 00 00 00 00 00 00 00 00 00", // padding to 60 bytes
                        "de ad be ef"), "10.0.0.1"),       // frame check sequence
                Arguments.of("Ethernet with an 802.1Q VLAN tag", 1, hex(
                        "00 00 00 00 00 02 00 00 00 00 00 01",
                        "81 00",               // TPID 802.1Q
                        "00 64",               // PCP 0, DEI 0, VLAN 100
                        "08 00",               // inner EtherType IPv4
                        IPV4_UDP_OPTIONS), "10.0.0.1"),
                Arguments.of("Ethernet with QinQ (802.1ad outer, 802.1Q inner)", 1, hex(
                        "00 00 00 00 00 02 00 00 00 00 00 01",
                        "88 a8 00 0a",         // S-tag: TPID 802.1ad, VLAN 10
                        "81 00 00 14",         // C-tag: TPID 802.1Q, VLAN 20
                        "86 dd",               // EtherType IPv6
                        IPV6_UDP_OPTIONS), "2001:db8::1"),
                Arguments.of("Linux cooked SLL", 113, hex(
                        "00 00",               // packet type: to us
                        "03 04",               // ARPHRD_LOOPBACK (772)
                        "00 06",               // link-layer address length 6
                        "00 00 00 00 00 00 00 00", // address, padded to 8
                        "08 00",               // protocol: IPv4
                        IPV4_UDP_OPTIONS), "10.0.0.1"),
                Arguments.of("Linux cooked SLL2", 276, hex(
                        "86 dd",               // protocol: IPv6
                        "00 00",               // reserved
                        "00 00 00 02",         // interface index 2
                        "00 01",               // ARPHRD_ETHER
                        "04",                  // packet type: outgoing
                        "06",                  // link-layer address length
                        "02 00 00 00 00 01 00 00", // address, padded to 8
                        IPV6_UDP_OPTIONS), "2001:db8::1"),
                Arguments.of("raw IP (101), IPv4", 101, hex(IPV4_UDP_OPTIONS), "10.0.0.1"),
                Arguments.of("raw IP (101), IPv6", 101, hex(IPV6_UDP_OPTIONS), "2001:db8::1"),
                Arguments.of("raw IP, BSD value 12", 12, hex(IPV4_UDP_OPTIONS), "10.0.0.1"),
                Arguments.of("raw IP, BSD value 14", 14, hex(IPV6_UDP_OPTIONS), "2001:db8::1"),
                Arguments.of("LINKTYPE_IPV4 (228)", 228, hex(IPV4_UDP_OPTIONS), "10.0.0.1"),
                Arguments.of("LINKTYPE_IPV6 (229)", 229, hex(IPV6_UDP_OPTIONS), "2001:db8::1"),
                Arguments.of("NULL, little-endian host, AF_INET", 0, hex(
                        "02 00 00 00",         // family 2 in little-endian host order
                        IPV4_UDP_OPTIONS), "10.0.0.1"),
                Arguments.of("NULL, big-endian host, AF_INET", 0, hex(
                        "00 00 00 02",         // family 2 in big-endian host order
                        IPV4_UDP_OPTIONS), "10.0.0.1"),
                Arguments.of("NULL, little-endian Darwin AF_INET6 (30)", 0, hex(
                        "1e 00 00 00",
                        IPV6_UDP_OPTIONS), "2001:db8::1"),
                Arguments.of("LOOP, network order, AF_INET", 108, hex(
                        "00 00 00 02",
                        IPV4_UDP_OPTIONS), "10.0.0.1"),
                Arguments.of("LOOP, network order, FreeBSD AF_INET6 (28)", 108, hex(
                        "00 00 00 1c",
                        IPV6_UDP_OPTIONS), "2001:db8::1"),
                Arguments.of("IPv4 with options (IHL 6)", 101, hex(
                        "46 00 00 27",         // version 4, IHL 6 (24 bytes), total length 39
                        "12 34 40 00",         // id, DF
                        "40 11 00 00",         // TTL 64, UDP, checksum
                        "0a 00 00 01 0a 00 00 02", // 10.0.0.1 -> 10.0.0.2
                        "01 01 01 00",         // options: NOP, NOP, NOP, end of list
                        "13 c4 13 d8 00 0f 00 00",
                        "4f 50 54 49 4f 4e 53"), "10.0.0.1"),
                Arguments.of("IPv6 with a hop-by-hop options header", 229, hex(
                        "60 00 00 00",         // version 6
                        "00 17 00 40",         // payload length 23, next header 0 (hop-by-hop), hop limit 64
                        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
                        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02",
                        "11 00",               // hop-by-hop: next header 17 (UDP), length 0 (8 bytes)
                        "01 04 00 00 00 00",   // PadN option, 4 bytes of padding
                        "13 c4 13 d8 00 0f 00 00",
                        "4f 50 54 49 4f 4e 53"), "2001:db8::1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framesCarryingOptions")
    void decodesUdpThroughEverySupportedLinkLayer(String name, int linkType, byte[] frame, String src)
            throws UnknownHostException {
        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats = CaptureBytes.read(classicPcap(linkType, frame), v);

        assertThat(v.events).isEmpty();
        assertThat(v.udp).hasSize(1);
        PcapPacket p = v.udp.get(0);
        assertThat(p.srcIp()).isEqualTo(InetAddress.getByName(src));
        assertThat(p.srcPort()).isEqualTo(5060);
        assertThat(p.dstPort()).isEqualTo(5080);
        assertThat(new String(p.payload(), StandardCharsets.US_ASCII)).isEqualTo("OPTIONS");
        assertThat(p.timestampMicros()).isEqualTo(1_700_000_000_000_000L);
        assertThat(stats.udpDatagrams()).isEqualTo(1);
    }

    @Test
    void reassemblesIpv4FragmentsArrivingOutOfOrder() {
        byte[] second = hex(
                "45 00 00 1b",             // total length 27: 20 header + 7 bytes
                "00 07 00 01",             // id 7, no MF, fragment offset 1 (8 bytes)
                "40 11 00 00 0a 00 00 01 0a 00 00 02",
                "4f 50 54 49 4f 4e 53");   // "OPTIONS"
        byte[] first = hex(
                "45 00 00 1c",             // total length 28: 20 header + 8 bytes
                "00 07 20 00",             // id 7, MF, fragment offset 0
                "40 11 00 00 0a 00 00 01 0a 00 00 02",
                "13 c4 13 d8 00 0f 00 00"); // UDP header, length 15
        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats = CaptureBytes.read(classicPcap(101, second, first), v);

        assertThat(v.udp).extracting(p -> new String(p.payload(), StandardCharsets.US_ASCII) + " #" + p.frameNumber())
                .containsExactly("OPTIONS #2");
        assertThat(stats.ipFragments()).isEqualTo(2);
        assertThat(stats.reassembledDatagrams()).isEqualTo(1);
    }

    @Test
    void reassemblesIpv6FragmentsAndCountsAnIncompleteDatagram() {
        String addresses = "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01" // source 2001:db8::1
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02";        // destination 2001:db8::2
        byte[] first = hex("60 00 00 00 00 10 2c 40", // payload length 16, next header 44 (fragment)
                addresses,
                "11 00 00 01 00 00 00 2a", // fragment: next header UDP, offset 0, M=1, id 42
                "13 c4 13 d8 00 0f 00 00");
        byte[] last = hex("60 00 00 00 00 0f 2c 40", // payload length 15, next header 44 (fragment)
                addresses,
                "11 00 00 08 00 00 00 2a", // offset 1 (8 bytes), M=0, id 42
                "4f 50 54 49 4f 4e 53");
        byte[] orphan = hex("60 00 00 00 00 10 2c 40", addresses,
                "11 00 00 01 00 00 00 63", // id 99, never completed
                "13 c4 13 d8 00 0f 00 00");
        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats = CaptureBytes.read(classicPcap(229, first, orphan, last), v);

        assertThat(v.udp).extracting(p -> new String(p.payload(), StandardCharsets.US_ASCII)).containsExactly("OPTIONS");
        assertThat(stats.skipped(SkipReason.IP_FRAGMENT_INCOMPLETE)).isEqualTo(1);
        assertThat(v.events).containsExactly("skip #2 IP_FRAGMENT_INCOMPLETE: IP datagram id 99 2001:db8:0:0:0:0:0:1"
                + " -> 2001:db8:0:0:0:0:0:2: 1 fragments, incomplete (capture ended)");
    }

    @Test
    void skipsAndCountsWhatIsNotUdpOrTcpOverIp() {
        byte[] arp = hex("ff ff ff ff ff ff 00 00 00 00 00 01", "08 06", "00 01 08 00 06 04 00 01");
        byte[] icmp = hex("00 00 00 00 00 02 00 00 00 00 00 01 08 00",
                "45 00 00 1c 00 01 00 00 40 01 00 00 0a 00 00 01 0a 00 00 02", // protocol 1 (ICMP)
                "08 00 f7 ff 00 00 00 00");                                   // echo request
        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats = CaptureBytes.read(classicPcap(1, arp, icmp), v);

        assertThat(v.events).containsExactly(
                "skip #1 NOT_IP: EtherType 0x0806",
                "skip #2 NOT_UDP_OR_TCP: IP protocol 1");
        assertThat(stats.frames()).isEqualTo(2);
        assertThat(stats.skipped()).containsOnlyKeys(SkipReason.NOT_IP, SkipReason.NOT_UDP_OR_TCP);
    }

    @Test
    void skipsEveryRecordOfAnUnsupportedLinkType() {
        RecordingVisitor v = new RecordingVisitor();
        PcapStats stats = CaptureBytes.read(classicPcap(147, hex(IPV4_UDP_OPTIONS)), v);

        assertThat(v.events).containsExactly("skip #1 UNSUPPORTED_LINK_TYPE: link type 147");
        assertThat(stats.skipped(SkipReason.UNSUPPORTED_LINK_TYPE)).isEqualTo(1);
    }
}
