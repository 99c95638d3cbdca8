package io.hepstack.proto.sip;

import static io.hepstack.proto.sip.SipFixtures.inviteWith;
import static io.hepstack.proto.sip.SipFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Configured correlation headers. */
class HeaderExtractorTest {

    private static final String PCV =
            "P-Charging-Vector: icid-value=\"AyretyU0dm+6O2IrT5tAFrbHLso=023551024\"; orig-ioi=home1.net\n";

    @Test
    void takesTheWholeFirstValueWithoutPattern() throws Exception {
        SipMessage m = parse(inviteWith("X-CID: first\nX-CID: second\n"));

        assertThat(HeaderExtractor.parse("X-CID").extract(m)).isEqualTo("first");
        assertThat(HeaderExtractor.parse("  x-cid  ").extract(m)).isEqualTo("first");
    }

    @Test
    void takesGroupOneOfThePattern() throws Exception {
        SipMessage m = parse(inviteWith(PCV));

        assertThat(HeaderExtractor.parse("P-Charging-Vector:icid-value=\"?([^;\"\\s]+)").extract(m))
                .isEqualTo("AyretyU0dm+6O2IrT5tAFrbHLso=023551024");
        assertThat(HeaderExtractor.parse("P-Charging-Vector:orig-ioi=([^;\\s]+)").extract(m)).isEqualTo("home1.net");
    }

    @Test
    void takesTheWholeMatchWhenThePatternHasNoGroup() throws Exception {
        SipMessage m = parse(inviteWith(PCV));

        assertThat(new HeaderExtractor("P-Charging-Vector", Pattern.compile("orig-ioi=\\S+")).extract(m))
                .isEqualTo("orig-ioi=home1.net");
    }

    @Test
    void givesNullWhenTheHeaderIsAbsentOrThePatternDoesNotMatch() throws Exception {
        SipMessage m = parse(inviteWith(PCV));

        assertThat(HeaderExtractor.parse("X-CID").extract(m)).isNull();
        assertThat(HeaderExtractor.parse("P-Charging-Vector:term-ioi=(\\S+)").extract(m)).isNull();
        assertThat(HeaderExtractor.parse("P-Charging-Vector:(x)?orig").extract(m)).isNull();
    }

    @Test
    void understandsCompactFormsOfKnownHeaders() throws Exception {
        SipMessage m = parse(inviteWith("s: urgent: call back\n"));

        assertThat(HeaderExtractor.parse("Subject:urgent: (.*)").extract(m)).isEqualTo("call back");
    }

    @Test
    void rejectsAnEmptyNameOrABadPattern() {
        assertThatThrownBy(() -> HeaderExtractor.parse(":abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeaderExtractor.parse("X-CID:([")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void takesTheWholeValueWhenTheConfigHasAnEmptyPattern() {
        assertThat(HeaderExtractor.parse("X-CID:")).isEqualTo(new HeaderExtractor("X-CID", null));
    }
}
