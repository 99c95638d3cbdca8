package io.hepstack.proto.media;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.proto.media.RtcpDecodeException.Reason;

import java.io.IOException;
import java.util.List;

/**
 * A media report of an RTP agent, in JSON: HEP type 34 (a stream's report: packets expected, received and lost,
 * jitter, MOS and R-factor, codec, the stream's addresses) or type 35 (the short one: MOS and R-factor). The shape is
 * the one sipcapture's own traffic generator (hepgen.js) writes for these types, upper-case keys:
 * {@code CORRELATION_ID} (the call), {@code RTP_SIP_CALL_ID}, {@code SRC_IP}/{@code SRC_PORT} (the stream's sender),
 * {@code DST_IP}/{@code DST_PORT} (its receiver), {@code EXPECTED_PK}, {@code TOTAL_PK}, {@code PACKET_LOSS} (over the
 * report's interval), {@code JITTER} and {@code MEAN_JITTER} (ms), {@code MOS}, {@code MEAN_MOS}, {@code RFACTOR},
 * {@code CODEC_NAME}, {@code CLOCK}, {@code TYPE} ({@code PERIODIC} or {@code FINAL}). Every field may be missing.
 *
 * <p>{@link #toRtcp()} says it as a receiver report and an extended report of the stream's receiver would (the stream
 * named by its ports, as RTP agents name no SSRC), so that a call's streams are summed up the same way whatever carried
 * their reports ({@link CallMedia}). A report without loss figures (type 35) carries only its MOS: it counts as a
 * report of the call, and draws no stream.
 *
 * @param callId     {@code CORRELATION_ID}, else {@code RTP_SIP_CALL_ID}, or {@code null}
 * @param from       the stream's sender ({@code SRC_IP}/{@code SRC_PORT}), or {@code null} when the report names none
 * @param to         its receiver ({@code DST_IP}/{@code DST_PORT}), or {@code null}
 * @param expected   packets expected in the report's interval, or {@code null}
 * @param lost       packets lost in it, or {@code null}
 * @param jitterMs   mean interarrival jitter in ms, or {@code null}
 * @param mos        the agent's MOS (1-5), or {@code null}
 * @param rFactor    the agent's R-factor (0-100), or {@code null}
 * @param codec      {@code CODEC_NAME}, or {@code null}
 * @param clockRate  {@code CLOCK}, the codec's clock in Hz, or {@code null}
 * @param kind       {@code TYPE}: {@code PERIODIC}, {@code FINAL}, or {@code null}
 */
public record AgentReport(String callId, VqReport.Endpoint from, VqReport.Endpoint to, Long expected, Long lost,
                          Double jitterMs, Double mos, Double rFactor, String codec, Integer clockRate, String kind) {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build()).build());

    /** The longest report read; a longer one is refused. */
    static final int MAX_LENGTH = 16 * 1024;

    /** The report in the JSON text {@code b}. */
    public static AgentReport parse(byte[] b) throws RtcpDecodeException {
        if (b.length > MAX_LENGTH) {
            throw new RtcpDecodeException(Reason.WRONG_SHAPE, "an agent report of " + b.length + " bytes (at most "
                    + MAX_LENGTH + ")");
        }
        JsonNode o;
        try {
            o = JSON.readTree(b);
        } catch (JsonProcessingException e) {
            throw new RtcpDecodeException(Reason.BAD_JSON, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RtcpDecodeException(Reason.BAD_JSON, "not JSON: " + e.getMessage());
        }
        if (o == null || !o.isObject()) {
            throw new RtcpDecodeException(Reason.WRONG_SHAPE, "not a JSON object");
        }
        String callId = text(o, "CORRELATION_ID");
        if (callId == null) {
            callId = text(o, "RTP_SIP_CALL_ID");
        }
        Long expected = whole(o, "EXPECTED_PK", 0, 0xFFFF_FFFFL);
        Long lost = whole(o, "PACKET_LOSS", -0xFFFF_FFFFL, 0xFFFF_FFFFL);
        Long received = whole(o, "TOTAL_PK", 0, 0xFFFF_FFFFL);
        if (lost == null && expected != null && received != null) {
            lost = expected - received;
        }
        Double jitter = decimal(o, "MEAN_JITTER", 0, 60_000);
        if (jitter == null) {
            jitter = decimal(o, "JITTER", 0, 60_000);
        }
        Double mos = decimal(o, "MEAN_MOS", 1, 5);
        if (mos == null) {
            mos = decimal(o, "MOS", 1, 5);
        }
        Double r = decimal(o, "MEAN_RFACTOR", 0, 100);
        if (r == null) {
            r = decimal(o, "RFACTOR", 0, 100);
        }
        Long clock = whole(o, "CLOCK", 1, 1_000_000);
        AgentReport report = new AgentReport(callId, endpoint(o, "SRC"), endpoint(o, "DST"), expected, lost, jitter, mos, r,
                text(o, "CODEC_NAME"), clock == null ? null : clock.intValue(), text(o, "TYPE"));
        if (report.lossPercent() == null && mos == null && r == null) {
            throw new RtcpDecodeException(Reason.NO_REPORT, "an agent report without packets, MOS or R-factor");
        }
        return report;
    }

    /**
     * Packets lost in percent of those expected, or {@code null} without both; a negative loss (duplicates) is none.
     */
    public Double lossPercent() {
        if (expected == null || lost == null) {
            return null;
        }
        if (expected == 0) {
            return 0.0;
        }
        return Math.min(100.0, Math.max(0, lost) * 100.0 / expected);
    }

    /**
     * What the stream's receiver would have said in RTCP: with loss figures, a receiver report (the receiver's port as
     * its SSRC) with one block about the sender's stream (the sender's port as its SSRC); with a MOS or an R-factor, an
     * extended report's VoIP metrics about the same stream.
     */
    public RtcpReport toRtcp() {
        long receiver = to == null ? 0 : to.port();
        long sender = from == null ? 0 : from.port();
        Double loss = lossPercent();
        int clock = clockRate == null ? 8000 : clockRate;
        int fraction = loss == null ? 0 : ReportBlock.fractionOf(loss);
        List<RtcpReport.SenderOrReceiver> reports = loss == null ? List.of()
                : List.of(new RtcpReport.SenderOrReceiver(receiver, null, List.of(new ReportBlock(sender, fraction,
                        (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, lost)), 0,
                        jitterMs == null ? 0 : Math.round(jitterMs * clock / 1000), 0, 0))));
        List<RtcpReport.Extended> voip = mos == null && rFactor == null ? List.of()
                : List.of(new RtcpReport.Extended(receiver, new VoipMetrics(sender, fraction, 0, 0, 0, 0, 0, null, null,
                        rFactor == null ? null : (int) Math.round(rFactor), mos, null, 0)));
        return new RtcpReport(reports, voip, null, List.of());
    }

    private static VqReport.Endpoint endpoint(JsonNode o, String side) throws RtcpDecodeException {
        String ip = text(o, side + "_IP");
        Long port = whole(o, side + "_PORT", 0, 65535);
        if (ip == null) {
            return null;
        }
        if (ip.length() > 45) {
            throw new RtcpDecodeException(Reason.WRONG_SHAPE, side + "_IP: not an address: '" + ip.substring(0, 45) + "…'");
        }
        return new VqReport.Endpoint(ip, port == null ? 0 : port.intValue(), 0);
    }

    private static String text(JsonNode o, String name) throws RtcpDecodeException {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new RtcpDecodeException(Reason.WRONG_SHAPE, name + ": not a string");
        }
        String s = v.textValue().strip();
        return s.isEmpty() ? null : s.length() > 256 ? s.substring(0, 256) : s;
    }

    private static Long whole(JsonNode o, String name, long min, long max) throws RtcpDecodeException {
        Double d = decimal(o, name, min, max);
        return d == null ? null : Math.round(d);
    }

    private static Double decimal(JsonNode o, String name, double min, double max) throws RtcpDecodeException {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new RtcpDecodeException(Reason.WRONG_SHAPE, name + ": not a number");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw new RtcpDecodeException(Reason.WRONG_SHAPE, name + ": " + v + " out of range (" + trim(min) + " to "
                    + trim(max) + ")");
        }
        return d;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
