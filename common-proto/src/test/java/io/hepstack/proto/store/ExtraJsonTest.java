package io.hepstack.proto.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ExtraJsonTest {

    private static String normalized(String json) {
        ByteBuf out = Unpooled.buffer();
        try {
            ExtraJson.write(out, json);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,\"b\":[true,false,null,\"x\"]} | {\"a\":1,\"b\":[true,false,null,\"x\"]} | an object is kept",
            "{\"n\":1.50e2} | {\"n\":1.50e2} | numbers keep their text",
            "{\"n\":1e999999} | {\"n\":\"1e999999\"} | a number numeric cannot hold becomes a string",
            "{\"s\":\"a\\u0000b\"} | {\"s\":\"a\uFFFDb\"} | NUL escapes, refused by jsonb, become U+FFFD",
            "{\"s\":\"\\ud800\"} | {\"s\":\"\uFFFD\"} | unpaired surrogate escapes become U+FFFD",
            "{\"k\\u0000\":1} | {\"k\uFFFD\":1} | keys too",
            "not json | {\"invalid_extra\":\"not json\"} | text that is not JSON is kept as a string",
            "[1] | {\"invalid_extra\":\"[1]\"} | JSON that is not an object is kept as a string",
            "{\"a\":1} x | {\"invalid_extra\":\"{\\\"a\\\":1} x\"} | trailing content is not one object",
            "{\"a\": | {\"invalid_extra\":\"{\\\"a\\\":\"} | truncated JSON",
    })
    void rewritesExtraIntoJsonThatJsonbAccepts(String in, String expected, String why) {
        assertThat(normalized(in)).as(why).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void keepsTooDeepNestingAsAString() {
        String deep = "{\"a\":".repeat(ExtraJson.MAX_DEPTH + 1) + "1" + "}".repeat(ExtraJson.MAX_DEPTH + 1);
        assertThat(normalized(deep)).startsWith("{\"invalid_extra\":");
        String fine = "{\"a\":".repeat(ExtraJson.MAX_DEPTH) + "1" + "}".repeat(ExtraJson.MAX_DEPTH);
        assertThat(normalized(fine)).isEqualTo(fine);
    }
}
