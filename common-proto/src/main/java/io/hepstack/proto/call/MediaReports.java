package io.hepstack.proto.call;

import io.hepstack.proto.media.AgentReport;
import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.media.RtcpDecodeException;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.media.VqReport;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;

import java.net.InetAddress;
import java.util.List;

/**
 * Reads a call's stored media reports, whatever carried them, into {@link CallMedia.Report}s: RTCP in HEP
 * type 5 (binary or an agent's JSON: {@link RtcpReport#read}), voice-quality reports in SIP
 * ({@code application/vq-rtcpxr}, RFC 6035: {@link VqReport}) and RTP agents' JSON reports in types 34 and 35
 * ({@link AgentReport}). The one reader of them all for the call records' builder and the API's QoS view, so the
 * two sum a call up alike.
 */
public final class MediaReports {

    /** The payload types whose rows may be media reports, the ones {@link #read} reads. Others (58) are not read. */
    public static final List<Integer> PAYLOAD_TYPES = List.of(HepPayloadType.RTCP.number(), HepPayloadType.SIP.number(),
            HepPayloadType.RTP_AGENT_REPORT.number(), HepPayloadType.RTCP_XR_REPORT.number());

    private MediaReports() {
    }

    /** Whether a stored row may be a media report: its payload type is one of {@link #PAYLOAD_TYPES}. */
    public static boolean readable(int payloadType) {
        return PAYLOAD_TYPES.contains(payloadType);
    }

    /** {@link #PAYLOAD_TYPES} as SQL's list: {@code 5, 1, 34, 35}. */
    public static String payloadTypesSql() {
        return PAYLOAD_TYPES.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * One stored report.
     *
     * @param capturedMicros its capture time
     * @param payloadType    its HEP payload type
     * @param payload        its bytes
     * @param source         where it was captured coming from ({@code ip:port}): an RTCP report's sender
     * @param destination    where it was going
     * @param leg            the call leg it names (its correlation id)
     * @return the report; for a voice-quality report, its reporter and peer are the media ends its body names
     *         (the SIP message's own addresses are signalling), its leg the {@code CallID} it names; for an RTP
     *         agent's report, its reporter is the stream's receiver and its peer the sender, as its body names them
     *         (else the row's destination and source), its leg the row's, else the call its body names
     * @throws RtcpDecodeException when it does not read, or is a SIP message that is not a voice-quality report
     */
    public static CallMedia.Report read(long capturedMicros, int payloadType, byte[] payload, String source,
                                        String destination, String leg) throws RtcpDecodeException {
        if (payloadType == HepPayloadType.RTCP.number()) {
            return new CallMedia.Report(capturedMicros, source, destination, leg, RtcpReport.read(payload));
        }
        if (payloadType == HepPayloadType.RTP_AGENT_REPORT.number() || payloadType == HepPayloadType.RTCP_XR_REPORT.number()) {
            AgentReport a = AgentReport.parse(payload);
            return new CallMedia.Report(capturedMicros, a.to() != null ? a.to().address() : destination,
                    a.from() != null ? a.from().address() : source, leg != null ? leg : a.callId(), a.toRtcp());
        }
        if (payloadType != HepPayloadType.SIP.number()) {
            throw new RtcpDecodeException(RtcpDecodeException.Reason.NO_REPORT, "payload type " + payloadType
                    + " is not read as a media report");
        }
        VqReport vq = vq(payload);
        String reporter = vq.local().address();
        String peer = vq.remote().address();
        return new CallMedia.Report(capturedMicros, reporter != null ? reporter : source, peer != null ? peer : destination,
                vq.callId(), vq.toRtcp());
    }

    /** {@link #read(long, int, byte[], String, String, String)} of a stored row, read back with {@code MessageSelect}. */
    public static CallMedia.Report read(CapturedMessage m) throws RtcpDecodeException {
        Envelope e = m.envelope();
        return read(e.timestampMicros(), e.protoType(), m.payload(), address(e.srcIp(), e.srcPort()),
                address(e.dstIp(), e.dstPort()), e.correlationId());
    }

    private static String address(InetAddress ip, int port) {
        return CallMedia.endpoint(ip == null ? null : ip.getHostAddress(), port);
    }

    private static VqReport vq(byte[] payload) throws RtcpDecodeException {
        SipMessage sip;
        try {
            sip = SipParser.parse(payload);
        } catch (SipParseException e) {
            throw new RtcpDecodeException(RtcpDecodeException.Reason.BAD_VQ_REPORT, "SIP that does not parse: " + e.summary());
        }
        if (!VqReport.isVqContentType(sip.contentType())) {
            throw new RtcpDecodeException(RtcpDecodeException.Reason.NO_REPORT, "a SIP message of type "
                    + sip.contentType() + ", not " + VqReport.CONTENT_TYPE);
        }
        return VqReport.parse(sip.bodyBytes());
    }
}
