package io.hepstack.proto.hep;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A HEPv3 chunk kept as raw bytes: a vendor chunk, an unknown generic type, or a secondary generic
 * type whose layout is not settled (see HEP.md), stored losslessly and never a reason to reject.
 *
 * @param vendor vendor id (0 generic, 1 FreeSWITCH, 2 Kamailio, ...)
 * @param type   chunk type
 * @param value  chunk body without its 6-byte header
 */
public record HepChunk(int vendor, int type, byte[] value) {

    public HepChunk {
        Objects.requireNonNull(value, "value");
    }

    /** The body as lower-case hex. */
    public String hex() {
        return HexFormat.of().formatHex(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HepChunk c && vendor == c.vendor && type == c.type && Arrays.equals(value, c.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * vendor + type) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "HepChunk[vendor=" + vendor + ", type=0x" + Integer.toHexString(type) + ", value=" + hex() + "]";
    }
}
