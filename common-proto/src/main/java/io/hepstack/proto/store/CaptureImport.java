package io.hepstack.proto.store;

import java.time.Duration;
import java.util.Objects;

/**
 * A capture imported as a whole (a PCAP file sent to the API): its messages are stored at their capture
 * times whatever their age, and kept for {@code keep} counted from the import, by a hold the partition
 * maintainer honours ({@code capture_imports}, docs/schema.md "Imported captures").
 *
 * @param id   the capture's identity, the same on every import of the same capture (a PCAP file's
 *             SHA-256 in hex); at most 128 characters
 * @param keep how long the import is kept from the moment it is imported (positive); importing the
 *             capture again renews it
 */
public record CaptureImport(String id, Duration keep) {

    public CaptureImport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(keep, "keep");
        if (id.isEmpty() || id.length() > 128) {
            throw new IllegalArgumentException("import id of " + id.length() + " characters (expected: 1..128)");
        }
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("import keep " + keep + " (expected: > 0)");
        }
    }
}
