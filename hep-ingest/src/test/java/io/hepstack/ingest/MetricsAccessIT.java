package io.hepstack.ingest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** With credentials set, the collector's metrics need them; health stays open for the probes. */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "homer.ingest.udp.host=127.0.0.1", "homer.ingest.udp.port=0",
        "homer.ingest.tcp.host=127.0.0.1", "homer.ingest.tcp.port=0",
        "server.address=127.0.0.1",
        "homer.ingest.metrics.bearer-token=scrape-token-0123456789",
        "homer.ingest.metrics.username=prometheus", "homer.ingest.metrics.password=scrape-password-0123",
        "spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/unreachable"})
class MetricsAccessIT {

    @Autowired
    WebTestClient http;

    @Test
    void prometheusNeedsTheBearerTokenOrTheBasicLogin() {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/info"}) {
            http.get().uri(path).exchange().expectStatus().isUnauthorized()
                    .expectHeader().valueEquals("WWW-Authenticate", "Bearer").expectBody(Void.class);
            http.get().uri(path).header("Authorization", "Bearer scrape-token-0123456788").exchange()
                    .expectStatus().isUnauthorized().expectBody(Void.class);
            http.get().uri(path).headers(h -> h.setBasicAuth("prometheus", "wrong-password-0123")).exchange()
                    .expectStatus().isUnauthorized().expectBody(Void.class);
        }
        http.get().uri("/actuator/prometheus").header("Authorization", "Bearer scrape-token-0123456789").exchange()
                .expectStatus().isOk().expectBody(String.class).value(b -> assertThat(b).contains("hep_packets_received_total"));
        http.get().uri("/actuator/prometheus").headers(h -> h.setBasicAuth("prometheus", "scrape-password-0123")).exchange()
                .expectStatus().isOk().expectBody(String.class).value(b -> assertThat(b).contains("hep_packets_received_total"));
    }

    @Test
    void healthNeedsNoCredentials() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    void anAddressIsLoopbackOnlyWhenItResolvesToIt() {
        assertThat(MetricsAccess.loopback("127.0.0.1")).isTrue();
        assertThat(MetricsAccess.loopback("::1")).isTrue();
        assertThat(MetricsAccess.loopback(null)).isFalse();
        assertThat(MetricsAccess.loopback("0.0.0.0")).isFalse();
    }
}
