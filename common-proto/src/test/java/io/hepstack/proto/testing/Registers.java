package io.hepstack.proto.testing;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Crafted REGISTER transactions of one phone, as the collector stores them: a phone ({@link #PHONE} unless told)
 * registering {@code user@example.com} (To written {@code Example.COM}) with the Contact {@code <sip:user@PHONE>} at
 * the registrar {@link #REGISTRAR}, one Call-ID, the CSeq counting up; each request and its final answer captured
 * once by agent 2001 (or {@link #node}).
 */
public final class Registers {

    public static final String REGISTRAR = "10.1.0.1:5060";
    public static final String PHONE = "10.1.0.7:5062";
    public static final String USER_AGENT = "phone/1.0";

    private static final MessageExtractor EXTRACTOR = new MessageExtractor(ExtractionSettings.DEFAULT);
    private static final Map<Integer, String> PHRASES = Map.of(200, "OK", 401, "Unauthorized", 407,
            "Proxy Authentication Required", 403, "Forbidden", 404, "Not Found", 500, "Server Internal Error",
            503, "Service Unavailable");

    private final String callId;
    private final String user;
    private final String phone;
    private final List<CapturedMessage> messages = new ArrayList<>();
    private String node;
    private String[] requestHeaders = {};
    private long cseq;
    /** The time of the last message, microseconds since the epoch. */
    public long t;

    public Registers(String callId, String user, long startMicros) {
        this(callId, user, PHONE, startMicros);
    }

    public Registers(String callId, String user, String phone, long startMicros) {
        this.callId = callId;
        this.user = user;
        this.phone = phone;
        this.t = startMicros;
    }

    /** The capture node of the messages from now on. */
    public Registers node(String name) {
        this.node = name;
        return this;
    }

    /** Headers the next requests carry besides the usual (an {@code Expires: 0}). */
    public Registers requestHeaders(String... headers) {
        this.requestHeaders = headers;
        return this;
    }

    /**
     * A REGISTER {@code ms} after the previous message, its Contact with {@code expires=contactExpires} (none when
     * {@code null}), answered {@code status} 2 ms later ({@code 0}: no answer) with {@code answerHeaders}.
     */
    public Registers register(long ms, Integer contactExpires, int status, String... answerHeaders) {
        cseq++;
        t += ms * 1000;
        String contact = "Contact: <sip:" + user + "@" + phone + ">" + (contactExpires == null ? "" : ";expires=" + contactExpires);
        List<String> headers = new ArrayList<>(List.of(contact, "User-Agent: " + USER_AGENT));
        headers.addAll(List.of(requestHeaders));
        add(phone, REGISTRAR, "REGISTER sip:example.com SIP/2.0", null, headers);
        if (status > 0) {
            t += 2_000;
            add(REGISTRAR, phone, "SIP/2.0 " + status + " " + PHRASES.getOrDefault(status, "Whatever"), "reg" + cseq,
                    List.of(answerHeaders));
        }
        return this;
    }

    /** The time of the last answer plus {@code seconds}. */
    public long after(long seconds) {
        return t + seconds * 1_000_000L;
    }

    public List<CapturedMessage> messages() {
        return List.copyOf(messages);
    }

    private void add(String src, String dst, String startLine, String toTag, List<String> more) {
        StringBuilder b = new StringBuilder(startLine).append("\r\n")
                .append("Via: SIP/2.0/UDP ").append(phone).append(";branch=z9hG4bK-").append(callId.hashCode() & 0xffff).append('-')
                .append(cseq).append("\r\n")
                .append("From: <sip:").append(user).append("@example.com>;tag=ph1\r\n")
                .append("To: <sip:").append(user).append("@Example.COM>").append(toTag == null ? "" : ";tag=" + toTag).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\nCSeq: ").append(cseq).append(" REGISTER\r\n");
        more.forEach(h -> b.append(h).append("\r\n"));
        b.append("Content-Length: 0\r\n\r\n");
        String[] s = src.split(":");
        String[] d = dst.split(":");
        HepPacket.Builder p = HepPacket.builder().addresses(ip(s[0]), Integer.parseInt(s[1]), ip(d[0]), Integer.parseInt(d[1]))
                .ipProto(17).timestampMicros(t).protoType(HepPayloadType.SIP.number()).captureId(2001)
                .payload(b.toString().getBytes(StandardCharsets.UTF_8));
        if (node != null) {
            p.node(node);
        }
        messages.add(EXTRACTOR.extract(p.build()));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
