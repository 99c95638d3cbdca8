package io.hepstack.ingest.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForwardTargetsTest {

    private static IngestProperties.Forward props(List<String> targets, int capacity, String key) {
        return new IngestProperties.Forward(targets, capacity, key, Duration.ofSeconds(1));
    }

    @Test
    void parsesUdpTcpAndBracketedIpv6Targets() {
        assertThat(IngestProperties.Forward.address("udp:10.1.2.3:9060")).isEqualTo(new IngestProperties.Forward.Address(false, "10.1.2.3", 9060));
        assertThat(IngestProperties.Forward.address("TCP:homer.example:9061")).isEqualTo(new IngestProperties.Forward.Address(true, "homer.example", 9061));
        assertThat(IngestProperties.Forward.address("udp:[::1]:9060")).isEqualTo(new IngestProperties.Forward.Address(false, "::1", 9060));
    }

    @Test
    void rejectsTargetsWithoutSchemeOrPort() {
        for (String bad : List.of("10.1.2.3:9060", "sctp:h:1", "udp:h:0", "udp::9060", "udp:h:x")) {
            assertThatThrownBy(() -> IngestProperties.Forward.address(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new Binder(new MapConfigurationPropertySource(Map.of("homer.ingest.forward.targets", "udp:h:1")))
                .bindOrCreate("homer.ingest", IngestProperties.class)
                .forward().isTargetsValid()).isTrue();
        assertThat(props(List.of("h:1"), 1, null).isTargetsValid()).isFalse();
    }
}
