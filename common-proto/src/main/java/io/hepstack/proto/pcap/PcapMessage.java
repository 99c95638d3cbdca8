package io.hepstack.proto.pcap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * One application message (a SIP request or reply) for {@link PcapWriter} to write as a packet, or
 * as several TCP segments when it is large.
 *
 * @param timestampMicros capture time, microseconds since the epoch, 0 to 2<sup>32</sup> seconds
 * @param srcIp           source address
 * @param srcPort         source port
 * @param dstIp           destination address, same family as {@code srcIp}
 * @param dstPort         destination port
 * @param transport       UDP or TCP
 * @param payload         the message bytes, any content
 */
public record PcapMessage(
        long timestampMicros,
        InetAddress srcIp,
        int srcPort,
        InetAddress dstIp,
        int dstPort,
        Transport transport,
        byte[] payload) {

    private static final long MAX_MICROS = 0xFFFF_FFFFL * 1_000_000L + 999_999L;

    public PcapMessage {
        Objects.requireNonNull(srcIp, "srcIp");
        Objects.requireNonNull(dstIp, "dstIp");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(payload, "payload");
        if ((srcIp instanceof Inet4Address) != (dstIp instanceof Inet4Address)) {
            throw new IllegalArgumentException("source " + srcIp + " and destination " + dstIp
                    + " are of different address families");
        }
        if (srcPort < 0 || srcPort > 0xFFFF || dstPort < 0 || dstPort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + srcPort + " -> " + dstPort);
        }
        if (timestampMicros < 0 || timestampMicros > MAX_MICROS) {
            throw new IllegalArgumentException("timestamp " + timestampMicros
                    + " µs outside what pcap can hold (0 to 2^32 s)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcapMessage m && timestampMicros == m.timestampMicros && srcIp.equals(m.srcIp)
                && srcPort == m.srcPort && dstIp.equals(m.dstIp) && dstPort == m.dstPort
                && transport == m.transport && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestampMicros, srcIp, srcPort, dstIp, dstPort, transport, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "PcapMessage[ts=" + timestampMicros + " " + transport + " " + PcapPacket.endpoint(srcIp, srcPort)
                + " -> " + PcapPacket.endpoint(dstIp, dstPort) + " payload=" + payload.length + "B]";
    }
}
