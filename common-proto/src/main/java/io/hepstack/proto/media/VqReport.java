package io.hepstack.proto.media;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A voice-quality report in a SIP {@code PUBLISH} (or {@code NOTIFY}) body of type
 * {@code application/vq-rtcpxr} (RFC 6035), as IP phones, Asterisk and Kamailio send them: the text form of
 * an RTCP-XR VoIP metrics block (RFC 3611 section 4.7), with the call it is about ({@code CallID}).
 *
 * <p>The reporter is the local end ({@code LocalAddr}); {@code LocalMetrics} is what it received from the
 * remote end ({@code RemoteAddr}), {@code RemoteMetrics} (optional) what the remote end reported back to it.
 * {@link #toRtcp()} turns each into what a receiver report and an extended report about the same stream would
 * have said, so that a call's streams are summed up the same way whatever carried their reports
 * ({@link CallMedia}).
 *
 * @param kind   {@code CallTerm}, {@code IntervalReport} or {@code AlertReport} (the {@code VQ...Report} line's value)
 * @param callId the Call-ID of the call reported on
 * @param local  the reporter's media address and SSRC
 * @param remote the other end's
 * @param localMetrics  what the reporter received, or {@code null}
 * @param remoteMetrics what the other end received, as the reporter learned it, or {@code null}
 */
public record VqReport(String kind, String callId, Endpoint local, Endpoint remote, Metrics localMetrics,
                       Metrics remoteMetrics) {

    /** The media type of the body. */
    public static final String CONTENT_TYPE = "application/vq-rtcpxr";

    /** The longest body read; a longer one is refused. */
    static final int MAX_LENGTH = 16 * 1024;

    /**
     * A media end: {@code IP=10.0.0.1 PORT=5000 SSRC=0x2468abcd}.
     *
     * @param ip   its address, or {@code null}
     * @param port its RTP port, or 0
     * @param ssrc its SSRC, or 0 when not given
     */
    public record Endpoint(String ip, int port, long ssrc) {

        /** {@code ip:port}, as the other media readers name an end; {@code null} without an address. */
        public String address() {
            return ip == null ? null : CallMedia.endpoint(ip, port);
        }
    }

    /**
     * One metrics section, every value {@code null} when the report leaves it out.
     *
     * @param codec            {@code SessionDesc PD}, the codec's name ({@code PCMU}, {@code G729})
     * @param clockRate        {@code SessionDesc SR}, its sampling rate
     * @param lossPercent      {@code PacketLoss NLR}, network loss in percent
     * @param discardPercent   {@code PacketLoss JDR}, jitter-buffer discards in percent
     * @param roundTripMs      {@code Delay RTD}
     * @param endSystemMs      {@code Delay ESD}
     * @param jitterMs         {@code Delay IAJ}, interarrival jitter in ms
     * @param jitterBufferMs   {@code JitterBuffer JBN}, the buffer's nominal delay
     * @param rFactor          {@code QualityEst RLQ}, listening-quality R
     * @param mosLq            {@code QualityEst MOSLQ}
     * @param mosCq            {@code QualityEst MOSCQ}
     */
    public record Metrics(String codec, Integer clockRate, Double lossPercent, Double discardPercent, Integer roundTripMs,
                          Integer endSystemMs, Double jitterMs, Integer jitterBufferMs, Integer rFactor, Double mosLq,
                          Double mosCq) {
    }

    /** Whether a {@code Content-Type} value names this body type (parameters and case ignored). */
    public static boolean isVqContentType(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().equalsIgnoreCase(CONTENT_TYPE);
    }

    /**
     * Reads a body. Lines are {@code Name: value} (or {@code Name:value}); names are matched without regard
     * to case; unknown lines and parameters are skipped, as RFC 6035 asks of a collector.
     *
     * @throws RtcpDecodeException {@code bad_vq_report} without a {@code CallID}, a {@code LocalAddr} or any
     *                             metrics, with a value that is not a number where one is due, or a body
     *                             longer than 16 KiB
     */
    public static VqReport parse(byte[] body) throws RtcpDecodeException {
        if (body.length > MAX_LENGTH) {
            throw bad("body of " + body.length + " bytes, longer than " + MAX_LENGTH);
        }
        String kind = null;
        String callId = null;
        Endpoint local = null;
        Endpoint remote = null;
        Map<String, String> localLines = null;
        Map<String, String> remoteLines = null;
        Map<String, String> section = null;
        int lineNo = 0;
        for (String raw : new String(body, StandardCharsets.UTF_8).split("\r\n|\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            String lower = line.toLowerCase(Locale.ROOT);
            if (colon < 0 && lower.startsWith("vq") && lower.endsWith("report")) { // the event's name alone
                kind = lower.substring(2, lower.length() - "report".length());
                continue;
            }
            if (colon <= 0) {
                throw bad("line " + lineNo + " has no name: '" + cut(line) + "'");
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "vqsessionreport", "vqintervalreport", "vqalertreport" -> kind = value.isEmpty()
                        ? name.substring(2, name.length() - "report".length()) : value;
                case "callid" -> callId = value.isEmpty() ? null : value;
                case "localaddr" -> local = endpoint(value, lineNo);
                case "remoteaddr" -> remote = endpoint(value, lineNo);
                case "localmetrics" -> section = localLines = new HashMap<>();
                case "remotemetrics" -> section = remoteLines = new HashMap<>();
                default -> {
                    if (section != null) {
                        section.put(name, value);
                    }
                }
            }
        }
        if (callId == null) {
            throw bad("no CallID line");
        }
        if (local == null) {
            throw bad("no LocalAddr line");
        }
        if (localLines == null && remoteLines == null) {
            throw bad("neither LocalMetrics nor RemoteMetrics");
        }
        return new VqReport(kind == null ? "Session" : kind, callId, local,
                remote == null ? new Endpoint(null, 0, 0) : remote,
                localLines == null ? null : metrics(localLines), remoteLines == null ? null : metrics(remoteLines));
    }

    /**
     * The report as RTCP would have carried it: for each metrics section, a receiver report by the end that
     * measured it with one block about the other end's stream (loss as a fraction of 256, jitter in the
     * codec's clock) and a VoIP metrics block with the rest (round trip, R-factor, MOS). The remote end's
     * section is reported by the remote end. An end without an SSRC gets its port.
     */
    public RtcpReport toRtcp() {
        List<RtcpReport.SenderOrReceiver> reports = new ArrayList<>(2);
        List<RtcpReport.Extended> voip = new ArrayList<>(2);
        if (localMetrics != null) {
            add(reports, voip, ssrc(local), ssrc(remote), localMetrics);
        }
        if (remoteMetrics != null) {
            add(reports, voip, ssrc(remote), ssrc(local), remoteMetrics);
        }
        return new RtcpReport(reports, voip, null);
    }

    /** The codec the report names (its local section first), or {@code null}. */
    public Codec codec() {
        for (Metrics m : new Metrics[] {localMetrics, remoteMetrics}) {
            if (m != null && m.codec() != null) {
                return Codec.of(m.codec(), m.clockRate() == null ? 8000 : m.clockRate());
            }
        }
        return null;
    }

    private static void add(List<RtcpReport.SenderOrReceiver> reports, List<RtcpReport.Extended> voip, long reporter,
                            long source, Metrics m) {
        int clock = m.clockRate() == null || m.clockRate() <= 0 ? 8000 : m.clockRate();
        int lossFraction = fraction(m.lossPercent());
        long jitter = m.jitterMs() == null ? 0 : Math.round(m.jitterMs() * clock / 1000);
        reports.add(new RtcpReport.SenderOrReceiver(reporter, null,
                List.of(new ReportBlock(source, lossFraction, 0, 0, jitter, 0, 0))));
        voip.add(new RtcpReport.Extended(reporter, new VoipMetrics(source, lossFraction, fraction(m.discardPercent()), 0, 0,
                0, 0, m.roundTripMs(), m.endSystemMs(), m.rFactor(), m.mosLq(), m.mosCq(),
                m.jitterBufferMs() == null ? 0 : m.jitterBufferMs())));
    }

    private static long ssrc(Endpoint e) {
        return e.ssrc() != 0 ? e.ssrc() : e.port();
    }

    /** A percentage as RTCP's fraction of 256, capped at 255 (RTCP's most). */
    private static int fraction(Double percent) {
        return percent == null ? 0 : ReportBlock.fractionOf(percent);
    }

    private static Metrics metrics(Map<String, String> lines) throws RtcpDecodeException {
        Map<String, String> session = params(lines.get("sessiondesc"));
        Map<String, String> loss = params(lines.get("packetloss"));
        Map<String, String> delay = params(lines.get("delay"));
        Map<String, String> buffer = params(lines.get("jitterbuffer"));
        Map<String, String> quality = params(lines.get("qualityest"));
        return new Metrics(session.get("pd"), integer(session, "sr"), decimal(loss, "nlr"), decimal(loss, "jdr"),
                integer(delay, "rtd"), integer(delay, "esd"), decimal(delay, "iaj"), integer(buffer, "jbn"),
                integer(quality, "rlq"), decimal(quality, "moslq"), decimal(quality, "moscq"));
    }

    /** {@code A=1 B=2} (names in lower case); an empty map for a missing line. */
    private static Map<String, String> params(String value) {
        Map<String, String> out = new HashMap<>();
        if (value == null) {
            return out;
        }
        for (String pair : value.split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), pair.substring(eq + 1));
            }
        }
        return out;
    }

    private static Endpoint endpoint(String value, int lineNo) throws RtcpDecodeException {
        Map<String, String> p = params(value);
        String ip = p.get("ip");
        int port = 0;
        long ssrc = 0;
        try {
            if (p.containsKey("port")) {
                port = Integer.parseInt(p.get("port"));
            }
            String s = p.get("ssrc");
            if (s != null) {
                ssrc = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            throw bad("line " + lineNo + ": a PORT or SSRC that is not a number: '" + cut(value) + "'");
        }
        if (port < 0 || port > 65535 || ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw bad("line " + lineNo + ": PORT or SSRC out of range: '" + cut(value) + "'");
        }
        return new Endpoint(ip, port, ssrc);
    }

    private static Integer integer(Map<String, String> p, String name) throws RtcpDecodeException {
        Double d = decimal(p, name);
        return d == null ? null : (int) Math.round(d);
    }

    private static Double decimal(Map<String, String> p, String name) throws RtcpDecodeException {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(name.toUpperCase(Locale.ROOT) + "=" + cut(v) + " is not a number");
        }
    }

    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    private static RtcpDecodeException bad(String detail) {
        return new RtcpDecodeException(RtcpDecodeException.Reason.BAD_VQ_REPORT, detail);
    }
}
