package io.hepstack.proto.pcap;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One direction of a transport conversation: source and destination address and port.
 * A TCP connection is two flow keys, one per direction, each the {@link #reversed()} of the other.
 *
 * @param srcIp   source address (IPv4 or IPv6)
 * @param srcPort source port, 0..65535
 * @param dstIp   destination address, same family as {@code srcIp}
 * @param dstPort destination port, 0..65535
 */
public record FlowKey(InetAddress srcIp, int srcPort, InetAddress dstIp, int dstPort) {

    public FlowKey {
        Objects.requireNonNull(srcIp, "srcIp");
        Objects.requireNonNull(dstIp, "dstIp");
        if (srcPort < 0 || srcPort > 0xFFFF || dstPort < 0 || dstPort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + srcPort + " -> " + dstPort);
        }
    }

    /** The opposite direction of the same conversation. */
    public FlowKey reversed() {
        return new FlowKey(dstIp, dstPort, srcIp, srcPort);
    }

    @Override
    public String toString() {
        return PcapPacket.endpoint(srcIp, srcPort) + " -> " + PcapPacket.endpoint(dstIp, dstPort);
    }
}
