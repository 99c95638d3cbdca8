package io.hepstack.proto.hep;

import java.util.Locale;

/**
 * The transport a HEP envelope names: the value of the generic chunk 0x0002 ("IP protocol ID", HEP3
 * §chunk types; the protocol byte of the HEPv1/v2 header), with the name shown for it. The one owner
 * of these numbers: the API's message items and its {@code transport} search filter derive from it.
 *
 * <p>The byte is the IANA IP protocol number for UDP, TCP and SCTP. TLS and WebSocket have none, so
 * the agents mark them with numbers of their own, which the HEP receivers read back (Kamailio's
 * {@code sipcapture}, OpenSIPS' {@code proto_hep}): 22 ({@code IPPROTO_IDP}) for TLS and 50
 * ({@code IPPROTO_ESP}) for WebSocket. Agents do not agree on WebSocket: OpenSIPS sends 50 for WS and
 * WSS alike; Kamailio's {@code siptrace} sends 22 for TLS, WS and WSS; reSIProcate and sofia-sip send
 * 6 (TCP) for WS and WSS. So WSS has no number of its own: {@link #named} reads {@code wss} as
 * {@link #WS}, the number that names secure WebSocket where any does.
 */
public enum HepTransport {
    /** UDP, IP protocol 17. */
    UDP(17, "UDP"),
    /** TCP, IP protocol 6. */
    TCP(6, "TCP"),
    /** TLS: 22, {@code IPPROTO_IDP}, as HEP agents mark it (not an IP protocol of its own). */
    TLS(22, "TLS"),
    /** SCTP, IP protocol 132. */
    SCTP(132, "SCTP"),
    /** WebSocket, plain or secure: 50, {@code IPPROTO_ESP}, as OpenSIPS marks both and HEP receivers read it. */
    WS(50, "WS");

    /** The largest number chunk 0x0002 can carry (one unsigned byte). */
    public static final int MAX_NUMBER = 255;

    private static final HepTransport[] BY_NUMBER = new HepTransport[MAX_NUMBER + 1];

    static {
        for (HepTransport t : values()) {
            BY_NUMBER[t.number] = t;
        }
    }

    private final int number;
    private final String label;

    HepTransport(int number, String label) {
        this.number = number;
        this.label = label;
    }

    /** The value of chunk 0x0002. */
    public int number() {
        return number;
    }

    /** The name shown: {@code UDP}, {@code TCP}, {@code TLS}, {@code SCTP}, {@code WS}. */
    public String label() {
        return label;
    }

    /** The transport of a chunk 0x0002 value, or {@code null} for a number without one here. */
    public static HepTransport ofNumber(int number) {
        return number >= 0 && number <= MAX_NUMBER ? BY_NUMBER[number] : null;
    }

    /**
     * The name shown for a chunk 0x0002 value: the transport's, {@code IP/<n>} for another number,
     * {@code null} for 0 (unknown: agents send 0 when they do not know).
     */
    public static String labelOf(int number) {
        HepTransport t = ofNumber(number);
        return t != null ? t.label : number == 0 ? null : "IP/" + number;
    }

    /**
     * The transport a user names, ignoring case: {@code udp}, {@code tcp}, {@code tls}, {@code sctp},
     * {@code ws}, and {@code wss} for {@link #WS} (see above); {@code null} for any other word.
     */
    public static HepTransport named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("wss")) {
            return WS;
        }
        for (HepTransport t : values()) {
            if (t.label.toLowerCase(Locale.ROOT).equals(n)) {
                return t;
            }
        }
        return null;
    }
}
