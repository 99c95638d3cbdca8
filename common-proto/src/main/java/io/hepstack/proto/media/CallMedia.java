package io.hepstack.proto.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A call's media quality read from its RTCP reports: one {@link Stream} per source a reporter received (the
 * report blocks about one SSRC in one reporter's reports), each report rated with the {@link EModel}, and
 * the call's {@link Verdict}s in words. Pure: the reports come from wherever they are stored.
 *
 * <p>Each report is rated as it was sent: loss from its fraction lost, jitter in ms by the codec's clock,
 * and a mouth-to-ear delay of half its round trip (0 when unknown) plus a jitter buffer of twice its jitter
 * plus 20 ms of packetisation (docs/media.md).
 */
public final class CallMedia {

    /** Packetisation and codec delay assumed in every mouth-to-ear delay. */
    static final double PACKETISATION_MS = 20;

    /** The verdicts' codes. */
    public static final String ONE_WAY_AUDIO = "one_way_audio";
    public static final String HIGH_LOSS = "high_loss";
    public static final String HIGH_JITTER = "high_jitter";
    public static final String HIGH_RTT = "high_rtt";
    public static final String NO_MEDIA_REPORTS = "no_media_reports";
    /** Every verdict code, worst first. */
    public static final List<String> VERDICTS = List.of(ONE_WAY_AUDIO, HIGH_LOSS, HIGH_JITTER, HIGH_RTT, NO_MEDIA_REPORTS);

    private CallMedia() {
    }

    /**
     * One RTCP report of the call, with where it was captured going.
     *
     * @param capturedMicros capture time
     * @param reporter       the report's source address ({@code ip:port}): the endpoint that sends it
     * @param peer           its destination: the other end of the media
     * @param leg            the call leg (Call-ID) it belongs to, or {@code null}
     * @param report         what it says
     */
    public record Report(long capturedMicros, String reporter, String peer, String leg, RtcpReport report) {
    }

    /** One report's figures, as charted. */
    public record Point(long atMicros, double lossPercent, double jitterMs, Double rttMs, double mos) {
    }

    /**
     * What one reporter received of one source over the call.
     *
     * @param sourceSsrc     the stream's source
     * @param reporterSsrc   who reported it
     * @param from           where the media came from (the reports' destination address)
     * @param to             where it arrived (the reports' source address)
     * @param leg            its call leg
     * @param reports        how many reports
     * @param lossPercent    mean loss
     * @param maxLossPercent worst loss of one report
     * @param packetsLost    cumulative loss at the last report
     * @param packetsExpected packets the source sent between the stream's first and last report (the growth of the
     *                       extended highest sequence number received, RFC 3550 section 6.4.1), or {@code null} with
     *                       a single report or from reports that carry no sequence number (voice-quality and RTP
     *                       agents' reports)
     * @param packetsReceived of those, the ones received: expected less the growth of the cumulative loss, or
     *                       {@code null} as {@code packetsExpected}
     * @param jitterMs       mean jitter
     * @param maxJitterMs    worst jitter
     * @param rttMs          mean round trip, or {@code null} when none was known
     * @param mos            mean MOS (E-model)
     * @param minMos         worst MOS of one report
     * @param reportedMos    the mean MOS-LQ its extended reports gave, or {@code null}
     * @param series         each report's figures, in time order
     */
    public record Stream(long sourceSsrc, long reporterSsrc, String from, String to, String leg, int reports,
                         double lossPercent, double maxLossPercent, long packetsLost, Long packetsExpected,
                         Long packetsReceived, double jitterMs, double maxJitterMs,
                         Double rttMs, double mos, double minMos, Double reportedMos, List<Point> series) {
    }

    /**
     * A finding in words.
     *
     * @param code   {@code one_way_audio}, {@code high_loss}, {@code high_jitter}, {@code high_rtt} or {@code no_media_reports}
     * @param text   what an engineer reads
     * @param stream the stream it is about (its index in {@link Summary#streams()}), or {@code null} for the call
     */
    public record Verdict(String code, String text, Integer stream) {
    }

    /**
     * @param codec    the codec the streams were rated with
     * @param streams  every stream, by first report
     * @param verdicts what is wrong, worst first; empty when nothing is
     * @param reports  the reports read
     */
    public record Summary(Codec codec, List<Stream> streams, List<Verdict> verdicts, int reports) {
    }

    /**
     * One report block of {@code report}, captured at {@code at}, rated with {@code codec}: its loss, its jitter in ms
     * by the codec's clock, its round trip (from LSR and DLSR, else the one the reporter's extended report about the
     * same source measured, else unknown), and the E-model MOS of a mouth-to-ear delay of half the round trip (0 when
     * unknown) plus a jitter buffer of twice the jitter plus 20 ms of packetisation.
     */
    public static Point rate(long at, ReportBlock b, Codec codec, RtcpReport report) {
        double jitter = b.jitterMs(codec.clockRate());
        Double rtt = b.roundTripMs(at);
        if (rtt == null) {
            for (RtcpReport.Extended x : report.voip()) {
                if (x.metrics().sourceSsrc() == b.sourceSsrc() && x.metrics().roundTripDelayMs() != null) {
                    rtt = (double) x.metrics().roundTripDelayMs();
                }
            }
        }
        double delay = (rtt == null ? 0 : rtt / 2) + 2 * jitter + PACKETISATION_MS;
        return new Point(at, b.lossPercent(), jitter, rtt, EModel.mos(EModel.rating(codec, b.lossPercent(), delay)));
    }

    /** A media end as reports name it: {@code ip:port}, {@code [v6]:port}, {@code ?} without an address. */
    public static String endpoint(String ip, Integer port) {
        if (ip == null) {
            return "?";
        }
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + (port == null ? 0 : port);
    }

    /** The summary of {@code reports} (in any order), rated with {@code codec}. */
    public static Summary summarize(List<Report> reports, Codec codec, MediaThresholds limits) {
        List<Report> sorted = new ArrayList<>(reports);
        sorted.sort((a, b) -> Long.compare(a.capturedMicros(), b.capturedMicros()));
        Map<String, Acc> streams = new LinkedHashMap<>();
        Map<String, Silence> reporters = new LinkedHashMap<>(); // reporters that received nothing so far
        for (Report r : sorted) {
            for (RtcpReport.SenderOrReceiver sr : r.report().reports()) {
                String reporterKey = sr.ssrc() + "|" + r.reporter();
                if (sr.blocks().isEmpty()) {
                    reporters.computeIfAbsent(reporterKey, k -> new Silence(r, sr.ssrc())).seen(r.capturedMicros());
                    continue;
                }
                for (ReportBlock b : sr.blocks()) {
                    streams.computeIfAbsent(b.sourceSsrc() + ">" + reporterKey,
                                    k -> new Acc(b.sourceSsrc(), sr.ssrc(), r.peer(), r.reporter(), r.leg()))
                            .add(r.capturedMicros(), b, codec, r.report());
                }
            }
        }
        List<Stream> out = new ArrayList<>(streams.size());
        streams.values().forEach(a -> out.add(a.stream()));
        List<Verdict> verdicts = new ArrayList<>();
        if (sorted.isEmpty()) {
            verdicts.add(new Verdict(NO_MEDIA_REPORTS, "No RTCP report was captured for this call: its media "
                    + "quality is unknown (is the media relay or the endpoints' agent sending reports?)", null));
        }
        // one-way audio: a reporter that never received anything, while media did flow the other way
        for (Silence s : reporters.values()) {
            boolean receivedLater = streams.values().stream().anyMatch(a -> a.reporterSsrc == s.ssrc && a.to.equals(s.reporter));
            if (!receivedLater && !out.isEmpty()) {
                verdicts.add(new Verdict(ONE_WAY_AUDIO, s.reporter + " received no media from " + s.peer + " ("
                        + s.count + " report" + (s.count == 1 ? "" : "s") + " over " + seconds(s.last - s.first)
                        + "), while media flowed the other way: one-way audio", null));
            }
        }
        for (int i = 0; i < out.size(); i++) {
            Stream st = out.get(i);
            String path = st.from() + " → " + st.to();
            if (st.lossPercent() >= 99) {
                verdicts.add(new Verdict(ONE_WAY_AUDIO, path + ": every packet lost (" + st.reports()
                        + " reports): one-way audio", i));
            } else if (st.lossPercent() > limits.lossPercent()) {
                verdicts.add(new Verdict(HIGH_LOSS, path + ": " + pct(st.lossPercent()) + " of packets lost on average (worst "
                        + pct(st.maxLossPercent()) + "; above " + pct(limits.lossPercent()) + ")", i));
            }
            if (st.maxJitterMs() > limits.jitterMs()) {
                verdicts.add(new Verdict(HIGH_JITTER, path + ": jitter up to " + ms(st.maxJitterMs()) + " (above "
                        + ms(limits.jitterMs()) + ")", i));
            }
            if (st.rttMs() != null && st.rttMs() > limits.rttMs()) {
                verdicts.add(new Verdict(HIGH_RTT, path + ": round trip " + ms(st.rttMs()) + " on average (above "
                        + ms(limits.rttMs()) + ")", i));
            }
        }
        return new Summary(codec, out, verdicts, sorted.size());
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", v);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.0f ms", v);
    }

    private static String seconds(long micros) {
        return String.format(Locale.ROOT, "%.0f s", micros / 1e6);
    }

    /** A reporter whose reports had no block. */
    private static final class Silence {
        final String reporter;
        final String peer;
        final long ssrc;
        long first = Long.MAX_VALUE;
        long last;
        int count;

        Silence(Report r, long ssrc) {
            this.reporter = r.reporter();
            this.peer = r.peer();
            this.ssrc = ssrc;
        }

        void seen(long at) {
            first = Math.min(first, at);
            last = Math.max(last, at);
            count++;
        }
    }

    /** A stream's reports as they are added. */
    private static final class Acc {
        final long sourceSsrc;
        final long reporterSsrc;
        final String from;
        final String to;
        final String leg;
        final List<Point> series = new ArrayList<>();
        long packetsLost;
        long firstSeq = -1;
        long lastSeq = -1;
        long firstLost;
        double rttSum;
        int rttCount;
        double reportedMosSum;
        int reportedMosCount;

        Acc(long sourceSsrc, long reporterSsrc, String from, String to, String leg) {
            this.sourceSsrc = sourceSsrc;
            this.reporterSsrc = reporterSsrc;
            this.from = from;
            this.to = to;
            this.leg = leg;
        }

        void add(long at, ReportBlock b, Codec codec, RtcpReport report) {
            Point p = rate(at, b, codec, report);
            series.add(p);
            packetsLost = b.cumulativeLost();
            if (b.highestSeq() > 0) { // 0: a report that carries no sequence number
                if (firstSeq < 0) {
                    firstSeq = b.highestSeq();
                    firstLost = b.cumulativeLost();
                }
                lastSeq = b.highestSeq();
            }
            if (p.rttMs() != null) {
                rttSum += p.rttMs();
                rttCount++;
            }
            for (RtcpReport.Extended x : report.voip()) {
                if (x.metrics().sourceSsrc() == sourceSsrc && x.metrics().mosLq() != null) {
                    reportedMosSum += x.metrics().mosLq();
                    reportedMosCount++;
                }
            }
        }

        Stream stream() {
            double loss = 0;
            double maxLoss = 0;
            double jitter = 0;
            double maxJitter = 0;
            double mos = 0;
            double minMos = 5;
            for (Point p : series) {
                loss += p.lossPercent();
                maxLoss = Math.max(maxLoss, p.lossPercent());
                jitter += p.jitterMs();
                maxJitter = Math.max(maxJitter, p.jitterMs());
                mos += p.mos();
                minMos = Math.min(minMos, p.mos());
            }
            int n = series.size();
            Long expected = null;
            Long received = null;
            if (firstSeq >= 0 && lastSeq > firstSeq) { // reports in capture order: a restarted source goes back
                expected = lastSeq - firstSeq;
                received = Math.max(0, expected - Math.max(0, packetsLost - firstLost));
            }
            return new Stream(sourceSsrc, reporterSsrc, from, to, leg, n, loss / n, maxLoss, packetsLost, expected, received,
                    jitter / n,
                    maxJitter, rttCount == 0 ? null : rttSum / rttCount, mos / n, minMos,
                    reportedMosCount == 0 ? null : reportedMosSum / reportedMosCount, List.copyOf(series));
        }
    }
}
