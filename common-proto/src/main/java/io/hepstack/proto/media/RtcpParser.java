package io.hepstack.proto.media;

import io.hepstack.proto.media.RtcpDecodeException.Reason;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a binary RTCP compound packet (RFC 3550 section 6; extended reports RFC 3611), as an agent copies it
 * off the wire into HEP type 5 (rtpengine renders it as JSON instead, {@link RtcpJson}): its sender and receiver reports with every report block, the
 * VoIP metrics blocks of its extended reports, the first CNAME. Other packet types (BYE, APP, feedback)
 * and other extended report blocks are skipped by their length. Every length is checked against the bytes
 * there are before it is used; a packet that breaks one fails the whole report with a precise
 * {@link RtcpDecodeException} (nothing is half-read). Stateless.
 */
public final class RtcpParser {

    /** Sender report. */
    public static final int SR = 200;
    /** Receiver report. */
    public static final int RR = 201;
    /** Source description. */
    public static final int SDES = 202;
    /** Extended report (RFC 3611). */
    public static final int XR = 207;

    private static final int BLOCK_BYTES = 24;
    private static final int XR_VOIP_METRICS = 7;
    private static final int XR_STATISTICS_SUMMARY = 6;
    private static final int SDES_CNAME = 1;

    private RtcpParser() {
    }

    /** Whether {@code b} starts like binary RTCP (version 2, a packet type 192-223) rather than text or JSON. */
    public static boolean looksLikeRtcp(byte[] b) {
        return b.length >= 4 && (b[0] & 0xC0) == 0x80 && (b[1] & 0xFF) >= 192 && (b[1] & 0xFF) <= 223;
    }

    /** The report in {@code b}, one compound packet. */
    public static RtcpReport parse(byte[] b) throws RtcpDecodeException {
        List<RtcpReport.SenderOrReceiver> reports = new ArrayList<>(2);
        List<RtcpReport.Extended> voip = new ArrayList<>(0);
        List<RtcpReport.Summary> summaries = new ArrayList<>(0);
        String cname = null;
        int at = 0;
        if (b.length < 4) {
            throw new RtcpDecodeException(Reason.TRUNCATED, b.length + " bytes, less than an RTCP header (4)");
        }
        while (at < b.length) {
            if (b.length - at < 4) {
                throw new RtcpDecodeException(Reason.TRUNCATED, "packet at " + at + ": " + (b.length - at)
                        + " bytes left, less than an RTCP header (4)");
            }
            int version = (b[at] & 0xFF) >>> 6;
            if (version != 2) {
                throw new RtcpDecodeException(Reason.BAD_VERSION, "packet at " + at + ": version " + version + " (expected: 2)");
            }
            int count = b[at] & 0x1F;
            int type = b[at + 1] & 0xFF;
            int bytes = (u16(b, at + 2) + 1) * 4;
            if (bytes > b.length - at) {
                throw new RtcpDecodeException(Reason.LENGTH_PAST_END, "packet at " + at + " (type " + type + "): length "
                        + bytes + " bytes runs past the end (" + (b.length - at) + " left)");
            }
            int end = at + bytes;
            switch (type) {
                case SR -> reports.add(senderOrReceiver(b, at, end, count, true));
                case RR -> reports.add(senderOrReceiver(b, at, end, count, false));
                case XR -> extended(b, at, end, voip, summaries);
                case SDES -> {
                    if (cname == null && count > 0) {
                        cname = cname(b, at + 4, end);
                    }
                }
                default -> {
                    // BYE, APP, transport and payload feedback: nothing to read for quality
                }
            }
            at = end;
        }
        if (reports.isEmpty() && voip.isEmpty() && summaries.isEmpty()) {
            throw new RtcpDecodeException(Reason.NO_REPORT, "no sender, receiver, VoIP metrics or statistics summary report in "
                    + b.length + " bytes");
        }
        return new RtcpReport(reports, voip, cname, summaries);
    }

    private static RtcpReport.SenderOrReceiver senderOrReceiver(byte[] b, int at, int end, int count, boolean sender)
            throws RtcpDecodeException {
        int fixed = 8 + (sender ? 20 : 0);
        if (end - at < fixed) {
            throw new RtcpDecodeException(Reason.TRUNCATED, "packet at " + at + " (" + (sender ? "SR" : "RR") + "): "
                    + (end - at) + " bytes, less than its fixed part (" + fixed + ")");
        }
        if (fixed + count * BLOCK_BYTES > end - at) {
            throw new RtcpDecodeException(Reason.BLOCKS_PAST_END, "packet at " + at + " (" + (sender ? "SR" : "RR") + "): "
                    + count + " report blocks need " + (fixed + count * BLOCK_BYTES) + " bytes, the packet has " + (end - at));
        }
        long ssrc = u32(b, at + 4);
        SenderInfo info = null;
        if (sender) {
            info = new SenderInfo(Ntp.unixMicros(u32(b, at + 8), u32(b, at + 12)), u32(b, at + 16), u32(b, at + 20),
                    u32(b, at + 24));
        }
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0, p = at + fixed; i < count; i++, p += BLOCK_BYTES) {
            int lost = (b[p + 5] & 0xFF) << 16 | (b[p + 6] & 0xFF) << 8 | (b[p + 7] & 0xFF);
            if ((lost & 0x80_0000) != 0) {
                lost |= 0xFF00_0000; // 24-bit two's complement
            }
            blocks.add(new ReportBlock(u32(b, p), b[p + 4] & 0xFF, lost, u32(b, p + 8), u32(b, p + 12),
                    u32(b, p + 16), u32(b, p + 20)));
        }
        return new RtcpReport.SenderOrReceiver(ssrc, info, blocks);
    }

    /** The VoIP metrics and statistics summary blocks of an extended report; other block types are skipped by their length. */
    private static void extended(byte[] b, int at, int end, List<RtcpReport.Extended> out, List<RtcpReport.Summary> summaries)
            throws RtcpDecodeException {
        if (end - at < 8) {
            throw new RtcpDecodeException(Reason.TRUNCATED, "packet at " + at + " (XR): " + (end - at)
                    + " bytes, less than its fixed part (8)");
        }
        long ssrc = u32(b, at + 4);
        int p = at + 8;
        while (p < end) {
            if (end - p < 4) {
                throw new RtcpDecodeException(Reason.BAD_XR_BLOCK, "XR block at " + p + ": " + (end - p)
                        + " bytes left, less than a block header (4)");
            }
            int blockType = b[p] & 0xFF;
            int bytes = (u16(b, p + 2) + 1) * 4;
            if (bytes > end - p) {
                throw new RtcpDecodeException(Reason.BAD_XR_BLOCK, "XR block at " + p + " (type " + blockType + "): length "
                        + bytes + " bytes runs past its packet (" + (end - p) + " left)");
            }
            if (blockType == XR_VOIP_METRICS) {
                if (bytes != 36) {
                    throw new RtcpDecodeException(Reason.BAD_XR_BLOCK, "XR block at " + p + " (VoIP metrics): length "
                            + bytes + " bytes (expected: 36)");
                }
                out.add(new RtcpReport.Extended(ssrc, voipMetrics(b, p + 4)));
            } else if (blockType == XR_STATISTICS_SUMMARY) {
                if (bytes != 40) {
                    throw new RtcpDecodeException(Reason.BAD_XR_BLOCK, "XR block at " + p + " (statistics summary): length "
                            + bytes + " bytes (expected: 40)");
                }
                summaries.add(new RtcpReport.Summary(ssrc, statisticsSummary(b, p)));
            }
            p += bytes;
        }
    }

    /** A statistics summary block at {@code p} (its header included): each measure only when its flag is set. */
    private static StatisticsSummary statisticsSummary(byte[] b, int p) {
        int flags = b[p + 1] & 0xFF;
        boolean lost = (flags & 0x80) != 0;
        boolean dup = (flags & 0x40) != 0;
        boolean jitter = (flags & 0x20) != 0;
        return new StatisticsSummary(u32(b, p + 4), u16(b, p + 8), u16(b, p + 10), lost ? u32(b, p + 12) : null,
                dup ? u32(b, p + 16) : null, jitter ? u32(b, p + 20) : null, jitter ? u32(b, p + 24) : null,
                jitter ? u32(b, p + 28) : null, jitter ? u32(b, p + 32) : null);
    }

    private static VoipMetrics voipMetrics(byte[] b, int p) {
        int rtt = u16(b, p + 12);
        int esd = u16(b, p + 14);
        int r = b[p + 20] & 0xFF;
        int mosLq = b[p + 22] & 0xFF;
        int mosCq = b[p + 23] & 0xFF;
        return new VoipMetrics(u32(b, p), b[p + 4] & 0xFF, b[p + 5] & 0xFF, b[p + 6] & 0xFF, b[p + 7] & 0xFF,
                u16(b, p + 8), u16(b, p + 10), rtt == 0 ? null : rtt, esd == 0 ? null : esd,
                r == 127 ? null : r, mosLq == 127 ? null : mosLq / 10.0, mosCq == 127 ? null : mosCq / 10.0,
                u16(b, p + 26));
    }

    /**
     * A CNAME that an SDES item holds again: bytes that are not UTF-8 are read as U+FFFD, three bytes each, so a
     * 255-byte item may read longer than an item holds; it is cut to whole characters within 255 bytes.
     */
    static String fitting(String name) {
        if (name.length() <= 85 || name.getBytes(StandardCharsets.UTF_8).length <= 255) {
            return name;
        }
        StringBuilder out = new StringBuilder(255);
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > 255) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** The CNAME of the first chunk, or {@code null}; a malformed item list just ends the search. */
    private static String cname(byte[] b, int p, int end) {
        p += 4; // the chunk's SSRC
        while (p + 2 <= end) {
            int item = b[p] & 0xFF;
            if (item == 0) {
                return null;
            }
            int length = b[p + 1] & 0xFF;
            if (p + 2 + length > end) {
                return null;
            }
            if (item == SDES_CNAME) {
                return fitting(new String(b, p + 2, length, StandardCharsets.UTF_8));
            }
            p += 2 + length;
        }
        return null;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF));
    }
}
