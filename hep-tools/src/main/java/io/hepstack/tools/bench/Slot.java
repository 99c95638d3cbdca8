package io.hepstack.tools.bench;

/**
 * A fixed-width field of a SIP template, written per scenario instance. Fixed widths keep every
 * message of a template the same length, so Content-Length and the HEP lengths are computed once.
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
    RTPB(5);

    final int width;

    Slot(int width) {
        this.width = width;
    }
}
