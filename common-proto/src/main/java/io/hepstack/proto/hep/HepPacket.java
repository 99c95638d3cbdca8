package io.hepstack.proto.hep;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One decoded HEP packet (v1, v2 or v3), as a capture agent sent it.
 *
 * <p>Generic chunks with a settled layout are typed fields. Vendor chunks, unknown generic types and
 * the secondary generic types (0x000d and 0x0014 upwards, see HEP.md) are kept raw in {@link #chunks()}
 * in the order they arrived, so nothing an agent sent is lost.
 *
 * @param version       1, 2 or 3
 * @param ipFamily      2 (IPv4), 10 (IPv6), or 0 when the packet names no address
 * @param ipProto       IP protocol number: 6 TCP, 17 UDP, 132 SCTP, 0 unknown
 * @param srcIp         source address, or {@code null} when absent
 * @param dstIp         destination address, or {@code null} when absent
 * @param srcPort       source port, 0 when absent
 * @param dstPort       destination port, 0 when absent
 * @param tsSec         capture time, seconds since the epoch (0 when absent)
 * @param tsUsec        capture time, microseconds part
 * @param protoType     payload type (HEP3 chunk 0x000b); 1 (SIP) for v1 and v2
 * @param captureId     capture agent id (u32 in v3, u16 in v2, 0 in v1)
 * @param authKey       authentication key (chunk 0x000e), or {@code null}; never to be stored or logged
 * @param correlationId correlation id (chunk 0x0011), or {@code null}
 * @param vlan          VLAN id (chunk 0x0012), or {@code null}
 * @param node          capture node name (chunk 0x0013), or {@code null}
 * @param payload       the payload, inflated when it arrived gzip-compressed in chunk 0x0010
 * @param compressed    whether the payload arrived in chunk 0x0010
 * @param chunks        raw chunks not mapped to a field above, in arrival order
 */
public record HepPacket(
        int version,
        int ipFamily,
        int ipProto,
        InetAddress srcIp,
        InetAddress dstIp,
        int srcPort,
        int dstPort,
        long tsSec,
        int tsUsec,
        int protoType,
        long captureId,
        String authKey,
        String correlationId,
        Integer vlan,
        String node,
        byte[] payload,
        boolean compressed,
        List<HepChunk> chunks) {

    public HepPacket {
        Objects.requireNonNull(payload, "payload");
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }

    /** A HEPv3 packet to build: no addresses, time 0, payload type 0, capture id 0, no optional chunk. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this packet. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.version = version;
        b.ipFamily = ipFamily;
        b.ipProto = ipProto;
        b.srcIp = srcIp;
        b.dstIp = dstIp;
        b.srcPort = srcPort;
        b.dstPort = dstPort;
        b.tsSec = tsSec;
        b.tsUsec = tsUsec;
        b.protoType = protoType;
        b.captureId = captureId;
        b.authKey = authKey;
        b.correlationId = correlationId;
        b.vlan = vlan;
        b.node = node;
        b.payload = payload;
        b.compressed = compressed;
        b.chunks = chunks;
        return b;
    }

    /** This packet with another payload (a censored SIP body, say); itself when it is the same array. */
    public HepPacket withPayload(byte[] other) {
        return other == payload ? this : toBuilder().payload(other).build();
    }

    /** This packet with another authentication key ({@code null}: none); itself when the key is the same. */
    public HepPacket withAuthKey(String other) {
        return Objects.equals(other, authKey) ? this : toBuilder().authKey(other).build();
    }

    /** Builds a {@link HepPacket}; fields left unset keep {@link #builder()}'s defaults. */
    public static final class Builder {
        private int version = 3;
        private int ipFamily;
        private int ipProto;
        private InetAddress srcIp;
        private InetAddress dstIp;
        private int srcPort;
        private int dstPort;
        private long tsSec;
        private int tsUsec;
        private int protoType;
        private long captureId;
        private String authKey;
        private String correlationId;
        private Integer vlan;
        private String node;
        private byte[] payload;
        private boolean compressed;
        private List<HepChunk> chunks = List.of();

        private Builder() {
        }

        public Builder version(int v) {
            version = v;
            return this;
        }

        /**
         * Source and destination; the IP family follows the source address (10 for IPv6, else 2; 0 when
         * there is none).
         */
        public Builder addresses(InetAddress src, int sourcePort, InetAddress dst, int destinationPort) {
            srcIp = src;
            dstIp = dst;
            srcPort = sourcePort;
            dstPort = destinationPort;
            ipFamily = src == null ? 0 : src instanceof Inet6Address ? 10 : 2;
            return this;
        }

        /** The IP family when it must differ from the one {@link #addresses} derives. */
        public Builder ipFamily(int v) {
            ipFamily = v;
            return this;
        }

        /** IP protocol number: 6 TCP, 17 UDP, 132 SCTP. */
        public Builder ipProto(int v) {
            ipProto = v;
            return this;
        }

        /** Capture time, µs since the epoch. */
        public Builder timestampMicros(long micros) {
            tsSec = Math.floorDiv(micros, 1_000_000L);
            tsUsec = (int) Math.floorMod(micros, 1_000_000L);
            return this;
        }

        /** Payload type (chunk 0x000b). */
        public Builder protoType(int v) {
            protoType = v;
            return this;
        }

        public Builder captureId(long v) {
            captureId = v;
            return this;
        }

        public Builder authKey(String v) {
            authKey = v;
            return this;
        }

        public Builder correlationId(String v) {
            correlationId = v;
            return this;
        }

        public Builder vlan(Integer v) {
            vlan = v;
            return this;
        }

        public Builder node(String v) {
            node = v;
            return this;
        }

        public Builder payload(byte[] v) {
            payload = v;
            return this;
        }

        public Builder compressed(boolean v) {
            compressed = v;
            return this;
        }

        public Builder chunks(List<HepChunk> v) {
            chunks = v;
            return this;
        }

        /** The packet; fails when no payload was given. */
        public HepPacket build() {
            return new HepPacket(version, ipFamily, ipProto, srcIp, dstIp, srcPort, dstPort, tsSec, tsUsec, protoType,
                    captureId, authKey, correlationId, vlan, node, payload, compressed, chunks);
        }
    }

    /** Capture time in microseconds since the epoch. */
    public long timestampMicros() {
        return tsSec * 1_000_000L + tsUsec;
    }

    /** The first raw chunk of that vendor and type, or {@code null}. */
    public HepChunk chunk(int vendor, int type) {
        for (HepChunk c : chunks) {
            if (c.vendor() == vendor && c.type() == type) {
                return c;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HepPacket p
                && version == p.version && ipFamily == p.ipFamily && ipProto == p.ipProto
                && Objects.equals(srcIp, p.srcIp) && Objects.equals(dstIp, p.dstIp)
                && srcPort == p.srcPort && dstPort == p.dstPort
                && tsSec == p.tsSec && tsUsec == p.tsUsec && protoType == p.protoType
                && captureId == p.captureId && Objects.equals(authKey, p.authKey)
                && Objects.equals(correlationId, p.correlationId) && Objects.equals(vlan, p.vlan)
                && Objects.equals(node, p.node) && Arrays.equals(payload, p.payload)
                && compressed == p.compressed && chunks.equals(p.chunks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, srcIp, dstIp, srcPort, dstPort, tsSec, tsUsec, captureId,
                Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "HepPacket[v" + version + " " + srcIp + ":" + srcPort + " -> " + dstIp + ":" + dstPort
                + " ts=" + tsSec + "." + tsUsec + " type=" + protoType + " captureId=" + captureId
                + " node=" + node + " correlationId=" + correlationId + " payload=" + payload.length
                + "B chunks=" + chunks.size() + "]";
    }
}
