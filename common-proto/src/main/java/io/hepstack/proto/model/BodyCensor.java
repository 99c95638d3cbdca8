package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepPacket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replaces the body of a SIP message by {@code [censored N bytes]} (N the original body length),
 * unless its Content-Type is one to keep (by default {@code application/sdp}, which media correlation
 * needs). The start line and headers stay byte-exact except the Content-Length value, which is set to
 * the length of the new body so the stored message is still well-formed SIP. The header/body split is
 * the first empty line (RFC 3261 §7.5), so a message that does not parse as SIP is censored too.
 *
 * <p>The rule of every writer: the collectors apply it as configured ({@code homer.ingest.privacy}) and
 * publish it in their ingest settings, from which a PCAP import applies the same. {@link #OFF} stores
 * bodies as they are. Immutable and thread-safe; two censors with the same types are equal.
 */
public final class BodyCensor {

    /** Censors nothing. */
    public static final BodyCensor OFF = new BodyCensor(false, List.of());

    private final boolean enabled;
    private final Set<String> keep;

    private BodyCensor(boolean enabled, Collection<String> keepContentTypes) {
        this.enabled = enabled;
        TreeSet<String> types = new TreeSet<>();
        for (String t : keepContentTypes) {
            String type = t.trim().toLowerCase(Locale.ROOT);
            if (!type.isEmpty()) {
                types.add(type);
            }
        }
        this.keep = Collections.unmodifiableSet(types);
    }

    /** Censors every SIP body except those of the given content types ({@code application/sdp}...; any case). */
    public static BodyCensor keeping(Collection<String> keepContentTypes) {
        return new BodyCensor(true, keepContentTypes);
    }

    /** Whether it censors anything. */
    public boolean enabled() {
        return enabled;
    }

    /** The content types whose bodies are kept, lower case, sorted. */
    public Set<String> keepContentTypes() {
        return keep;
    }

    /** The packet to store: a SIP packet with its body censored, or {@code packet} itself (same instance) when nothing changes. */
    public HepPacket censor(HepPacket packet) {
        if (!enabled || packet.protoType() != HepPayloadType.SIP.number()) {
            return packet;
        }
        byte[] censored = censor(packet.payload());
        return censored == packet.payload() ? packet : packet.withPayload(censored);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BodyCensor c && c.enabled == enabled && c.keep.equals(keep);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(enabled) * 31 + keep.hashCode();
    }

    @Override
    public String toString() {
        return enabled ? "BodyCensor[keeping " + keep + "]" : "BodyCensor[off]";
    }

    /** The censored payload, or {@code payload} itself when it has no body or a body to keep (or the censor is off). */
    public byte[] censor(byte[] payload) {
        if (!enabled) {
            return payload;
        }
        int headersEnd = -1; // index of the empty line's first byte
        int bodyStart = -1;
        for (int i = 0; i < payload.length - 1; i++) {
            if (payload[i] == '\n') {
                if (payload[i + 1] == '\n') {
                    headersEnd = i + 1;
                    bodyStart = i + 2;
                    break;
                }
                if (payload[i + 1] == '\r' && i + 2 < payload.length && payload[i + 2] == '\n') {
                    headersEnd = i + 1;
                    bodyStart = i + 3;
                    break;
                }
            }
        }
        if (bodyStart < 0 || bodyStart >= payload.length) {
            return payload;
        }
        int bodyLength = payload.length - bodyStart;
        int lengthValueStart = -1;
        int lengthValueEnd = -1;
        for (int line = 0; line < headersEnd; ) {
            int end = line;
            while (end < headersEnd && payload[end] != '\n') {
                end++;
            }
            int colon = indexOf(payload, (byte) ':', line, end);
            if (colon > 0) {
                String name = new String(payload, line, colon - line, StandardCharsets.ISO_8859_1).trim()
                        .toLowerCase(Locale.ROOT);
                if (name.equals("content-type") || name.equals("c")) {
                    String value = new String(payload, colon + 1, end - colon - 1, StandardCharsets.UTF_8);
                    int semi = value.indexOf(';');
                    String type = (semi >= 0 ? value.substring(0, semi) : value).trim().toLowerCase(Locale.ROOT);
                    if (keep.contains(type)) {
                        return payload;
                    }
                } else if ((name.equals("content-length") || name.equals("l")) && lengthValueStart < 0) {
                    lengthValueStart = colon + 1;
                    lengthValueEnd = end > 0 && payload[end - 1] == '\r' ? end - 1 : end;
                }
            }
            line = end + 1;
        }
        byte[] body = ("[censored " + bodyLength + " bytes]").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bodyStart + body.length + 8);
        if (lengthValueStart >= 0) {
            out.write(payload, 0, lengthValueStart);
            out.writeBytes((" " + body.length).getBytes(StandardCharsets.US_ASCII));
            out.write(payload, lengthValueEnd, bodyStart - lengthValueEnd);
        } else {
            out.write(payload, 0, bodyStart);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
