package io.hepstack.api.call;

import io.hepstack.api.search.MessageItem;
import io.hepstack.api.web.Times;
import io.hepstack.proto.call.MediaReports;
import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.media.Codec;
import io.hepstack.proto.media.MediaThresholds;
import io.hepstack.proto.media.RtcpDecodeException;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.sip.Sdp;
import io.hepstack.proto.sip.SdpMedia;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;

import java.util.ArrayList;
import java.util.List;

/**
 * A call's media quality ({@code GET /api/v1/calls/{callId}/qos}, docs/api.md): its RTCP reports (HEP type 5,
 * every leg) and voice-quality reports in SIP (RFC 6035 PUBLISH) read by common-proto's {@link MediaReports}
 * and summed up by {@link CallMedia}, rated with the codec the call's SDP answer chose.
 *
 * @param callId        the call asked for
 * @param codec         the codec the streams are rated with, and whether the SDP named it
 * @param thresholds    the verdicts' thresholds
 * @param reports       RTCP reports read
 * @param unreadReports QoS reports that were not read: other formats (types 34, 35, 58) or ones that do not read
 * @param streams       what each reporter received of each source; series in time order, {@code atMicros} µs since the epoch
 * @param verdicts      what is wrong, in words; empty when nothing is
 * @param units         the units of the figures
 */
public record CallQos(String callId, CodecUsed codec, MediaThresholds thresholds, int reports, int unreadReports,
                      List<CallMedia.Stream> streams, List<CallMedia.Verdict> verdicts, Units units) {

    /**
     * @param name      SDP encoding name
     * @param clockRate its RTP clock (jitter in ms uses it)
     * @param ie        E-model equipment impairment
     * @param bpl       E-model packet-loss robustness
     * @param fromSdp   whether the call's SDP named it (else G.711 is assumed)
     */
    public record CodecUsed(String name, int clockRate, double ie, double bpl, boolean fromSdp) {
    }

    /** The units of every figure, named in the response. */
    public record Units(String loss, String jitter, String rtt, String mos) {
        static final Units FIXED = new Units("percent of packets", "ms", "ms",
                "1 to 4.5, ITU-T G.107 E-model (reportedMos: the endpoint's own, RFC 3611)");
    }

    /** The SIP methods that carry voice-quality reports (RFC 6035: PUBLISH, or NOTIFY of a subscription). */
    private static final java.util.Set<String> VQ_METHODS = java.util.Set.of("PUBLISH", "NOTIFY");

    /** The quality of {@code flow}'s media. */
    public static CallQos of(String callId, CallFlow flow, MediaThresholds thresholds) {
        Codec sdpCodec = codec(flow);
        Codec codec = sdpCodec != null ? sdpCodec : Codec.PCMU;
        List<CallMedia.Report> reports = new ArrayList<>();
        int unread = 0;
        for (CallFlow.Event e : flow.qos()) {
            if (e.protoType() == null || !MediaReports.readable(e.protoType()) || e.payload() == null) {
                unread++;
                continue;
            }
            try {
                reports.add(MediaReports.read(Times.micros(e.timestamp()), e.protoType(), e.payload(),
                        CallMedia.endpoint(e.srcIp(), e.srcPort()), CallMedia.endpoint(e.dstIp(), e.dstPort()), e.legCallId()));
            } catch (RtcpDecodeException bad) {
                unread++;
            }
        }
        for (CallFlow.Message m : flow.messages()) { // voice-quality reports in SIP (RFC 6035) are in the ladder
            MessageItem item = m.item();
            if (m.payload() == null || item.method() == null || !VQ_METHODS.contains(item.method())) {
                continue;
            }
            try {
                reports.add(MediaReports.read(Times.micros(item.timestamp()), HepPayloadType.SIP.number(), m.payload(),
                        CallMedia.endpoint(item.srcIp(), item.srcPort()), CallMedia.endpoint(item.dstIp(), item.dstPort()),
                        m.legCallId()));
            } catch (RtcpDecodeException notReport) {
                if (notReport.reason() == RtcpDecodeException.Reason.BAD_VQ_REPORT) {
                    unread++;
                }
            }
        }
        CallMedia.Summary s = CallMedia.summarize(reports, codec, thresholds);
        return new CallQos(callId, new CodecUsed(codec.name(), codec.clockRate(), codec.ie(), codec.bpl(), sdpCodec != null),
                thresholds, s.reports(), unread, s.streams(), s.verdicts(), Units.FIXED);
    }

    /** The first codec of the first audio line of the call's SDP answer (a 2xx to INVITE), else of its offer. */
    static Codec codec(CallFlow flow) {
        Codec offered = null;
        for (CallFlow.Message m : flow.messages()) {
            String cseq = m.item().cseq();
            if (m.payload() == null || cseq == null || !cseq.endsWith(" INVITE")) {
                continue;
            }
            Integer status = m.item().status();
            if (status != null && status >= 200 && status < 300) {
                Codec answered = firstAudioCodec(m.payload());
                if (answered != null) {
                    return answered;
                }
            } else if (status == null && offered == null) {
                offered = firstAudioCodec(m.payload());
            }
        }
        return offered;
    }

    private static Codec firstAudioCodec(byte[] payload) {
        try {
            SipMessage sip = SipParser.parse(payload);
            Sdp sdp = sip.sdp();
            if (sdp == null) {
                return null;
            }
            for (SdpMedia media : sdp.media()) {
                if ("audio".equals(media.type())) {
                    for (String format : media.codecs()) {
                        Codec c = Codec.ofSdp(format);
                        if (c != null) {
                            return c;
                        }
                    }
                }
            }
        } catch (SipParseException e) {
            return null;
        }
        return null;
    }
}
