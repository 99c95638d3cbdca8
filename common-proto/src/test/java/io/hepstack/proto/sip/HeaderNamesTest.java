package io.hepstack.proto.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Header names to kinds, compared 8 bytes at a time: every case, and nothing that merely looks alike. */
class HeaderNamesTest {

    private static final Map<String, Integer> NAMES = Map.ofEntries(
            Map.entry("Call-ID", HeaderNames.CALL_ID), Map.entry("From", HeaderNames.FROM),
            Map.entry("To", HeaderNames.TO), Map.entry("Via", HeaderNames.VIA),
            Map.entry("CSeq", HeaderNames.CSEQ), Map.entry("Content-Length", HeaderNames.CONTENT_LENGTH),
            Map.entry("User-Agent", HeaderNames.USER_AGENT), Map.entry("Max-Forwards", HeaderNames.MAX_FORWARDS),
            Map.entry("P-Asserted-Identity", HeaderNames.P_ASSERTED_IDENTITY),
            Map.entry("Request-Disposition", HeaderNames.REQUEST_DISPOSITION),
            Map.entry("Proxy-Authorization", HeaderNames.PROXY_AUTHORIZATION),
            Map.entry("Authentication-Info", HeaderNames.AUTHENTICATION_INFO),
            Map.entry("MIME-Version", HeaderNames.MIME_VERSION), Map.entry("Min-SE", HeaderNames.MIN_SE));

    @Test
    void findsEveryNameInAnyCaseInsideALargerBuffer() {
        NAMES.forEach((name, kind) -> {
            for (String form : new String[] {name, name.toLowerCase(), name.toUpperCase(), alternate(name)}) {
                byte[] line = (form + ": x\r\n").getBytes(StandardCharsets.US_ASCII);
                assertThat(HeaderNames.kindOf(line, 0, form.length())).as(form).isEqualTo(kind);
                assertThat(HeaderNames.kindOf(form)).as(form).isEqualTo(kind);
            }
            // the name flush with the end of the array: the word read must not run past it
            byte[] exact = name.getBytes(StandardCharsets.US_ASCII);
            assertThat(HeaderNames.kindOf(exact, 0, exact.length)).as(name + " at the array end").isEqualTo(kind);
        });
    }

    @Test
    void bytesThatDifferOnlyInTheCaseBitOutsideLettersDoNotMatch() {
        // '-' is 0x2d and CR 0x0d; '_' 0x5f and DEL 0x7f; '@' 0x40 and '`' 0x60
        for (String lookalike : new String[] {"Call\rID", "Call\u007fID", "Call_ID", "User\rAgent",
                "P-Asserted\rIdentity", "Max-Forwards".replace('-', '\r'), "Vi\u00c1", "Fro\u00cd"}) {
            byte[] b = lookalike.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(HeaderNames.kindOf(b, 0, b.length)).as(lookalike).isEqualTo(HeaderNames.OTHER);
        }
    }

    @Test
    void resolvesCompactFormsAndLeavesUnknownNamesOther() {
        assertThat(HeaderNames.kindOf("i")).isEqualTo(HeaderNames.CALL_ID);
        assertThat(HeaderNames.kindOf("V")).isEqualTo(HeaderNames.VIA);
        assertThat(HeaderNames.kindOf(" f ")).isEqualTo(HeaderNames.FROM);
        assertThat(HeaderNames.kindOf("g")).isEqualTo(HeaderNames.OTHER);
        assertThat(HeaderNames.kindOf("@")).isEqualTo(HeaderNames.OTHER);
        assertThat(HeaderNames.kindOf("Record-Route")).isEqualTo(HeaderNames.OTHER);
        assertThat(HeaderNames.kindOf("X-CID")).isEqualTo(HeaderNames.OTHER);
        assertThat(HeaderNames.kindOf("Call-ID\u0141")).isEqualTo(HeaderNames.OTHER);
        assertThat(HeaderNames.kindOf("")).isEqualTo(HeaderNames.OTHER);
        assertThat(HeaderNames.kindOf("x".repeat(40))).isEqualTo(HeaderNames.OTHER);
    }

    private static String alternate(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(i % 2 == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return sb.toString();
    }
}
