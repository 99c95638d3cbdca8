package io.hepstack.proto.media;

/** NTP timestamps as RTCP carries them (RFC 3550 section 4): seconds since 1900 and a 32-bit fraction. */
final class Ntp {

    /** Seconds from 1900-01-01 (NTP's epoch) to 1970-01-01. */
    static final long UNIX_OFFSET = 2_208_988_800L;

    private Ntp() {
    }

    /** The middle 32 bits of the NTP timestamp of {@code unixMicros}: 16 bits of seconds, 16 of fraction. */
    static long middle32(long unixMicros) {
        long seconds = Math.floorDiv(unixMicros, 1_000_000L) + UNIX_OFFSET;
        long micros = Math.floorMod(unixMicros, 1_000_000L);
        long fraction16 = (micros << 16) / 1_000_000L;
        return ((seconds & 0xFFFF) << 16 | fraction16) & 0xFFFF_FFFFL;
    }

    /**
     * µs since the Unix epoch of an NTP timestamp of {@code seconds} and a 32-bit {@code fraction}, rounded
     * down to the last µs of its second at most. Seconds with the top bit clear are in NTP era 1 (from
     * 2036-02-07, RFC 4330 section 3), the others in era 0 (from 1968).
     */
    static long unixMicros(long seconds, long fraction) {
        long era = (seconds & 0x8000_0000L) == 0 ? 1L << 32 : 0;
        long micros = Math.min(999_999L, (fraction * 1_000_000L + (1L << 31)) >>> 32);
        return (seconds + era - UNIX_OFFSET) * 1_000_000L + micros;
    }

    /** NTP seconds (since 1900, modulo 2^32: the era is not sent) of {@code unixMicros}. */
    static long seconds(long unixMicros) {
        return (Math.floorDiv(unixMicros, 1_000_000L) + UNIX_OFFSET) & 0xFFFF_FFFFL;
    }

    /** The 32-bit NTP fraction of {@code unixMicros}'s sub-second part, rounded. */
    static long fraction(long unixMicros) {
        return ofMicros(Math.floorMod(unixMicros, 1_000_000L)) & 0xFFFF_FFFFL;
    }

    /** 2^32 · micros / 10^6, rounded (below 2^32 for every micros below 10^6). */
    private static long ofMicros(long micros) {
        return ((micros << 32) + 500_000L) / 1_000_000L;
    }
}
