package io.hepstack.proto.media;

/**
 * One reception report block of a sender or receiver report (RFC 3550 section 6.4.1): what the reporter
 * received of one source's stream.
 *
 * @param sourceSsrc     the stream reported on
 * @param fractionLost   packets lost since the previous report, as a fixed-point fraction of 256 (0-255)
 * @param cumulativeLost packets lost since the start (signed: duplicates can make it negative)
 * @param highestSeq     extended highest sequence number received
 * @param jitter         interarrival jitter, in RTP timestamp units (the codec's clock)
 * @param lsr            middle 32 bits of the NTP timestamp of the last sender report received, or 0
 * @param dlsr           delay since that sender report, in units of 1/65536 s
 */
public record ReportBlock(long sourceSsrc, int fractionLost, int cumulativeLost, long highestSeq, long jitter,
                          long lsr, long dlsr) {

    /** A percentage as RTCP's fraction of 256 (the inverse of {@link #lossPercent()}), within 0 to 255 (RTCP's most). */
    public static int fractionOf(double percent) {
        return (int) Math.min(255, Math.max(0, Math.round(percent * 256 / 100)));
    }

    /** {@link #fractionLost()} as a percentage, 0 to 99.6. */
    public double lossPercent() {
        return fractionLost * 100.0 / 256;
    }

    /** {@link #jitter()} in milliseconds for a codec clock of {@code clockRate} Hz (8000 for G.711). */
    public double jitterMs(int clockRate) {
        return jitter * 1000.0 / clockRate;
    }

    /**
     * Round-trip time in ms (RFC 3550 section 6.4.1: arrival − LSR − DLSR), with the report's arrival at
     * {@code arrivalMicros} (µs since the Unix epoch, e.g. its capture time); {@code null} when there was
     * no sender report yet (LSR 0) or the clocks involved disagree so much that the result is not a
     * round trip (below 0 or above 10 s).
     */
    public Double roundTripMs(long arrivalMicros) {
        if (lsr == 0) {
            return null;
        }
        long arrival = Ntp.middle32(arrivalMicros);
        long rtt = (arrival - lsr - dlsr) & 0xFFFF_FFFFL; // 1/65536 s, modulo the 32-bit wrap
        double ms = rtt * 1000.0 / 65536;
        return ms <= 10_000 ? ms : null;
    }
}
