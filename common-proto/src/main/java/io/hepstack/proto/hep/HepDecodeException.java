package io.hepstack.proto.hep;

import java.util.Objects;

/**
 * A HEP packet that cannot be decoded. Carries a {@link HepRejectReason} for counting and a
 * message naming the offset and what was expected, e.g. {@code chunk 0x0007 length 5 (expected: 8)}.
 * Stack traces are not filled in: rejections are an expected, counted outcome on the hot path.
 */
public final class HepDecodeException extends Exception {
    private final HepRejectReason reason;

    public HepDecodeException(HepRejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public HepRejectReason reason() {
        return reason;
    }
}
