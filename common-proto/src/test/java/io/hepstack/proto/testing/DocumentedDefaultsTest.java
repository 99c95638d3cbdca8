package io.hepstack.proto.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentedDefaultsTest {

    record Limits(@DefaultValue("24h") Duration window, @DefaultValue("100") int max, @DefaultValue("X-CID") List<String> headers) {
    }

    @TempDir
    Path dir;

    @Test
    void valuesEqualToTheBoundDefaultsPassWhateverTheirSpelling() throws Exception {
        Path doc = write("""
                ## Limits (`demo.limits.*`)

                | property | default | meaning |
                | --- | --- | --- |
                | `window` | `1d` | how far back |
                | `max` | `100` | at most |
                | `headers` | `[X-CID]` | which |
                | `secret` | unset | words are not checked |
                """);
        assertThat(DocumentedDefaults.check(DocumentedDefaults.tables(doc), Map.of("demo.limits", Limits.class)))
                .extracting(DocumentedDefaults.Setting::key)
                .containsExactly("demo.limits.window", "demo.limits.max", "demo.limits.headers");
    }

    @Test
    void aDocumentedValueThatIsNotTheDefaultOrAKeyThatDoesNotExistFails() throws Exception {
        Path doc = write("""
                ```yaml
                demo:
                  limits:
                    window: 12h
                    headers: []
                    maxx: 100
                ```
                """);
        assertThatThrownBy(() -> DocumentedDefaults.check(DocumentedDefaults.yamlBlocks(doc), Map.of("demo.limits", Limits.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("3 documented default(s) differ")
                .hasMessageContaining("demo.limits.window documented as 12h, but the service binds demo.limits.window = PT24H by default")
                .hasMessageContaining("demo.limits.headers documented as , but the service binds demo.limits.headers = [X-CID]")
                .hasMessageContaining("demo.limits.maxx = 100 does not bind");
    }

    private Path write(String markdown) throws Exception {
        Path doc = dir.resolve("doc.md");
        Files.writeString(doc, markdown);
        return doc;
    }
}
