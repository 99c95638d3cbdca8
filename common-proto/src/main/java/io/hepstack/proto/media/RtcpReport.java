package io.hepstack.proto.media;

import java.util.List;

/**
 * What one RTCP report says, however it was carried (binary RTCP, an agent's JSON): the sender and
 * receiver reports of a compound packet, its extended reports' VoIP metrics, and its CNAME.
 *
 * @param reports the sender and receiver reports, in order
 * @param voip    the VoIP metrics blocks of its extended reports
 * @param cname   the first source description's CNAME, or {@code null}
 * @param summaries the statistics summary blocks of its extended reports
 */
public record RtcpReport(List<SenderOrReceiver> reports, List<Extended> voip, String cname, List<Summary> summaries) {

    public RtcpReport {
        reports = List.copyOf(reports);
        voip = List.copyOf(voip);
        summaries = List.copyOf(summaries);
    }

    /** A report without statistics summaries. */
    public RtcpReport(List<SenderOrReceiver> reports, List<Extended> voip, String cname) {
        this(reports, voip, cname, List.of());
    }

    /** The report in a HEP type 5 payload: binary RTCP ({@link RtcpParser}) or an agent's JSON ({@link RtcpJson}). */
    public static RtcpReport read(byte[] payload) throws RtcpDecodeException {
        return RtcpParser.looksLikeRtcp(payload) ? RtcpParser.parse(payload) : RtcpJson.parse(payload);
    }

    /**
     * A sender report (packet type 200, with {@code sender}) or a receiver report (201, {@code sender} null).
     *
     * @param ssrc   the reporter
     * @param sender what it sent, for a sender report
     * @param blocks what it received, per source
     */
    public record SenderOrReceiver(long ssrc, SenderInfo sender, List<ReportBlock> blocks) {

        public SenderOrReceiver {
            blocks = List.copyOf(blocks);
        }

        /** 200 for a sender report, 201 for a receiver report. */
        public int packetType() {
            return sender != null ? RtcpParser.SR : RtcpParser.RR;
        }
    }

    /**
     * A VoIP metrics block with its reporter.
     *
     * @param ssrc    the reporter (the extended report's SSRC)
     * @param metrics the block
     */
    public record Extended(long ssrc, VoipMetrics metrics) {
    }

    /**
     * A statistics summary block with its reporter.
     *
     * @param ssrc  the reporter (the extended report's SSRC)
     * @param stats the block
     */
    public record Summary(long ssrc, StatisticsSummary stats) {
    }
}
