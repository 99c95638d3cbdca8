package io.hepstack.proto.model;

/**
 * What a stored message is, for partitioning and per-kind retention. The code is the value of the
 * {@code kind} column. Which HEP payload types are stored as which kind is {@link HepPayloadType#kind()}.
 */
public enum MessageKind {
    /** SIP within an INVITE dialog (INVITE, ACK, BYE, CANCEL, PRACK, UPDATE, INFO, REFER in a call). */
    SIP_CALL("call"),
    /** SIP REGISTER transactions. */
    SIP_REGISTRATION("registration"),
    /** Any other SIP (OPTIONS, NOTIFY, SUBSCRIBE, MESSAGE, PUBLISH...) and unparsed SIP. */
    SIP_OTHER("sip_other"),
    /** RTCP and QoS reports (HEP payload types 5, 34, 35, 58: see {@link HepPayloadType}), and SIP voice-quality reports (RFC 6035). */
    QOS("qos"),
    /** Log lines (HEP payload type 100). */
    LOG("log"),
    /** Everything else (DNS, Diameter, ISUP, ...). */
    OTHER("other");

    private final String code;

    MessageKind(String code) {
        this.code = code;
    }

    /** The value stored in the {@code kind} column. */
    public String code() {
        return code;
    }

    /** The kind for a stored code. */
    public static MessageKind ofCode(String code) {
        for (MessageKind k : values()) {
            if (k.code.equals(code)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown message kind: " + code);
    }
}
