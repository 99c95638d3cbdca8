package io.hepstack.proto.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource({
            "'', true, empty",
            "5349502f322e30, true, ASCII",
            "c3ab, true, two-byte sequence",
            "e697a5, true, three-byte sequence",
            "f09f8e89, true, four-byte sequence",
            "efbfbe, true, noncharacter U+FFFE is still UTF-8",
            "f48fbfbf, true, U+10FFFF",
            "00, false, NUL cannot be in text",
            "610062, false, NUL in the middle",
            "c328, false, bad continuation byte",
            "c0af, false, overlong two-byte form",
            "e080af, false, overlong three-byte form",
            "f0808080, false, overlong four-byte form",
            "eda080, false, UTF-16 surrogate (CESU-8)",
            "f4908080, false, above U+10FFFF",
            "f5808080, false, F5 never starts a sequence",
            "80, false, lone continuation byte",
            "e697, false, truncated sequence at the end",
            "ff, false, FF is never UTF-8",
    })
    void tellsWhetherBytesCanBeStoredAsText(String hex, boolean storable, String why) {
        assertThat(Utf8.isStorableText(HexFormat.of().parseHex(hex))).as(why).isEqualTo(storable);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource({
            "abc, abc, clean text is the same instance",
            "a\u0000b, a\uFFFDb, NUL",
            "x\uD800y, x\uFFFDy, unpaired high surrogate",
            "x\uDC00, x\uFFFD, unpaired low surrogate",
            "\uD83C\uDF89, \uD83C\uDF89, a pair is kept",
    })
    void sanitizesNulAndUnpairedSurrogates(String in, String expected, String why) {
        assertThat(Utf8.sanitize(in)).as(why).isEqualTo(expected);
    }
}
