package io.hepstack.proto.pcap;

/** A packet that yields nothing, with its counted reason; no stack trace (an expected outcome). */
final class SkipException extends Exception {
    private final SkipReason reason;

    SkipException(SkipReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    SkipReason reason() {
        return reason;
    }
}
