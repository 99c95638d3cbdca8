package io.hepstack.proto.hep;

/**
 * Why a HEP packet was rejected. A closed set: each constant becomes the {@code reason} label of
 * the {@code hep_packets_rejected_total} metric and the {@code error} field of {@code hep-tools decode}.
 */
public enum HepRejectReason {
    /** Fewer bytes than the smallest header of any HEP version. */
    TRUNCATED_HEADER,
    /** The first byte is neither 1, 2 nor the start of {@code HEP3}. */
    UNKNOWN_VERSION,
    /** HEPv3 total length field disagrees with the datagram or frame size. */
    LENGTH_MISMATCH,
    /** HEPv3 total length above the configured maximum frame size. */
    FRAME_TOO_LARGE,
    /** A chunk header announces a length below 6 (its own header). */
    CHUNK_TOO_SHORT,
    /** A chunk runs past the end of the packet, or a chunk header is cut. */
    CHUNK_PAST_END,
    /** A fixed-size generic chunk (IP, port, timestamp...) has the wrong length. */
    CHUNK_BAD_LENGTH,
    /** The IP family is neither IPv4 (2) nor IPv6 (10), or disagrees with the addresses. */
    BAD_IP_FAMILY,
    /** HEPv1/v2 header-length byte disagrees with the address family, or the header is cut. */
    BAD_HEADER_LENGTH,
    /** A gzip payload chunk that does not inflate. */
    BAD_COMPRESSED_PAYLOAD,
    /** A gzip payload chunk that inflates beyond the decoder's cap (a decompression bomb). */
    PAYLOAD_TOO_LARGE,
    /** The packet has no payload chunk. */
    MISSING_PAYLOAD
}
