package io.hepstack.proto.pcap;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * One UDP datagram read from a capture (after IP reassembly when it arrived fragmented).
 *
 * @param frameNumber     1-based number of the capture record that carried it (the last fragment
 *                        for a reassembled datagram), as Wireshark numbers frames
 * @param timestampMicros capture time of that record, microseconds since the epoch
 * @param srcIp           source address
 * @param srcPort         source UDP port
 * @param dstIp           destination address
 * @param dstPort         destination UDP port
 * @param payload         the UDP payload, exactly as long as the UDP length field says
 */
public record PcapPacket(
        long frameNumber,
        long timestampMicros,
        InetAddress srcIp,
        int srcPort,
        InetAddress dstIp,
        int dstPort,
        byte[] payload) {

    /** {@code ipFamily} value of IPv4, as in HEP and Linux {@code AF_INET}. */
    public static final int FAMILY_IPV4 = 2;
    /** {@code ipFamily} value of IPv6, as in HEP and Linux {@code AF_INET6}. */
    public static final int FAMILY_IPV6 = 10;
    /** IP protocol number of UDP. */
    public static final int PROTO_UDP = 17;

    public PcapPacket {
        Objects.requireNonNull(srcIp, "srcIp");
        Objects.requireNonNull(dstIp, "dstIp");
        Objects.requireNonNull(payload, "payload");
    }

    /** {@link #FAMILY_IPV4} or {@link #FAMILY_IPV6}. */
    public int ipFamily() {
        return srcIp instanceof Inet6Address ? FAMILY_IPV6 : FAMILY_IPV4;
    }

    /** Always {@link #PROTO_UDP}: TCP data is delivered through {@link TcpStreamListener}. */
    public int ipProto() {
        return PROTO_UDP;
    }

    /** Source and destination as a flow key. */
    public FlowKey flow() {
        return new FlowKey(srcIp, srcPort, dstIp, dstPort);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcapPacket p && frameNumber == p.frameNumber && timestampMicros == p.timestampMicros
                && srcIp.equals(p.srcIp) && srcPort == p.srcPort && dstIp.equals(p.dstIp) && dstPort == p.dstPort
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(frameNumber, timestampMicros, srcIp, srcPort, dstIp, dstPort, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "PcapPacket[#" + frameNumber + " ts=" + timestampMicros + " " + endpoint(srcIp, srcPort) + " -> "
                + endpoint(dstIp, dstPort) + " payload=" + payload.length + "B]";
    }

    static String endpoint(InetAddress ip, int port) {
        String host = ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
