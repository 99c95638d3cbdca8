package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepPacket;

import java.net.InetAddress;

/**
 * Where and when a message was captured, whatever its protocol: the HEP header's fields that every
 * stored message has, and the correlation id its extractor chose.
 *
 * @param timestampMicros capture time, microseconds since the epoch, as the agent reported it
 * @param captureId       capture agent id
 * @param node            capture node name, or {@code null}
 * @param protoType       HEP payload type ({@link HepPayloadType#number()})
 * @param ipFamily        2 or 10, or 0 when unknown
 * @param transport       IP protocol number (6 TCP, 17 UDP, 132 SCTP, 0 unknown)
 * @param srcIp           source address, or {@code null}
 * @param srcPort         source port
 * @param dstIp           destination address, or {@code null}
 * @param dstPort         destination port
 * @param correlationId   correlation id: HEP chunk 0x0011, else what the payload's extractor names
 *                        (for SIP a configured A-leg header, else the Call-ID), or {@code null}
 * @param clockOffsetMicros what the receiver adds to {@code timestampMicros} to place the message on its
 *                        own clock: the agent's clock offset it estimated from arrival times (docs/ingest.md,
 *                        "Agent clocks"); 0 when the agent's time is believed as it is
 */
public record Envelope(long timestampMicros, long captureId, String node, int protoType, int ipFamily, int transport,
                       InetAddress srcIp, int srcPort, InetAddress dstIp, int dstPort, String correlationId,
                       long clockOffsetMicros) {

    /** An envelope whose time is believed as the agent sent it (no clock offset). */
    public Envelope(long timestampMicros, long captureId, String node, int protoType, int ipFamily, int transport,
                    InetAddress srcIp, int srcPort, InetAddress dstIp, int dstPort, String correlationId) {
        this(timestampMicros, captureId, node, protoType, ipFamily, transport, srcIp, srcPort, dstIp, dstPort,
                correlationId, 0);
    }

    /** The envelope of {@code packet}, with {@code correlationId} (the packet's own, or one its payload names). */
    public static Envelope of(HepPacket packet, String correlationId) {
        return new Envelope(packet.timestampMicros(), packet.captureId(), packet.node(), packet.protoType(),
                packet.ipFamily(), packet.ipProto(), packet.srcIp(), packet.srcPort(), packet.dstIp(),
                packet.dstPort(), correlationId);
    }

    /**
     * {@code instant} in the envelope's unit, microseconds since the epoch: how a receiver's or writer's clock is
     * compared with {@link #timestampMicros()}.
     *
     * @throws ArithmeticException for an instant beyond the range of a {@code long} of microseconds
     */
    public static long micros(java.time.Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    /** This envelope captured at {@code micros} instead (a fixture rebased to a test's clock, a re-timed message). */
    public Envelope withTimestampMicros(long micros) {
        return new Envelope(micros, captureId, node, protoType, ipFamily, transport, srcIp, srcPort, dstIp, dstPort,
                correlationId, clockOffsetMicros);
    }

    /** This envelope with the agent's clock offset the receiver estimated (0: the agent's time is believed). */
    public Envelope withClockOffsetMicros(long offset) {
        return new Envelope(timestampMicros, captureId, node, protoType, ipFamily, transport, srcIp, srcPort, dstIp,
                dstPort, correlationId, offset);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an envelope by name (tests, hand-made rows): UDP over IPv4, payload type SIP unless set. */
    public static final class Builder {
        private long timestampMicros;
        private long captureId;
        private String node;
        private int protoType = HepPayloadType.SIP.number();
        private int ipFamily = 2;
        private int transport = 17;
        private InetAddress srcIp;
        private int srcPort;
        private InetAddress dstIp;
        private int dstPort;
        private String correlationId;
        private long clockOffsetMicros;

        private Builder() {
        }

        public Builder timestampMicros(long v) { timestampMicros = v; return this; }
        public Builder captureId(long v) { captureId = v; return this; }
        public Builder node(String v) { node = v; return this; }
        public Builder protoType(int v) { protoType = v; return this; }
        public Builder ipFamily(int v) { ipFamily = v; return this; }
        public Builder transport(int v) { transport = v; return this; }
        public Builder source(InetAddress ip, int port) { srcIp = ip; srcPort = port; return this; }
        public Builder destination(InetAddress ip, int port) { dstIp = ip; dstPort = port; return this; }
        public Builder correlationId(String v) { correlationId = v; return this; }
        public Builder clockOffsetMicros(long v) { clockOffsetMicros = v; return this; }

        public Envelope build() {
            return new Envelope(timestampMicros, captureId, node, protoType, ipFamily, transport, srcIp, srcPort,
                    dstIp, dstPort, correlationId, clockOffsetMicros);
        }
    }
}
