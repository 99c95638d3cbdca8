package io.hepstack.ingest.media;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.ingest.sip.NodeLabels;
import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.media.Codec;
import io.hepstack.proto.media.ReportBlock;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MediaReading;
import io.hepstack.proto.model.MessageKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The media quality of every report as it arrives, per capture node (docs/media.md, "Metrics"): histograms of
 * each report block's loss, jitter, round trip and E-model MOS, and the reports counted by whether they were
 * read ({@code read}) or why not (the reason its extractor gave: {@link MediaReading}). A collector does not know a stream's
 * codec (it is in the call's SDP), so every block is rated as G.711 at 8 kHz: the same MOS as the call's view
 * for G.711 calls (most), and a jitter 6 times too high for Opus at 48 kHz. Thread-safe.
 */
public final class MediaKpis implements Consumer<CapturedMessage> {

    static final double[] LOSS_PERCENT = {0.5, 1, 2, 3, 5, 10, 20, 50};
    static final double[] JITTER_MS = {5, 10, 20, 30, 50, 100, 200};
    static final double[] RTT_MS = {50, 100, 150, 200, 300, 400, 600, 1000};
    static final double[] MOS = {2.5, 3, 3.5, 3.6, 3.8, 4, 4.2, 4.4};
    static final String READ = "read";

    private final MeterRegistry registry;
    private final boolean enabled;
    private final NodeLabels nodes;
    private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private final Map<String, Counter> reports = new ConcurrentHashMap<>();

    /** With the SIP KPIs' settings: on and off with them, the same bound of node labels. */
    public MediaKpis(MeterRegistry registry, IngestProperties.Kpi cfg) {
        this.registry = registry;
        this.enabled = cfg.enabled();
        this.nodes = new NodeLabels(cfg.maxNodes());
    }

    @Override
    public void accept(CapturedMessage m) {
        if (!enabled || m.kind() != MessageKind.QOS) {
            return;
        }
        if (!(m.part() instanceof MediaReading reading)) {
            return; // a report of a format not read here (type 58)
        }
        RtcpReport report = reading.report();
        String error = reading.unreadReason() == null ? null : reading.unreadReason().code();
        String node = nodes.of(m);
        count(node, error == null ? READ : error);
        if (report == null) {
            return;
        }
        long at = m.envelope().timestampMicros();
        for (RtcpReport.SenderOrReceiver sr : report.reports()) {
            for (ReportBlock b : sr.blocks()) {
                CallMedia.Point p = CallMedia.rate(at, b, Codec.PCMU, report);
                summary("hep.media.loss", "percent", "Packet loss of each report block", LOSS_PERCENT, node).record(p.lossPercent());
                summary("hep.media.jitter", "ms", "Interarrival jitter of each report block (8 kHz clock)", JITTER_MS, node)
                        .record(p.jitterMs());
                if (p.rttMs() != null) {
                    summary("hep.media.rtt", "ms", "Round trip of each report block that has one", RTT_MS, node).record(p.rttMs());
                }
                summary("hep.media.mos", null, "E-model MOS of each report block, rated as G.711", MOS, node).record(p.mos());
            }
        }
    }

    private void count(String node, String result) {
        reports.computeIfAbsent(node + ' ' + result, k -> Counter.builder("hep.media.reports")
                .description("Media reports (RTCP, voice-quality reports in SIP, RTP agents' reports) by capture node: read, or why not")
                .tag("node", node).tag("result", result).register(registry)).increment();
    }

    private DistributionSummary summary(String name, String unit, String description, double[] buckets, String node) {
        return summaries.computeIfAbsent(name + ' ' + node, k -> DistributionSummary.builder(name).baseUnit(unit)
                .description(description).serviceLevelObjectives(buckets).tag("node", node).register(registry));
    }
}
