package io.hepstack.proto.media;

import java.util.Locale;
import java.util.Objects;

/**
 * An RTCP report that cannot be read, with a {@link Reason} for counting and a detail naming the offset and
 * what was expected, e.g. {@code packet at 28: length 7 words runs past the end (20 bytes left)}. Stack
 * traces are not filled in: bad reports are an expected, counted outcome.
 */
public final class RtcpDecodeException extends Exception {

    /** Why a report was not read; {@link #code()} is the metric label. */
    public enum Reason {
        /** Fewer bytes than an RTCP header, or than the packet type's fixed part. */
        TRUNCATED,
        /** An RTCP header whose version is not 2. */
        BAD_VERSION,
        /** A packet's length field runs past the end of the datagram. */
        LENGTH_PAST_END,
        /** A report count whose blocks run past the end of their packet. */
        BLOCKS_PAST_END,
        /** An extended report block past the end of its packet, or of a length its type does not have. */
        BAD_XR_BLOCK,
        /** A JSON report that is not valid JSON. */
        BAD_JSON,
        /** A JSON report of the wrong shape: not an object, a field of the wrong type, a value out of range. */
        WRONG_SHAPE,
        /** Nothing to read: no sender, receiver or extended report. */
        NO_REPORT,
        /** A voice-quality report in SIP (RFC 6035) without its call, its reporter or any metrics, or with a bad number. */
        BAD_VQ_REPORT;

        /** {@code blocks_past_end}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public RtcpDecodeException(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** {@code blocks_past_end: packet at 0: 3 report blocks need 80 bytes, the packet has 56}. */
    public String summary() {
        return reason.code() + ": " + getMessage();
    }
}
