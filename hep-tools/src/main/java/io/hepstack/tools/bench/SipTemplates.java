package io.hepstack.tools.bench;

/**
 * SIP message templates of the load generator (lines end in LF here, CRLF on the wire). Slots are
 * named in braces, see {@link Slot}; {@code {RUN}} is the run id and {@code {CLEN}} the body length,
 * both fixed when the templates are built. Every message carries the headers a real user agent and
 * server send (two Vias through an edge proxy, Record-Route, Allow, Supported, User-Agent/Server), so
 * that sizes fall between 500 and 1,200 bytes like real traffic.
 */
final class SipTemplates {

    private SipTemplates() {
    }

    /** A scenario instance's Call-ID; also the correlation id of the RTCP reports on a call ({@link RtcpTemplates}). */
    static final String CALL_ID_VALUE = "bench-{RUN}-{SEQ}@{AIP}";

    private static final String CALL_ID = "Call-ID: " + CALL_ID_VALUE + "\n";
    private static final String FROM = "From: \"Bench {AUSER}\" <sip:{AUSER}@{AIP}>;tag={FTAG}\n";
    private static final String TO = "To: <sip:{BUSER}@{BIP}>\n";
    private static final String TO_TAGGED = "To: <sip:{BUSER}@{BIP}>;tag={TTAG}\n";
    private static final String VIAS = "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK{BR}p{LEG};rport\n"
            + "Via: SIP/2.0/UDP {AIP}:5060;received={AIP};rport=5060;branch=z9hG4bK{BR}u{LEG}\n";
    private static final String ALLOW = "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY\n";
    private static final String SUPPORTED = "Supported: replaces, timer, path\n";
    private static final String UA = "User-Agent: hepstack-bench-ua/1.0\n";
    private static final String SERVER = "Server: hepstack-bench-uas/1.0\n";
    private static final String RR = "Record-Route: <sip:10.0.0.1:5060;lr;ftag={FTAG}>\n";
    private static final String ROUTE = "Route: <sip:10.0.0.1:5060;lr;ftag={FTAG}>\n";

    private static final String SDP_A = "v=0\n"
            + "o=- {SESS} {SESS} IN IP4 {AIP}\n"
            + "s=hepstack-bench\n"
            + "c=IN IP4 {AIP}\n"
            + "t=0 0\n"
            + "m=audio {RTPA} RTP/AVP 0 8 101\n"
            + "a=rtpmap:0 PCMU/8000\n"
            + "a=rtpmap:8 PCMA/8000\n"
            + "a=rtpmap:101 telephone-event/8000\n"
            + "a=fmtp:101 0-16\n"
            + "a=ptime:20\n"
            + "a=sendrecv\n";

    private static final String SDP_B = "v=0\n"
            + "o=- {SESS} {SESS} IN IP4 {BIP}\n"
            + "s=hepstack-bench\n"
            + "c=IN IP4 {BIP}\n"
            + "t=0 0\n"
            + "m=audio {RTPB} RTP/AVP 0 101\n"
            + "a=rtpmap:0 PCMU/8000\n"
            + "a=rtpmap:101 telephone-event/8000\n"
            + "a=fmtp:101 0-16\n"
            + "a=ptime:20\n"
            + "a=sendrecv\n";

    static final String INVITE = "INVITE sip:{BUSER}@{BIP}:5060 SIP/2.0\n"
            + VIAS.replace("{LEG}", "i")
            + "Max-Forwards: 69\n"
            + RR + FROM + TO + CALL_ID
            + "CSeq: {CSEQ} INVITE\n"
            + "Contact: <sip:{AUSER}@{AIP}:5060;transport=udp>\n"
            + ALLOW + SUPPORTED + UA
            + "Session-Expires: 1800\n"
            + "Content-Type: application/sdp\n"
            + "Content-Length: {CLEN}\n"
            + "\n" + SDP_A;

    private static String inviteReply(String statusLine, String to) {
        return "SIP/2.0 " + statusLine + "\n"
                + VIAS.replace("{LEG}", "i")
                + RR + FROM + to + CALL_ID
                + "CSeq: {CSEQ} INVITE\n";
    }

    static final String TRYING = inviteReply("100 Trying", TO)
            + "Date: Sat, 13 Nov 2010 23:29:00 GMT\n"
            + SERVER + "Content-Length: 0\n\n";

    static final String RINGING = inviteReply("180 Ringing", TO_TAGGED)
            + "Contact: <sip:{BUSER}@{BIP}:5060>\n"
            + ALLOW + SERVER + "Content-Length: 0\n\n";

    static final String INVITE_OK = inviteReply("200 OK", TO_TAGGED)
            + "Contact: <sip:{BUSER}@{BIP}:5060>\n"
            + ALLOW + SUPPORTED + SERVER
            + "Session-Expires: 1800;refresher=uac\n"
            + "Content-Type: application/sdp\n"
            + "Content-Length: {CLEN}\n"
            + "\n" + SDP_B;

    static final String BUSY = inviteReply("486 Busy Here", TO_TAGGED)
            + ALLOW + SERVER
            + "Warning: 399 {BIP} \"All lines of {BUSER} are busy\"\n"
            + "Content-Length: 0\n\n";

    static final String ACK = "ACK sip:{BUSER}@{BIP}:5060 SIP/2.0\n"
            + VIAS.replace("{LEG}", "a")
            + "Max-Forwards: 69\n"
            + ROUTE + FROM + TO_TAGGED + CALL_ID
            + "CSeq: {CSEQ} ACK\n"
            + "Contact: <sip:{AUSER}@{AIP}:5060;transport=udp>\n"
            + UA + "Content-Length: 0\n\n";

    /** ACK of a non-2xx final reply: same branch as the INVITE (RFC 3261 §17.1.1.3). */
    static final String BUSY_ACK = "ACK sip:{BUSER}@{BIP}:5060 SIP/2.0\n"
            + VIAS.replace("{LEG}", "i")
            + "Max-Forwards: 69\n"
            + FROM + TO_TAGGED + CALL_ID
            + "CSeq: {CSEQ} ACK\n"
            + "Contact: <sip:{AUSER}@{AIP}:5060;transport=udp>\n"
            + UA + "Reason: SIP;cause=486;text=\"Busy Here\"\n" + "Content-Length: 0\n\n";

    static final String BYE = "BYE sip:{BUSER}@{BIP}:5060 SIP/2.0\n"
            + VIAS.replace("{LEG}", "b")
            + "Max-Forwards: 69\n"
            + ROUTE + FROM + TO_TAGGED + CALL_ID
            + "CSeq: {CSEQ2} BYE\n"
            + UA + "Reason: Q.850;cause=16;text=\"Normal call clearing\"\n"
            + "Content-Length: 0\n\n";

    static final String BYE_OK = "SIP/2.0 200 OK\n"
            + VIAS.replace("{LEG}", "b")
            + FROM + TO_TAGGED + CALL_ID
            + "CSeq: {CSEQ2} BYE\n"
            + ALLOW + SUPPORTED + SERVER + "Content-Length: 0\n\n";

    private static final String REG_COMMON = "Max-Forwards: 69\n"
            + "From: <sip:{AUSER}@{BIP}>;tag={FTAG}\n"
            + "To: <sip:{AUSER}@{BIP}>\n"
            + CALL_ID;

    static final String REGISTER = "REGISTER sip:{BIP} SIP/2.0\n"
            + VIAS.replace("{LEG}", "r")
            + REG_COMMON
            + "CSeq: {CSEQ} REGISTER\n"
            + "Contact: <sip:{AUSER}@{AIP}:5060;transport=udp>;expires=3600\n"
            + ALLOW + SUPPORTED + UA
            + "Expires: 3600\n"
            + "Content-Length: 0\n\n";

    static final String REGISTER_401 = "SIP/2.0 401 Unauthorized\n"
            + VIAS.replace("{LEG}", "r")
            + "From: <sip:{AUSER}@{BIP}>;tag={FTAG}\n"
            + "To: <sip:{AUSER}@{BIP}>;tag={TTAG}\n"
            + CALL_ID
            + "CSeq: {CSEQ} REGISTER\n"
            + "WWW-Authenticate: Digest realm=\"{BIP}\", nonce=\"{NONCE}\", qop=\"auth\", algorithm=MD5\n"
            + SERVER + "Content-Length: 0\n\n";

    static final String REGISTER_AUTH = "REGISTER sip:{BIP} SIP/2.0\n"
            + VIAS.replace("{LEG}", "s")
            + REG_COMMON
            + "CSeq: {CSEQ2} REGISTER\n"
            + "Contact: <sip:{AUSER}@{AIP}:5060;transport=udp>;expires=3600\n"
            + "Authorization: Digest username=\"{AUSER}\", realm=\"{BIP}\", nonce=\"{NONCE}\", "
            + "uri=\"sip:{BIP}\", response=\"{RESP}\", algorithm=MD5, cnonce=\"{FTAG}\", qop=auth, nc=00000001\n"
            + UA + "Expires: 3600\n"
            + "Content-Length: 0\n\n";

    static final String REGISTER_OK = "SIP/2.0 200 OK\n"
            + VIAS.replace("{LEG}", "s")
            + "From: <sip:{AUSER}@{BIP}>;tag={FTAG}\n"
            + "To: <sip:{AUSER}@{BIP}>;tag={TTAG}\n"
            + CALL_ID
            + "CSeq: {CSEQ2} REGISTER\n"
            + "Contact: <sip:{AUSER}@{AIP}:5060;transport=udp>;expires=3600\n"
            + "Date: Sat, 13 Nov 2010 23:29:00 GMT\n"
            + SERVER + "Content-Length: 0\n\n";

    static final String OPTIONS = "OPTIONS sip:{BIP}:5060 SIP/2.0\n"
            + VIAS.replace("{LEG}", "o")
            + "Max-Forwards: 69\n"
            + "From: <sip:ping@{AIP}>;tag={FTAG}\n"
            + "To: <sip:{BIP}:5060>\n"
            + CALL_ID
            + "CSeq: {CSEQ} OPTIONS\n"
            + "Contact: <sip:ping@{AIP}:5060>\n"
            + "Accept: application/sdp\n"
            + ALLOW + SUPPORTED + UA
            + "Content-Length: 0\n\n";

    static final String OPTIONS_OK = "SIP/2.0 200 OK\n"
            + VIAS.replace("{LEG}", "o")
            + "From: <sip:ping@{AIP}>;tag={FTAG}\n"
            + "To: <sip:{BIP}:5060>;tag={TTAG}\n"
            + CALL_ID
            + "CSeq: {CSEQ} OPTIONS\n"
            + "Accept: application/sdp\n"
            + ALLOW + SUPPORTED + SERVER
            + "Content-Length: 0\n\n";
}
