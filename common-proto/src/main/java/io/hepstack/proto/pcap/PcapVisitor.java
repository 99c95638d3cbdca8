package io.hepstack.proto.pcap;

/**
 * Receives what {@link PcapReader} decodes, in capture order: UDP datagrams through {@link #onUdp},
 * reassembled TCP streams through the inherited {@link TcpStreamListener} methods, and each record
 * that yielded nothing through {@link #onSkip}. Every method but {@link #onUdp} defaults to doing nothing.
 */
public interface PcapVisitor extends TcpStreamListener {

    /** A UDP datagram. */
    void onUdp(PcapPacket packet);

    @Override
    default void onData(FlowKey flow, byte[] data, long timestampMicros, long frameNumber) {
    }

    /**
     * A record (or, for {@link SkipReason#IP_FRAGMENT_INCOMPLETE}, a datagram) was skipped.
     *
     * @param frameNumber 1-based record number
     * @param reason      the counted reason
     * @param detail      what was wrong, e.g. {@code IPv4 header length 16 at frame offset 14 (expected: at least 20)}
     */
    default void onSkip(long frameNumber, SkipReason reason, String detail) {
    }
}
