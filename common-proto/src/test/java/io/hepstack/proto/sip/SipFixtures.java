package io.hepstack.proto.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test messages: real ones from {@code src/test/resources/sip/}, and hand-written ones. */
final class SipFixtures {
    private SipFixtures() {
    }

    /** The bytes of {@code src/test/resources/sip/<name>}. */
    static byte[] resource(String name) {
        try (InputStream in = SipFixtures.class.getResourceAsStream("/sip/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SipMessage parseResource(String name) throws SipParseException {
        return SipParser.parse(resource(name));
    }

    /** A message written with {@code \n} line ends, sent with CRLF, as on the wire. */
    static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes exactly as written (LF stays LF). */
    static byte[] raw(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static SipMessage parse(byte[] bytes) throws SipParseException {
        return SipParser.parse(bytes);
    }

    /** A minimal valid INVITE with these extra header lines (written with \n) before the blank line. */
    static byte[] inviteWith(String extraHeaders) {
        return crlf("INVITE sip:bob@example.com SIP/2.0\n"
                + "Call-ID: abc@host\n"
                + "CSeq: 1 INVITE\n"
                + extraHeaders
                + "\n");
    }
}
