package io.hepstack.proto.media;

/**
 * A statistics summary report block of an extended report (RFC 3611 section 4.6, block type 6): what the
 * reporter counted of one source's packets with sequence numbers from {@code beginSeq} to {@code endSeq}
 * (exclusive, modulo 2^16). Each measure is {@code null} when its flag says the reporter did not count it.
 *
 * @param sourceSsrc       the stream reported on
 * @param beginSeq         first sequence number of the interval
 * @param endSeq           last sequence number of the interval, plus one
 * @param lostPackets      packets lost in the interval (flag L)
 * @param duplicatePackets packets received more than once (flag D)
 * @param minJitter        least jitter, in RTP timestamp units (flag J, with the three below)
 * @param maxJitter        greatest jitter
 * @param meanJitter       mean jitter
 * @param devJitter        its standard deviation
 */
public record StatisticsSummary(long sourceSsrc, int beginSeq, int endSeq, Long lostPackets, Long duplicatePackets,
                                Long minJitter, Long maxJitter, Long meanJitter, Long devJitter) {

    /** Packets expected in the interval (its sequence numbers, modulo 2^16). */
    public int expected() {
        return (endSeq - beginSeq) & 0xFFFF;
    }

    /** Lost packets as a percentage of those expected, {@code null} when not counted or none was expected. */
    public Double lossPercent() {
        int expected = expected();
        return lostPackets == null || expected == 0 ? null : Math.min(100.0, lostPackets * 100.0 / expected);
    }
}
