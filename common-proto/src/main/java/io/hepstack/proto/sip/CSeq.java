package io.hepstack.proto.sip;

/**
 * The CSeq header (RFC 3261 §20.16): sequence number and method.
 *
 * @param number sequence number, 0 to 2^32-1
 * @param method method token, case as written
 */
public record CSeq(long number, String method) {
}
