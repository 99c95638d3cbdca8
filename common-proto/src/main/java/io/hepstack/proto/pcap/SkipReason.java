package io.hepstack.proto.pcap;

/**
 * Why a capture record yielded no UDP datagram or TCP segment. A closed set: each constant is a
 * counter in {@link PcapStats#skipped()} and is reported with a detail through {@link PcapVisitor#onSkip}.
 */
public enum SkipReason {
    /** The interface link type is not one this reader decodes. */
    UNSUPPORTED_LINK_TYPE,
    /** The link layer carries something other than IPv4 or IPv6 (ARP, LLDP, 802.3 frames...). */
    NOT_IP,
    /** IP carries something other than UDP or TCP (ICMP, SCTP, ESP...), or IPv6 with no next header. */
    NOT_UDP_OR_TCP,
    /** The record is too short for its link-layer header, or the header is inconsistent. */
    MALFORMED_LINK_HEADER,
    /** A bad IPv4 or IPv6 header: version, header length, total length, extension header. */
    MALFORMED_IP_HEADER,
    /** A bad UDP or TCP header: length field, data offset. */
    MALFORMED_TRANSPORT_HEADER,
    /** The record was cut by the capture's snapshot length before the end of the packet. */
    CUT_BY_SNAPLEN,
    /**
     * An IP datagram whose fragments never all arrived (at end of capture, after 60 s of capture
     * time, or evicted by the pending-datagram cap). Counted once per datagram, not per fragment.
     */
    IP_FRAGMENT_INCOMPLETE
}
