package io.hepstack.proto.pcap;

/**
 * Receives the reassembled byte stream of each TCP direction, in sequence order, for a stream
 * framer (SIP over TCP by Content-Length, HEP over TCP by its length field).
 *
 * <p>Contract, per {@link FlowKey} (one direction): {@link #onData} carries each new byte exactly
 * once and in order; {@link #onGap} announces bytes that were never captured and are skipped, before
 * the data that follows them; {@link #onClose} is called once per connection incarnation, after which
 * a new SYN on the same key starts a new stream. Called on the reading thread, in capture order.
 */
public interface TcpStreamListener {

    /**
     * In-order stream bytes.
     *
     * @param flow            the direction the bytes travelled
     * @param data            the new bytes (retransmitted or overlapping bytes already trimmed); owned by the callee
     * @param timestampMicros capture time of the segment that carried them
     * @param frameNumber     1-based capture record number of that segment
     */
    void onData(FlowKey flow, byte[] data, long timestampMicros, long frameNumber);

    /**
     * The stream lost bytes that were never captured; the next {@link #onData} continues after them.
     * A framer should drop its partial message and resynchronise.
     *
     * @param flow         the direction
     * @param skippedBytes how many sequence numbers were skipped
     * @param frameNumber  record number of the first segment after the gap
     */
    default void onGap(FlowKey flow, long skippedBytes, long frameNumber) {
    }

    /**
     * The direction ended.
     *
     * @param flow   the direction
     * @param reason why
     */
    default void onClose(FlowKey flow, TcpCloseReason reason) {
    }
}
