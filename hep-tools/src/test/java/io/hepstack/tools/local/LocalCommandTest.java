package io.hepstack.tools.local;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCommandTest {

    @Test
    void warnsWhenTheCollectorTakesHepFromAnyAddressWithoutKeys() {
        assertThat(LocalCommand.openCollectorWarning(Map.of(), 9060))
                .startsWith("WARNING: the collector takes HEP on port 9060 of every address").contains("Agent trust");
        // one transport on every address is enough to be open
        assertThat(LocalCommand.openCollectorWarning(Map.of("HOMER_INGEST_UDP_HOST", "127.0.0.1"), 9060)).isNotNull();
    }

    @Test
    void saysNothingWhenTheCollectorListensOnTheLoopbackOrHasKeys() {
        assertThat(LocalCommand.openCollectorWarning(Map.of("HOMER_INGEST_UDP_HOST", "127.0.0.1",
                "HOMER_INGEST_TCP_HOST", "::1"), 9060)).isNull();
        assertThat(LocalCommand.openCollectorWarning(Map.of("HOMER_INGEST_AUTH_STRICT", "true"), 9060)).isNull();
        assertThat(LocalCommand.openCollectorWarning(
                Map.of("SPRING_APPLICATION_JSON", "{\"homer\":{\"ingest\":{\"auth\":{\"keys\":{\"2001\":\"k\"}}}}}"), 9060)).isNull();
    }
}
