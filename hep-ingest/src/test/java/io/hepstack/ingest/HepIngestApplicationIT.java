package io.hepstack.ingest;

import io.hepstack.ingest.listen.HepListeners;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "homer.ingest.udp.host=127.0.0.1", "homer.ingest.udp.port=0",
        "homer.ingest.tcp.host=127.0.0.1", "homer.ingest.tcp.port=0",
        "server.address=127.0.0.1",
        "spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/unreachable"})
class HepIngestApplicationIT {

    @TestConfiguration
    static class Sink {
        @Bean
        @Primary
        InMemorySink inMemorySink() {
            return new InMemorySink();
        }
    }

    @Autowired
    WebTestClient http;
    @Autowired
    HepListeners listeners;
    @Autowired
    InMemorySink sink;

    @Test
    void storesUdpTrafficAndExposesItsCountersToPrometheus() throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] d : KamailioCapture.hepDatagrams().subList(0, 100)) {
                s.send(new DatagramPacket(d, d.length, listeners.udpAddress()));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.rows().size() == 100);
        String metrics = http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics)
                .contains("hep_packets_received_total{application=\"hep-ingest\",transport=\"udp\",version=\"3\"} 100.0")
                .contains("hep_messages_stored_total")
                .contains("hep_batch_seconds_bucket")
                .contains("hep_queue_depth{application=\"hep-ingest\",stage=\"queue\"}")
                .contains("hep_queue_capacity{application=\"hep-ingest\",stage=\"queue\"} 65536.0")
                .contains("sip_messages_total{application=\"hep-ingest\",method=\"INVITE\",node=\"2001\",status=\"request\"}")
                .contains("hep_packets_dropped_total{application=\"hep-ingest\",reason=\"receive_buffer\",stage=\"kernel\"} 0.0");
    }

    @Test
    void isLiveButNotReadyWhileTheDatabaseIsUnreachable() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
                .expectBody(String.class).value(b -> assertThat(b).contains("UP"));
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503)
                .expectBody(String.class).value(b -> assertThat(b).contains("DOWN"));
    }
}
