package io.hepstack.proto.model;

import io.hepstack.proto.sip.CSeq;
import io.hepstack.proto.sip.SipMessage;

/**
 * The fields of a parsed SIP message that have columns of their own (searchable, indexed where the API
 * needs it). SIP damaged at its end has the fields of its complete header lines.
 *
 * @param callId     Call-ID
 * @param method     request method, or {@code null} for replies
 * @param status     reply status code, or {@code null} for requests
 * @param cseq       CSeq number
 * @param cseqMethod CSeq method
 * @param fromUser   From URI user part
 * @param fromTag    From tag
 * @param toUser     To URI user part
 * @param toTag      To tag
 * @param ruriUser   Request-URI user part (requests only)
 * @param userAgent  User-Agent, or Server for replies without one
 * @param viaBranch  branch of the first Via
 */
public record SipFields(String callId, String method, Integer status, Long cseq, String cseqMethod,
                        String fromUser, String fromTag, String toUser, String toTag, String ruriUser,
                        String userAgent, String viaBranch) implements MessagePart {

    /** The fields of a parsed message. */
    public static SipFields of(SipMessage sip) {
        CSeq cseq = sip.cseq();
        return new SipFields(sip.callId(), sip.method(), sip.isRequest() ? null : sip.statusCode(), cseq.number(),
                cseq.method(), sip.fromUser(), sip.fromTag(), sip.toUser(), sip.toTag(), sip.requestUriUser(),
                sip.userAgent() != null ? sip.userAgent() : sip.server(), sip.viaBranch());
    }

    /** Whether this is a request (it has a method). */
    public boolean isRequest() {
        return method != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds the fields by name (tests, hand-made rows). */
    public static final class Builder {
        private String callId;
        private String method;
        private Integer status;
        private Long cseq;
        private String cseqMethod;
        private String fromUser;
        private String fromTag;
        private String toUser;
        private String toTag;
        private String ruriUser;
        private String userAgent;
        private String viaBranch;

        private Builder() {
        }

        public Builder callId(String v) { callId = v; return this; }
        /** A request: its method, also the CSeq method unless that is set. */
        public Builder request(String v) { method = v; return this; }
        /** A reply: its status code. */
        public Builder status(Integer v) { status = v; return this; }
        public Builder cseq(long number, String m) { cseq = number; cseqMethod = m; return this; }
        public Builder from(String user, String tag) { fromUser = user; fromTag = tag; return this; }
        public Builder to(String user, String tag) { toUser = user; toTag = tag; return this; }
        public Builder ruriUser(String v) { ruriUser = v; return this; }
        public Builder userAgent(String v) { userAgent = v; return this; }
        public Builder viaBranch(String v) { viaBranch = v; return this; }

        public SipFields build() {
            return new SipFields(callId, method, status, cseq, cseqMethod != null ? cseqMethod : method, fromUser,
                    fromTag, toUser, toTag, ruriUser, userAgent, viaBranch);
        }
    }
}
