package io.hepstack.proto.media;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.proto.media.RtcpDecodeException.Reason;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON rendering of an RTCP report that capture agents send in HEP type 5 (captagent, heplify,
 * rtpengine's {@code --homer}): {@code {"type": 200, "ssrc": 1, "sender_information": {"ntp_timestamp_sec",
 * "ntp_timestamp_usec" (the NTP words as sent: seconds since 1900 and the 32-bit fraction), "rtp_timestamp",
 * "packets", "octets"}, "report_blocks": [{"source_ssrc",
 * "fraction_lost", "packets_lost" (or "packet_lost"), "highest_seq_no", "ia_jitter", "lsr", "dlsr"}],
 * "report_blocks_xr": {"type": 7, "id" (the source's SSRC; or "source_ssrc"), "fraction_lost", "fraction_discard", "burst_density", "gap_density",
 * "burst_duration", "gap_duration", "round_trip_delay", "end_system_delay"}, "sdes_cname": "..."}}, or rtpengine's
 * {@code "sdes_information": [{"sdes_chunk_ssrc", "type": 1, "text": "..."}]} for the CNAME. The cumulative loss is
 * read as the signed 24-bit number it is, also when an agent printed its bits unsigned (rtpengine). A field name
 * that comes again starts the next report of a compound packet (rtpengine writes a sender report and a receiver
 * report into one object, each with its {@code ssrc}, {@code type} and {@code report_blocks}).
 * Type 200 with {@code sender_information} is a sender report, else a receiver report. A number out of
 * its field's range, or a field of the wrong JSON type, fails the report ({@link Reason#WRONG_SHAPE});
 * fields not named here are ignored. Stateless.
 */
public final class RtcpJson {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build());

    private static final long U32 = 0xFFFF_FFFFL;

    private RtcpJson() {
    }

    /** The report in the JSON text {@code b}. */
    public static RtcpReport parse(byte[] b) throws RtcpDecodeException {
        List<ObjectNode> groups = groups(b);
        List<RtcpReport.SenderOrReceiver> reports = new ArrayList<>(groups.size());
        List<RtcpReport.Extended> voip = new ArrayList<>(0);
        String cname = null;
        for (ObjectNode o : groups) {
            RtcpReport.SenderOrReceiver r = senderOrReceiver(o);
            if (r != null) {
                reports.add(r);
            }
            RtcpReport.Extended x = extended(o);
            if (x != null) {
                voip.add(x);
            }
            if (cname == null) {
                cname = cname(o);
            }
        }
        if (reports.isEmpty() && voip.isEmpty()) {
            throw new RtcpDecodeException(Reason.NO_REPORT, "no report_blocks, sender_information or report_blocks_xr");
        }
        return new RtcpReport(reports, voip, cname);
    }

    /**
     * The top-level fields of the object in {@code b}, in order, one group per report: a field name met again
     * starts the next group. rtpengine renders each packet of a compound packet into the same object, so a
     * sender report followed by a receiver report repeats {@code ssrc}, {@code type} and {@code report_blocks}
     * (its {@code homer.c}/{@code rtcp.c}); read as one object, the second would hide the first.
     */
    private static List<ObjectNode> groups(byte[] b) throws RtcpDecodeException {
        List<ObjectNode> groups = new ArrayList<>(1);
        try (JsonParser p = JSON.createParser(b)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new RtcpDecodeException(Reason.WRONG_SHAPE, "not a JSON object");
            }
            ObjectNode group = JSON.createObjectNode();
            groups.add(group);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                JsonNode value = JSON.readTree(p);
                if (group.has(name)) {
                    group = JSON.createObjectNode();
                    groups.add(group);
                }
                group.set(name, value);
            }
        } catch (JsonProcessingException e) {
            throw new RtcpDecodeException(Reason.BAD_JSON, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RtcpDecodeException(Reason.BAD_JSON, "not JSON: " + e.getMessage());
        }
        return groups;
    }

    /** The sender or receiver report of one group, or {@code null} when it has neither blocks nor sender information. */
    private static RtcpReport.SenderOrReceiver senderOrReceiver(ObjectNode o) throws RtcpDecodeException {
        JsonNode blocksNode = o.get("report_blocks");
        JsonNode senderNode = o.get("sender_information");
        boolean hasBlocks = blocksNode != null && !blocksNode.isNull();
        boolean hasSender = senderNode != null && senderNode.isObject() && !senderNode.isEmpty();
        if (!hasBlocks && !hasSender) {
            return null;
        }
        long ssrc = number(o, "ssrc", 0, U32, "");
        SenderInfo sender = null;
        if (hasSender && number(o, "type", 0, 255, "", RtcpParser.SR) == RtcpParser.SR) {
            // captagent and heplify write the NTP timestamp's two words as they are: seconds since 1900
            // and the 32-bit fraction (named _usec)
            String at = "sender_information.";
            sender = new SenderInfo(Ntp.unixMicros(number(senderNode, "ntp_timestamp_sec", 0, U32, at),
                    number(senderNode, "ntp_timestamp_usec", 0, U32, at)), number(senderNode, "rtp_timestamp", 0, U32, at),
                    number(senderNode, "packets", 0, U32, at), number(senderNode, "octets", 0, U32, at));
        }
        List<ReportBlock> blocks = new ArrayList<>();
        if (hasBlocks) {
            if (!blocksNode.isArray()) {
                throw new RtcpDecodeException(Reason.WRONG_SHAPE, "report_blocks: not an array");
            }
            int i = 0;
            for (JsonNode rb : blocksNode) {
                String at = "report_blocks[" + i++ + "].";
                if (!rb.isObject()) {
                    throw new RtcpDecodeException(Reason.WRONG_SHAPE, at.substring(0, at.length() - 1) + ": not an object");
                }
                String lost = rb.has("packets_lost") ? "packets_lost" : "packet_lost";
                blocks.add(new ReportBlock(number(rb, "source_ssrc", 0, U32, at),
                        (int) number(rb, "fraction_lost", 0, 255, at),
                        cumulativeLost(number(rb, lost, -0x80_0000, 0xFF_FFFF, at)),
                        number(rb, "highest_seq_no", 0, U32, at), number(rb, "ia_jitter", 0, U32, at),
                        number(rb, "lsr", 0, U32, at), number(rb, "dlsr", 0, U32, at)));
            }
        }
        return new RtcpReport.SenderOrReceiver(ssrc, sender, blocks);
    }

    /** The VoIP metrics of one group's {@code report_blocks_xr}, or {@code null}. */
    private static RtcpReport.Extended extended(ObjectNode o) throws RtcpDecodeException {
        JsonNode xr = o.get("report_blocks_xr");
        if (xr == null || !xr.isObject() || allZero(xr)) { // heplify sends every field 0 when there was no XR
            return null;
        }
        String at = "report_blocks_xr.";
        long rtt = number(xr, "round_trip_delay", 0, 65_535, at);
        long esd = number(xr, "end_system_delay", 0, 65_535, at);
        return new RtcpReport.Extended(number(o, "ssrc", 0, U32, ""), new VoipMetrics(
                number(xr, "source_ssrc", 0, U32, at, number(xr, "id", 0, U32, at, number(o, "ssrc", 0, U32, ""))),
                (int) number(xr, "fraction_lost", 0, 255, at), (int) number(xr, "fraction_discard", 0, 255, at),
                (int) number(xr, "burst_density", 0, 255, at), (int) number(xr, "gap_density", 0, 255, at),
                (int) number(xr, "burst_duration", 0, 65_535, at), (int) number(xr, "gap_duration", 0, 65_535, at),
                rtt == 0 ? null : (int) rtt, esd == 0 ? null : (int) esd, null, null, null, 0));
    }

    /**
     * The cumulative number of packets lost, a signed 24-bit field (RFC 3550 section 6.4.1): agents that print
     * the field's bits unsigned (rtpengine: {@code -2} as {@code 16777214}) are read back to the negative count.
     */
    private static int cumulativeLost(long v) {
        return (int) (v > 0x7F_FFFF ? v - 0x100_0000 : v);
    }

    /** {@code sdes_cname} (heplify), else the first CNAME item (type 1) of {@code sdes_information} (rtpengine). */
    private static String cname(JsonNode o) {
        JsonNode cname = o.get("sdes_cname");
        if (cname != null && cname.isTextual()) {
            return cname.asText();
        }
        JsonNode items = o.get("sdes_information");
        if (items != null && items.isArray()) {
            for (JsonNode item : items) {
                JsonNode type = item.get("type");
                JsonNode text = item.get("text");
                if (type != null && type.isIntegralNumber() && type.asInt() == 1 && text != null && text.isTextual()) {
                    return text.asText();
                }
            }
        }
        return null;
    }

    private static long number(JsonNode o, String field, long min, long max, String at) throws RtcpDecodeException {
        return number(o, field, min, max, at, 0);
    }

    /** The integer {@code field} of {@code o} in {@code [min, max]}; {@code absent} when it is missing or null. */
    private static long number(JsonNode o, String field, long min, long max, String at, long absent)
            throws RtcpDecodeException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new RtcpDecodeException(Reason.WRONG_SHAPE, at + field + ": not an integer: " + abbreviate(v.toString()));
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw new RtcpDecodeException(Reason.WRONG_SHAPE, at + field + ": " + n + " out of range (" + min + " to " + max + ")");
        }
        return n;
    }

    private static boolean allZero(JsonNode o) {
        for (JsonNode v : o) {
            if (!v.isNumber() || v.asDouble() != 0) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
