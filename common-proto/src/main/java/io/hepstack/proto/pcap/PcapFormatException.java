package io.hepstack.proto.pcap;

import java.io.IOException;

/**
 * The capture file itself is malformed (bad magic, impossible lengths, inconsistent blocks), so
 * reading cannot go on. The message names the record or block, its byte offset in the file and what
 * was expected: {@code record 12 at offset 4096: captured length 16777217 exceeds the reader's limit 16777216}.
 * A malformed packet inside a well-formed record is not an exception but a {@link SkipReason}.
 */
public final class PcapFormatException extends IOException {
    private final long offset;

    PcapFormatException(String where, long offset, String detail) {
        super(where + " at offset " + offset + ": " + detail);
        this.offset = offset;
    }

    /** Byte offset in the file of the record, block or header that is malformed. */
    public long offset() {
        return offset;
    }
}
