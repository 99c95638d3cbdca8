package io.hepstack.proto.model;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * One captured message as it is stored: the row of the {@code messages} table. Typed columns hold
 * every searchable field; {@code payload} is the raw message, byte-exact; {@code extra} holds decoded
 * extras (configured headers, SDP media, HEP extra chunks) as a JSON object text, or {@code null}.
 *
 * <p>SIP fields are {@code null} when the payload is not SIP or could not be parsed ({@code parsed}
 * is then {@code false}); such messages are still stored and searchable by time, addresses and
 * correlation id. SIP damaged at its end is parsed: its fields come from the header lines before the
 * damage, and {@code extra.sipError} names the damage.
 *
 * @param timestampMicros capture time, microseconds since the epoch, as the agent reported it
 * @param kind            what the message is, for partitioning and retention
 * @param captureId       capture agent id
 * @param node            capture node name, or {@code null}
 * @param protoType       HEP payload type (1 SIP, 5 RTCP, 100 log, ...)
 * @param ipFamily        2 or 10, or 0 when unknown
 * @param transport       IP protocol number (6 TCP, 17 UDP, 132 SCTP, 0 unknown)
 * @param srcIp           source address, or {@code null}
 * @param srcPort         source port
 * @param dstIp           destination address, or {@code null}
 * @param dstPort         destination port
 * @param correlationId   correlation id: HEP chunk 0x0011, else a configured A-leg header, else Call-ID
 * @param callId          SIP Call-ID
 * @param method          request method, or {@code null} for replies
 * @param status          reply status code, or {@code null} for requests
 * @param cseq            CSeq number
 * @param cseqMethod      CSeq method
 * @param fromUser        From URI user part
 * @param fromTag         From tag
 * @param toUser          To URI user part
 * @param toTag           To tag
 * @param ruriUser        Request-URI user part (requests only)
 * @param userAgent       User-Agent, or Server for replies without one
 * @param viaBranch       branch of the first Via
 * @param parsed          whether the payload parsed as SIP (also when damaged at its end)
 * @param payload         raw payload, byte-exact
 * @param extra           JSON object text with decoded extras, or {@code null}
 */
public record CapturedMessage(
        long timestampMicros,
        MessageKind kind,
        long captureId,
        String node,
        int protoType,
        int ipFamily,
        int transport,
        InetAddress srcIp,
        int srcPort,
        InetAddress dstIp,
        int dstPort,
        String correlationId,
        String callId,
        String method,
        Integer status,
        Long cseq,
        String cseqMethod,
        String fromUser,
        String fromTag,
        String toUser,
        String toTag,
        String ruriUser,
        String userAgent,
        String viaBranch,
        boolean parsed,
        byte[] payload,
        String extra) {

    public CapturedMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedMessage m
                && timestampMicros == m.timestampMicros && kind == m.kind && captureId == m.captureId
                && Objects.equals(node, m.node) && protoType == m.protoType && ipFamily == m.ipFamily
                && transport == m.transport && Objects.equals(srcIp, m.srcIp) && srcPort == m.srcPort
                && Objects.equals(dstIp, m.dstIp) && dstPort == m.dstPort
                && Objects.equals(correlationId, m.correlationId) && Objects.equals(callId, m.callId)
                && Objects.equals(method, m.method) && Objects.equals(status, m.status)
                && Objects.equals(cseq, m.cseq) && Objects.equals(cseqMethod, m.cseqMethod)
                && Objects.equals(fromUser, m.fromUser) && Objects.equals(fromTag, m.fromTag)
                && Objects.equals(toUser, m.toUser) && Objects.equals(toTag, m.toTag)
                && Objects.equals(ruriUser, m.ruriUser) && Objects.equals(userAgent, m.userAgent)
                && Objects.equals(viaBranch, m.viaBranch) && parsed == m.parsed
                && Arrays.equals(payload, m.payload) && Objects.equals(extra, m.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestampMicros, kind, callId, srcPort, dstPort, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "CapturedMessage[" + kind.code() + " t=" + timestampMicros + " " + srcIp + ":" + srcPort + " -> "
                + dstIp + ":" + dstPort + " callId=" + callId + " method=" + method + " status=" + status
                + " parsed=" + parsed + " payload=" + payload.length + "B]";
    }
}
