package io.hepstack.api.search;

import io.hepstack.proto.query.MessageSelect;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;
import io.r2dbc.spi.Readable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stored payload of a row ({@code payload_text} or {@code payload_bytes}) and what it shows. */
public final class Payloads {

    /** Columns holding the payload: {@link MessageSelect#PAYLOAD}. */
    public static final String COLUMNS = MessageSelect.PAYLOAD;

    private Payloads() {
    }

    /** The payload bytes, exactly as captured: {@link MessageSelect#payload}. */
    public static byte[] bytes(Readable r) {
        return MessageSelect.payload(r);
    }

    /** {@code [raw, rawEncoding]}: text when stored as text, else base64. */
    public static String[] raw(Readable r, byte[] bytes) {
        String text = MessageSelect.payloadText(r);
        return text != null ? new String[] {text, "utf8"}
                : new String[] {Base64.getEncoder().encodeToString(bytes), "base64"};
    }

    /**
     * Headers in order of first appearance, every value, or an empty map (with the reason) when not SIP;
     * for SIP damaged at its end, the complete headers before the damage, with the damage as the error.
     */
    public static Parsed headers(byte[] payload) {
        SipMessage sip;
        try {
            sip = SipParser.parse(payload);
        } catch (SipParseException e) {
            return new Parsed(Map.of(), e.summary());
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : sip.headerNames()) {
            headers.computeIfAbsent(name, sip::headers);
        }
        return new Parsed(headers, sip.damage() == null ? null : sip.damage().summary());
    }

    /** Parsed headers, and why there are none or why they stop early ({@code null} for whole SIP). */
    public record Parsed(Map<String, List<String>> headers, String error) {
    }
}
