package io.hepstack.proto.media;

/**
 * Where a stream's quality becomes a verdict (docs/media.md, "Verdicts").
 *
 * @param lossPercent mean loss above this: {@code high_loss}
 * @param jitterMs    highest jitter above this: {@code high_jitter}
 * @param rttMs       mean round trip above this: {@code high_rtt}
 */
public record MediaThresholds(double lossPercent, double jitterMs, double rttMs) {

    /** 5 % loss (MOS about 3.9 for G.711, below 3.5 for G.729), 50 ms jitter, 400 ms round trip (G.114: 200 ms one way). */
    public static final MediaThresholds DEFAULTS = new MediaThresholds(5, 50, 400);
}
