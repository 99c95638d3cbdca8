package io.hepstack.api.search;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadsTest {

    private static final String HEAD = "INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: abc@host\r\nCSeq: 7 INVITE\r\n"
            + "From: <sip:alice@example.com>;tag=a1\r\n"; // 109 bytes

    @Test
    void showsEveryHeaderOfWholeSipWithoutError() {
        Payloads.Parsed p = Payloads.headers((HEAD + "To: <sip:bob@h>\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(p.headers()).containsOnlyKeys("Call-ID", "CSeq", "From", "To");
        assertThat(p.error()).isNull();
    }

    @Test
    void showsTheHeadersBeforeTheDamageOfSipCutInsideAHeaderLine() {
        Payloads.Parsed p = Payloads.headers((HEAD + "To: <sip:bo").getBytes(StandardCharsets.US_ASCII));
        assertThat(p.headers()).isEqualTo(Map.of("Call-ID", List.of("abc@host"), "CSeq", List.of("7 INVITE"),
                "From", List.of("<sip:alice@example.com>;tag=a1")));
        assertThat(p.error()).isEqualTo("TRUNCATED: line 5: message ends inside header \"To\" (offset 109)");
    }

    @Test
    void showsNoHeadersAndTheReasonForSipThatDoesNotParse() {
        Payloads.Parsed p = Payloads.headers("INVITE sip:bob@h SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(p.headers()).isEmpty();
        assertThat(p.error()).isEqualTo("MISSING_CALL_ID: no Call-ID header");
    }
}
