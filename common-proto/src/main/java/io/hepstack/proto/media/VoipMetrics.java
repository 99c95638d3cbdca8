package io.hepstack.proto.media;

/**
 * A VoIP metrics report block of an extended report (RFC 3611 section 4.7, block type 7): the reporter's
 * own view of a stream's quality. Rates are fixed-point fractions of 256; a value the reporter does not
 * know is {@code null} (sent as 127 for the R-factor and the MOS, as 0 for the delays).
 *
 * @param sourceSsrc       the stream reported on
 * @param lossRate         packets lost, fraction of 256
 * @param discardRate      packets discarded (late, early), fraction of 256
 * @param burstDensity     loss and discard density in bursts, fraction of 256
 * @param gapDensity       the same between bursts, fraction of 256
 * @param burstDurationMs  mean burst length
 * @param gapDurationMs    mean gap length
 * @param roundTripDelayMs the last round-trip delay, or {@code null} when unknown (0)
 * @param endSystemDelayMs the reporter's own delay (jitter buffer, codec), or {@code null} when unknown (0)
 * @param rFactor          the reporter's R-factor, 0-100, or {@code null} (127: unavailable)
 * @param mosLq            listening-quality MOS, 1.0-4.9, or {@code null} (127: unavailable)
 * @param mosCq            conversational-quality MOS, 1.0-4.9, or {@code null}
 * @param jitterBufferNominalMs the jitter buffer's nominal delay
 */
public record VoipMetrics(long sourceSsrc, int lossRate, int discardRate, int burstDensity, int gapDensity,
                          int burstDurationMs, int gapDurationMs, Integer roundTripDelayMs, Integer endSystemDelayMs,
                          Integer rFactor, Double mosLq, Double mosCq, int jitterBufferNominalMs) {

    /** {@link #lossRate()} as a percentage. */
    public double lossPercent() {
        return lossRate * 100.0 / 256;
    }
}
