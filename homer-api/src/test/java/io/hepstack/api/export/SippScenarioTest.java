package io.hepstack.api.export;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SippScenarioTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "plain text <sip:a@b>;tag=1 | plain text <sip:a@b>;tag=1",
            "[call_id]                   | \\x5bcall_id\\x5d",
            "a ]]> b                     | a \\x5d\\x5d> b",
            "back\\slash \\x41           | back\\x5cslash \\x5cx41",
    })
    void escapesWhatSippOrXmlWouldReadAsMarkup(String in, String out) {
        assertThat(SippScenario.escape(in)).isEqualTo(out);
    }

    @Test
    void escapesControlCharactersAndBytesAboveAsciiAsHex() {
        assertThat(SippScenario.escape("\u0001\u000b\t\r\u00ff\u007f")).isEqualTo("\\x01\\x0b\\x09\\x0d\\xff\\x7f");
    }

    @Test
    void escapesALeadingSpaceThatSippWouldTrim() {
        assertThat(SippScenario.escape(" a b")).isEqualTo("\\x20a b");
    }

    @Test
    void splitsACdataTerminatorAcrossTwoSections() {
        StringBuilder x = new StringBuilder();
        SippScenario.cdata(x, "a]]>b");
        assertThat(x.toString()).isEqualTo("    <![CDATA[\n\na]]]]><![CDATA[>b\n    ]]>\n");
    }

    @Test
    void reducesTheScenarioNameToSafeCharacters() {
        assertThat(SippScenario.safeName("a\"b<c>&d\u0001@x")).isEqualTo("a_b_c__d_@x");
    }
}
