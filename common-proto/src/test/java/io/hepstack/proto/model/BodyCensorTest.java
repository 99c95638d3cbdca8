package io.hepstack.proto.model;

import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BodyCensorTest {

    private final BodyCensor censor = BodyCensor.keeping(List.of("application/sdp"));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static final String HEADERS = "MESSAGE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
            + "From: <sip:alice@example.com>;tag=1\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "Call-ID: c1\r\n"
            + "CSeq: 1 MESSAGE\r\n"
            + "Content-Type: text/plain;charset=utf-8\r\n";

    @Test
    void replacesABodyByItsLengthKeepingHeadersAndFixingContentLength() throws Exception {
        String body = "my PIN is 1234";
        byte[] out = censor.censor(bytes(HEADERS + "Content-Length:   14\r\n\r\n" + body));
        assertThat(text(out)).isEqualTo(HEADERS + "Content-Length: 19\r\n\r\n[censored 14 bytes]");
        SipMessage sip = SipParser.parse(out);
        assertThat(sip.contentLength()).isEqualTo(sip.bodyLength()).isEqualTo(19);
        assertThat(text(out)).doesNotContain("1234");
    }

    @Test
    void understandsCompactHeaderNamesAndBareLineFeeds() {
        byte[] out = censor.censor(bytes("MESSAGE sip:b@x SIP/2.0\nc: text/plain\nl: 5\n\nhello"));
        assertThat(text(out)).isEqualTo("MESSAGE sip:b@x SIP/2.0\nc: text/plain\nl: 18\n\n[censored 5 bytes]");
    }

    @Test
    void keepsSdpBodiesUntouched() {
        byte[] in = bytes("INVITE sip:b@x SIP/2.0\r\nContent-Type: Application/SDP\r\nContent-Length: 4\r\n\r\nv=0\n");
        assertThat(censor.censor(in)).isSameAs(in);
    }

    @Test
    void censorsSdpToo_whenNoContentTypeIsKept() {
        byte[] in = bytes("INVITE sip:b@x SIP/2.0\r\nContent-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n");
        assertThat(text(BodyCensor.keeping(List.of()).censor(in))).endsWith("Content-Length: 18\r\n\r\n[censored 4 bytes]");
    }

    @Test
    void leavesMessagesWithoutBodyUntouched() {
        byte[] in = bytes("BYE sip:b@x SIP/2.0\r\nContent-Length: 0\r\n\r\n");
        assertThat(censor.censor(in)).isSameAs(in);
        byte[] noBlankLine = bytes("BYE sip:b@x SIP/2.0\r\nCall-ID: x");
        assertThat(censor.censor(noBlankLine)).isSameAs(noBlankLine);
    }

    @Test
    void censorsABodyWithoutContentLengthOrContentType() {
        assertThat(text(censor.censor(bytes("MESSAGE sip:b@x SIP/2.0\r\n\r\nsecret"))))
                .isEqualTo("MESSAGE sip:b@x SIP/2.0\r\n\r\n[censored 6 bytes]");
    }
}
