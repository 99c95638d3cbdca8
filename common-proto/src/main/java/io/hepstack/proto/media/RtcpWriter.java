package io.hepstack.proto.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an {@link RtcpReport} as a binary RTCP compound packet (RFC 3550, RFC 3611): its sender and
 * receiver reports, an SDES packet with its CNAME, and one extended report per VoIP metrics block. What
 * {@link RtcpParser} reads back equal; used to craft reports of known loss and jitter (tests, tools).
 */
public final class RtcpWriter {

    private RtcpWriter() {
    }

    /** The compound packet of {@code report}. */
    public static byte[] write(RtcpReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        for (RtcpReport.SenderOrReceiver r : report.reports()) {
            int count = r.blocks().size();
            if (count > 31) {
                throw new IllegalArgumentException("at most 31 report blocks in one packet: " + count);
            }
            boolean sr = r.sender() != null;
            header(out, count, sr ? RtcpParser.SR : RtcpParser.RR, 2 + (sr ? 5 : 0) + count * 6);
            u32(out, r.ssrc());
            if (sr) {
                SenderInfo s = r.sender();
                u32(out, Ntp.seconds(s.wallclockMicros()));
                u32(out, Ntp.fraction(s.wallclockMicros()));
                u32(out, s.rtpTimestamp());
                u32(out, s.packets());
                u32(out, s.octets());
            }
            for (ReportBlock b : r.blocks()) {
                u32(out, b.sourceSsrc());
                out.write(b.fractionLost());
                out.write(b.cumulativeLost() >> 16);
                out.write(b.cumulativeLost() >> 8);
                out.write(b.cumulativeLost());
                u32(out, b.highestSeq());
                u32(out, b.jitter());
                u32(out, b.lsr());
                u32(out, b.dlsr());
            }
        }
        if (report.cname() != null) {
            byte[] name = report.cname().getBytes(StandardCharsets.UTF_8);
            if (name.length > 255) {
                throw new IllegalArgumentException("CNAME longer than 255 bytes");
            }
            long ssrc = report.reports().isEmpty() ? 0 : report.reports().get(0).ssrc();
            int itemBytes = 2 + name.length + 1; // the item, then the end of the item list
            int padded = (itemBytes + 3) / 4 * 4;
            header(out, 1, RtcpParser.SDES, 2 + padded / 4);
            u32(out, ssrc);
            out.write(1);
            out.write(name.length);
            out.writeBytes(name);
            for (int i = 2 + name.length; i < padded; i++) {
                out.write(0);
            }
        }
        for (RtcpReport.Extended x : report.voip()) {
            VoipMetrics m = x.metrics();
            header(out, 0, RtcpParser.XR, 2 + 9);
            u32(out, x.ssrc());
            out.write(7);
            out.write(0);
            u16(out, 8);
            u32(out, m.sourceSsrc());
            out.write(m.lossRate());
            out.write(m.discardRate());
            out.write(m.burstDensity());
            out.write(m.gapDensity());
            u16(out, m.burstDurationMs());
            u16(out, m.gapDurationMs());
            u16(out, m.roundTripDelayMs() == null ? 0 : m.roundTripDelayMs());
            u16(out, m.endSystemDelayMs() == null ? 0 : m.endSystemDelayMs());
            out.write(127); // signal level: unavailable
            out.write(127); // noise level
            out.write(127); // RERL
            out.write(16);  // Gmin, the RFC's recommended value
            out.write(m.rFactor() == null ? 127 : m.rFactor());
            out.write(127); // external R factor
            out.write(m.mosLq() == null ? 127 : (int) Math.round(m.mosLq() * 10));
            out.write(m.mosCq() == null ? 127 : (int) Math.round(m.mosCq() * 10));
            out.write(0);   // receiver configuration
            out.write(0);
            u16(out, m.jitterBufferNominalMs());
            u16(out, 0);    // jitter buffer maximum, absolute maximum
            u16(out, 0);
        }
        for (RtcpReport.Summary x : report.summaries()) {
            StatisticsSummary st = x.stats();
            header(out, 0, RtcpParser.XR, 2 + 10);
            u32(out, x.ssrc());
            out.write(6);
            out.write((st.lostPackets() != null ? 0x80 : 0) | (st.duplicatePackets() != null ? 0x40 : 0)
                    | (st.minJitter() != null ? 0x20 : 0));
            u16(out, 9);
            u32(out, st.sourceSsrc());
            u16(out, st.beginSeq());
            u16(out, st.endSeq());
            u32(out, st.lostPackets() == null ? 0 : st.lostPackets());
            u32(out, st.duplicatePackets() == null ? 0 : st.duplicatePackets());
            for (Long j : new Long[] {st.minJitter(), st.maxJitter(), st.meanJitter(), st.devJitter()}) {
                u32(out, j == null ? 0 : j);
            }
            u32(out, 0); // TTL or hop limit: not reported
        }
        return out.toByteArray();
    }

    /** A packet header; {@code words}: the packet's whole length in 32-bit words, this header included. */
    private static void header(ByteArrayOutputStream out, int count, int type, int words) {
        out.write(0x80 | count);
        out.write(type);
        u16(out, words - 1);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >> 24));
        out.write((int) (v >> 16));
        out.write((int) (v >> 8));
        out.write((int) v);
    }
}
