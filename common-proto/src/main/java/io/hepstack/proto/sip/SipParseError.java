package io.hepstack.proto.sip;

/**
 * Why a byte sequence was not accepted as a SIP message, or ({@link #TRUNCATED} and {@link
 * #BAD_HEADER} only) what damage ended an accepted message's header block early. A closed set, meant
 * to be counted: the caller stores the raw bytes flagged unparsed and labels the rejection with this
 * constant; a damaged message is stored with its fields and labelled the same way.
 */
public enum SipParseError {
    /** No bytes at all, or only CRLF keep-alives (RFC 5626 §3.5.1) before the end of the input. */
    EMPTY,
    /**
     * The first line carries no {@code SIP/2.0} version where RFC 3261 §7.1/§7.2 puts one: neither
     * {@code SIP/2.0 SP Status-Code ...} nor {@code ... SP SIP/2.0}. HTTP, binary garbage and a
     * request line without its version land here.
     */
    NOT_SIP,
    /**
     * The first line names {@code SIP/2.0} but is malformed: a status code that is not 3 digits in
     * 100-699, a method that is not a token, a missing or extra Request-URI word.
     */
    BAD_START_LINE,
    /**
     * The input ends inside the start line, or inside a header line (no line end) before the Call-ID
     * and CSeq lines are complete. As damage: the input ends inside a later header line (left out)
     * or where the empty line after the headers should be.
     */
    TRUNCATED,
    /**
     * A header line without a colon, with an empty or blank-containing name, or a continuation line
     * before any header. As damage: such a line after the Call-ID and CSeq lines, which ends the
     * header block (a binary trailer without the empty line, for one).
     */
    BAD_HEADER,
    /** More header lines than {@link SipParser#MAX_HEADERS}. */
    TOO_MANY_HEADERS,
    /** No Call-ID header (RFC 3261 §8.1.1.4), or an empty one. */
    MISSING_CALL_ID,
    /** No CSeq header (RFC 3261 §8.1.1.5). */
    MISSING_CSEQ,
    /** A CSeq that is not {@code 1*DIGIT LWS Method}, or whose number is above 2^32-1. */
    BAD_CSEQ
}
