package io.hepstack.proto.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A HEP payload type: the value of the generic chunk 0x000b ("protocol type", HEP3 §chunk types,
 * one unsigned byte) that says what the payload chunk 0x000f / 0x0010 carries, with the name the UI
 * shows for it, the {@link MessageKind} its messages are stored as and the extractor of its protocol
 * family, which reads a payload into the stored message's typed part ({@link SipFields}, {@link LogLine};
 * a type without a family of its own is stored as its bytes).
 *
 * <p>This class is the one owner of the payload-type numbers: the collector's classification
 * ({@code MessageExtractor}), the API's call flows and message detail, and the UI (through
 * {@code GET /api/v1/meta/payload-types}) all derive from it. The known numbers follow the HEP3
 * specification (sipcapture/HEP, "protocol type" table) and the types capture agents are seen to send.
 *
 * <p>Every number has a value: {@link #valueOf(int)} never fails, and a number without a constant here
 * is kept as an unknown type named {@code type N} of kind {@link MessageKind#OTHER}. Lookup of a byte
 * value is one array read, with no allocation. Instances are immutable; two instances of the same
 * number are equal.
 */
public final class HepPayloadType implements Comparable<HepPayloadType> {

    /** SIP (HEP3 type 1). Stored as call, registration or other SIP by its CSeq method; this kind is the one of SIP that does not parse. */
    public static final HepPayloadType SIP = new HepPayloadType(1, "SIP", MessageKind.SIP_OTHER, SipExtractor.INSTANCE);
    /** XMPP (HEP3 type 2). */
    public static final HepPayloadType XMPP = new HepPayloadType(2, "XMPP", MessageKind.OTHER);
    /** SDP (HEP3 type 3). */
    public static final HepPayloadType SDP = new HepPayloadType(3, "SDP", MessageKind.OTHER);
    /** RTP (HEP3 type 4). */
    public static final HepPayloadType RTP = new HepPayloadType(4, "RTP", MessageKind.OTHER);
    /**
     * RTCP (HEP3 type 5): a JSON report from captagent, heplify and rtpengine ({@code --homer}), or binary RTCP
     * copied off the wire; read into {@code extra.rtcp} ({@link QosReport}).
     */
    public static final HepPayloadType RTCP = new HepPayloadType(5, "RTCP", MessageKind.QOS, QosExtractor.INSTANCE);
    /** MGCP (HEP3 type 6). */
    public static final HepPayloadType MGCP = new HepPayloadType(6, "MGCP", MessageKind.OTHER);
    /** MEGACO / H.248 (HEP3 type 7). */
    public static final HepPayloadType MEGACO = new HepPayloadType(7, "MEGACO/H.248", MessageKind.OTHER);
    /** M2UA (HEP3 type 8). */
    public static final HepPayloadType M2UA = new HepPayloadType(8, "M2UA", MessageKind.OTHER);
    /** M3UA (HEP3 type 9). */
    public static final HepPayloadType M3UA = new HepPayloadType(9, "M3UA", MessageKind.OTHER);
    /** IAX (HEP3 type 10). */
    public static final HepPayloadType IAX = new HepPayloadType(10, "IAX", MessageKind.OTHER);
    /** H.322 (HEP3 type 11). */
    public static final HepPayloadType H322 = new HepPayloadType(11, "H.322", MessageKind.OTHER);
    /** H.321 (HEP3 type 12). */
    public static final HepPayloadType H321 = new HepPayloadType(12, "H.321", MessageKind.OTHER);
    /** M2PA (HEP3 type 13). */
    public static final HepPayloadType M2PA = new HepPayloadType(13, "M2PA", MessageKind.OTHER);
    /** RTP agent (full MOS) report, JSON (HEP3 type 34, 0x22): read like RTCP ({@code AgentReport}). */
    public static final HepPayloadType RTP_AGENT_REPORT = new HepPayloadType(34, "RTP agent report", MessageKind.QOS,
            QosExtractor.INSTANCE);
    /** RTCP-XR / short QoS report, JSON (HEP3 type 35, 0x23): read like RTCP ({@code AgentReport}). */
    public static final HepPayloadType RTCP_XR_REPORT = new HepPayloadType(35, "RTCP-XR report", MessageKind.QOS,
            QosExtractor.INSTANCE);
    /** horaclifix (type 38). */
    public static final HepPayloadType HORACLIFIX = new HepPayloadType(38, "horaclifix", MessageKind.OTHER);
    /** SIP as JSON (HEP3 type 50, 0x32). Not parsed as SIP. */
    public static final HepPayloadType SIP_JSON = new HepPayloadType(50, "SIP (JSON)", MessageKind.OTHER);
    /** DNS, JSON (HEP3 type 53, 0x35). */
    public static final HepPayloadType DNS = new HepPayloadType(53, "DNS", MessageKind.OTHER);
    /** M3UA ISUP, JSON (HEP3 type 54, 0x36). */
    public static final HepPayloadType ISUP = new HepPayloadType(54, "ISUP", MessageKind.OTHER);
    /** RTSP (HEP3 type 55, 0x37). */
    public static final HepPayloadType RTSP = new HepPayloadType(55, "RTSP", MessageKind.OTHER);
    /** Diameter, JSON (HEP3 type 56, 0x38). */
    public static final HepPayloadType DIAMETER = new HepPayloadType(56, "Diameter", MessageKind.OTHER);
    /** GSM MAP, JSON (HEP3 type 57, 0x39). */
    public static final HepPayloadType GSM_MAP = new HepPayloadType(57, "GSM MAP", MessageKind.OTHER);
    /** RTCP from Pion (WebRTC), JSON (HEP3 type 58, 0x3a). A QoS report like {@link #RTCP}. */
    public static final HepPayloadType RTCP_PION = new HepPayloadType(58, "RTCP (Pion)", MessageKind.QOS);
    /** Call detail record (type 60). */
    public static final HepPayloadType CDR = new HepPayloadType(60, "CDR", MessageKind.OTHER);
    /** Log line, text or JSON (HEP3 type 100, 0x64). */
    public static final HepPayloadType LOG = new HepPayloadType(100, "Log", MessageKind.LOG, LogExtractor.INSTANCE);

    /** The largest number chunk 0x000b can carry (one unsigned byte). */
    public static final int MAX_NUMBER = 255;

    private static final HepPayloadType[] KNOWN = {
            SIP, XMPP, SDP, RTP, RTCP, MGCP, MEGACO, M2UA, M3UA, IAX, H322, H321, M2PA, RTP_AGENT_REPORT,
            RTCP_XR_REPORT, HORACLIFIX, SIP_JSON, DNS, ISUP, RTSP, DIAMETER, GSM_MAP, RTCP_PION, CDR, LOG,
    };

    /** Every byte value, known or not: lookup without allocation. */
    private static final HepPayloadType[] BY_NUMBER = new HepPayloadType[MAX_NUMBER + 1];

    static {
        for (HepPayloadType t : KNOWN) {
            if (BY_NUMBER[t.number] != null) {
                throw new ExceptionInInitializerError("payload type " + t.number + " defined twice");
            }
            BY_NUMBER[t.number] = t;
        }
        for (int n = 0; n <= MAX_NUMBER; n++) {
            if (BY_NUMBER[n] == null) {
                BY_NUMBER[n] = unknown(n);
            }
        }
    }

    private static final List<HepPayloadType> KNOWN_LIST = Collections.unmodifiableList(known(KNOWN));

    private final int number;
    private final String name;
    private final MessageKind kind;
    private final PayloadExtractor extractor;
    private final boolean known;

    private HepPayloadType(int number, String name, MessageKind kind) {
        this(number, name, kind, PayloadExtractor.OPAQUE);
    }

    private HepPayloadType(int number, String name, MessageKind kind, PayloadExtractor extractor) {
        this(number, name, kind, extractor, true);
    }

    private HepPayloadType(int number, String name, MessageKind kind, PayloadExtractor extractor, boolean known) {
        this.number = number;
        this.name = name;
        this.kind = kind;
        this.extractor = extractor;
        this.known = known;
    }

    private static HepPayloadType unknown(int number) {
        return new HepPayloadType(number, "type " + number, MessageKind.OTHER, PayloadExtractor.OPAQUE, false);
    }

    private static List<HepPayloadType> known(HepPayloadType[] types) {
        List<HepPayloadType> list = new ArrayList<>(List.of(types));
        Collections.sort(list);
        return list;
    }

    /**
     * The type of {@code number}: the known type, or an unknown one ({@code type N}, kind
     * {@link MessageKind#OTHER}). Never fails; numbers outside 0..255 (not sendable in HEP) are unknown too.
     */
    public static HepPayloadType valueOf(int number) {
        if (number >= 0 && number <= MAX_NUMBER) {
            return BY_NUMBER[number];
        }
        return unknown(number);
    }

    /** The known types, by number. */
    public static List<HepPayloadType> known() {
        return KNOWN_LIST;
    }

    /** The value of chunk 0x000b. */
    public int number() {
        return number;
    }

    /** The name shown to users: {@code SIP}, {@code RTCP}, {@code Log}..., {@code type N} when unknown. */
    public String name() {
        return name;
    }

    /** The kind its messages are stored as (for SIP, the kind of SIP that does not parse: see {@link #SIP}). */
    public MessageKind kind() {
        return kind;
    }

    /** Reads its payloads: its protocol family's extractor, or {@link PayloadExtractor#OPAQUE}. */
    PayloadExtractor extractor() {
        return extractor;
    }

    /** Whether this number has a constant here. */
    public boolean isKnown() {
        return known;
    }

    @Override
    public int compareTo(HepPayloadType o) {
        return Integer.compare(number, o.number);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HepPayloadType t && t.number == number;
    }

    @Override
    public int hashCode() {
        return number;
    }

    /** {@code RTCP(5)}; an unknown type by its name alone, {@code type 77}. */
    @Override
    public String toString() {
        return known ? name + "(" + number + ")" : name;
    }
}
