package io.hepstack.proto.pcap;

/** Why a TCP direction was closed by the reassembler. */
public enum TcpCloseReason {
    /** The sender's FIN was reached in sequence order. */
    FIN,
    /** A RST was seen in this direction. */
    RESET,
    /** A SYN with a new initial sequence number reopened the same four-tuple. */
    REOPENED,
    /** The flow table was full and this was the least recently active direction. */
    EVICTED,
    /** The capture ended while the direction was open. */
    END_OF_CAPTURE
}
