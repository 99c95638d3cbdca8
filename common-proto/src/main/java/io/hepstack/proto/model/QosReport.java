package io.hepstack.proto.model;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.proto.media.ReportBlock;
import io.hepstack.proto.media.RtcpDecodeException;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.media.StatisticsSummary;
import io.hepstack.proto.media.VoipMetrics;

import java.io.IOException;

/**
 * What the QoS family ({@link HepPayloadType#RTCP}) reads from an RTCP report, binary or an agent's JSON,
 * stored in {@code extra.rtcp} in one shape whatever the agent sent (docs/schema.md, "extra"): each sender
 * and receiver report with its blocks (loss as sent and in percent, jitter in RTP timestamp units, the
 * round trip from LSR and DLSR at the report's capture time), the VoIP metrics of its extended reports,
 * the CNAME.
 *
 * @param report         the report
 * @param capturedMicros when it was captured (µs since the epoch): the arrival time of its round trips
 */
public record QosReport(RtcpReport report, long capturedMicros) implements MediaReading {

    @Override
    public RtcpDecodeException.Reason unreadReason() {
        return null;
    }

    @Override
    public boolean hasExtra() {
        return true;
    }

    @Override
    public void writeExtra(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("rtcp");
        g.writeArrayFieldStart("reports");
        for (RtcpReport.SenderOrReceiver r : report.reports()) {
            g.writeStartObject();
            g.writeStringField("type", r.sender() != null ? "sr" : "rr");
            g.writeNumberField("ssrc", r.ssrc());
            if (r.sender() != null) {
                g.writeObjectFieldStart("sender");
                g.writeNumberField("packets", r.sender().packets());
                g.writeNumberField("octets", r.sender().octets());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("blocks");
            for (ReportBlock b : r.blocks()) {
                g.writeStartObject();
                g.writeNumberField("source", b.sourceSsrc());
                g.writeNumberField("fractionLost", b.fractionLost());
                g.writeNumberField("lossPercent", round2(b.lossPercent()));
                g.writeNumberField("cumulativeLost", b.cumulativeLost());
                g.writeNumberField("highestSeq", b.highestSeq());
                g.writeNumberField("jitter", b.jitter());
                Double rtt = b.roundTripMs(capturedMicros);
                if (rtt != null) {
                    g.writeNumberField("rttMs", round2(rtt));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        if (!report.voip().isEmpty()) {
            g.writeArrayFieldStart("voip");
            for (RtcpReport.Extended x : report.voip()) {
                VoipMetrics m = x.metrics();
                g.writeStartObject();
                g.writeNumberField("ssrc", x.ssrc());
                g.writeNumberField("source", m.sourceSsrc());
                g.writeNumberField("lossPercent", round2(m.lossPercent()));
                g.writeNumberField("discardPercent", round2(m.discardRate() * 100.0 / 256));
                optional(g, "rttMs", m.roundTripDelayMs());
                optional(g, "endSystemDelayMs", m.endSystemDelayMs());
                optional(g, "rFactor", m.rFactor());
                if (m.mosLq() != null) {
                    g.writeNumberField("mosLq", m.mosLq());
                }
                if (m.mosCq() != null) {
                    g.writeNumberField("mosCq", m.mosCq());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!report.summaries().isEmpty()) {
            g.writeArrayFieldStart("summaries");
            for (RtcpReport.Summary x : report.summaries()) {
                StatisticsSummary st = x.stats();
                g.writeStartObject();
                g.writeNumberField("ssrc", x.ssrc());
                g.writeNumberField("source", st.sourceSsrc());
                g.writeNumberField("expected", st.expected());
                optional(g, "lostPackets", st.lostPackets());
                if (st.lossPercent() != null) {
                    g.writeNumberField("lossPercent", round2(st.lossPercent()));
                }
                optional(g, "duplicatePackets", st.duplicatePackets());
                optional(g, "minJitter", st.minJitter());
                optional(g, "maxJitter", st.maxJitter());
                optional(g, "meanJitter", st.meanJitter());
                optional(g, "devJitter", st.devJitter());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (report.cname() != null) {
            g.writeStringField("cname", report.cname());
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, Number v) throws IOException {
        if (v != null) {
            g.writeNumberField(field, v.longValue());
        }
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
