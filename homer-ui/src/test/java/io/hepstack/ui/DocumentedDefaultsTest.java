package io.hepstack.ui;

import io.hepstack.proto.testing.DocumentedDefaults;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/ui.md's configuration table states homer-ui's defaults: every default written as a value is the one bound. */
class DocumentedDefaultsTest {

    @Test
    void everyDefaultInTheConfigurationTableIsTheOneTheUiBinds() {
        List<DocumentedDefaults.Setting> documented = DocumentedDefaults.tables(Path.of("../docs/ui.md"));
        List<DocumentedDefaults.Setting> checked = DocumentedDefaults.check(documented, Map.of("homer.ui", UiProperties.class));
        assertThat(checked).extracting(DocumentedDefaults.Setting::key)
                .contains("homer.ui.api-url", "homer.ui.connect-timeout", "server.port");
    }
}
