package io.hepstack.api;

import io.hepstack.api.importer.ImportProperties;
import io.hepstack.api.stream.StreamProperties;
import io.hepstack.proto.testing.DocumentedDefaults;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/api.md's property tables state homer-api's defaults: every default written as a value is the one bound. */
class DocumentedDefaultsTest {

    @Test
    void everyDefaultInThePropertyTablesIsTheOneTheApiBinds() {
        List<DocumentedDefaults.Setting> documented = DocumentedDefaults.tables(Path.of("../docs/api.md"));
        List<DocumentedDefaults.Setting> checked = DocumentedDefaults.check(documented, Map.of(
                "homer.api", ApiProperties.class,
                "homer.api.import", ImportProperties.class,
                "homer.api.stream", StreamProperties.class,
                "homer.api.read", io.hepstack.api.store.ReadProperties.class));
        assertThat(checked).extracting(DocumentedDefaults.Setting::key)
                .contains("homer.api.flow.locate-range", "homer.api.import.batch-size", "homer.api.stream.max-streams")
                .hasSizeGreaterThan(30);
    }
}
