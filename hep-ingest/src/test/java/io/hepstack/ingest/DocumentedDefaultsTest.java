package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.testing.DocumentedDefaults;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/ingest.md's configuration example states the collector's defaults: every value in it is the one bound. */
class DocumentedDefaultsTest {

    @Test
    void everyDefaultInTheConfigurationExampleIsTheOneTheCollectorBinds() {
        List<DocumentedDefaults.Setting> documented = DocumentedDefaults.yamlBlocks(Path.of("../docs/ingest.md"));
        List<DocumentedDefaults.Setting> checked = DocumentedDefaults.check(documented,
                Map.of("homer.ingest", IngestProperties.class));
        assertThat(checked).extracting(DocumentedDefaults.Setting::key)
                .contains("server.port", "homer.ingest.extraction.correlation-headers[0]", "homer.ingest.storage.retention.call")
                .hasSizeGreaterThan(60);
    }
}
