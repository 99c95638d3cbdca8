package io.hepstack.proto.sip;

import java.util.Objects;

/**
 * Bytes that are not an acceptable SIP message, or the damage that ended an accepted message's header
 * block early ({@link SipMessage#damage()}). Carries a {@link SipParseError} for counting and a
 * message saying what was found and where, e.g. {@code line 1: status code "2x0" is not 3 digits
 * (offset 8)}. Stack traces are not filled in: rejections are an expected, counted outcome on the
 * ingest hot path.
 */
public final class SipParseException extends Exception {
    private final SipParseError reason;
    private final int offset;

    /**
     * @param reason what kind of rejection this is
     * @param detail what was found and where
     * @param offset offset of the offending byte from the start of the message, or -1
     */
    public SipParseException(SipParseError reason, String detail, int offset) {
        super(detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.offset = offset;
    }

    /** Why the message was rejected. */
    public SipParseError reason() {
        return reason;
    }

    /** Offset of the offending byte from the start of the message (not of the buffer), or -1. */
    public int offset() {
        return offset;
    }

    /**
     * {@code REASON: message}, e.g. {@code TRUNCATED: line 5: message ends inside header "From"
     * (offset 92)}: the form stored as {@code sipError} and shown by the tools.
     */
    public String summary() {
        return reason.name() + ": " + getMessage();
    }
}
