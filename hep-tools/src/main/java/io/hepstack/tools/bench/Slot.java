package io.hepstack.tools.bench;

/**
 * A fixed-width field of a message template (SIP text, RTCP JSON, the HEP correlation id), written per
 * scenario instance. Fixed widths keep every message of a template the same length, so Content-Length
 * and the HEP lengths are computed once. The numbers of the RTCP report are JSON numbers padded with
 * leading spaces (JSON whitespace; leading zeros are not JSON).
 */
enum Slot {
    /** Scenario sequence number in the Call-ID, hex. */
    SEQ(12),
    FTAG(10),
    TTAG(10),
    /** Via branch stem; the template appends the transaction letter. */
    BR(10),
    NONCE(32),
    RESP(32),
    AUSER(8),
    BUSER(8),
    /** Dotted IPv4 of A, always {@code 10.1xx.1xx.1xx}. */
    AIP(14),
    BIP(14),
    CSEQ(5),
    /** CSeq of the second transaction (BYE, REGISTER with credentials). */
    CSEQ2(5),
    SESS(10),
    RTPA(5),
    RTPB(5),
    /** SSRC of A's stream (decimal, 10 digits), from the call; and of B's. */
    SSRCA(10),
    SSRCB(10),
    /** NTP timestamp of the sender report: seconds since 1900 and the 32-bit fraction, from the capture time. */
    NTPSEC(10),
    NTPFRAC(10),
    /** RTP timestamp, packets and octets sent, of this report. */
    RTPTS(10),
    PACKETS(6),
    OCTETS(8),
    /** Report block of this report: extended highest sequence number received, loss, jitter, LSR, DLSR. */
    HSEQ(10),
    FLOST(3),
    LOST(4),
    JITTER(4),
    LSR(10),
    DLSR(6);

    final int width;

    Slot(int width) {
        this.width = width;
    }
}
