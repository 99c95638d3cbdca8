package io.hepstack.api.auth;

import io.hepstack.api.ApiIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"homer.api.cors.allowed-origins=https://homer.example.com", "logging.level.org.springframework.web.cors=INFO"})
class ConfiguredCorsIT extends ApiIT {

    @Autowired
    WebTestClient http;

    @BeforeEach
    void patientClient() {
        http = http.mutate().responseTimeout(java.time.Duration.ofSeconds(60)).build();
    }

    @Test
    void aListedOriginMayCallTheApiFromABrowserAndOthersMayNot() {
        http.options().uri("/api/v1/messages")
                .header("Origin", "https://homer.example.com")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://homer.example.com")
                .expectBody().returnResult();
        http.options().uri("/api/v1/messages")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist("Access-Control-Allow-Origin")
                .expectBody().returnResult();
    }

    @Test
    void aListedOriginMayPatchAccountsAndAliases() {
        http.options().uri("/api/v1/aliases/1")
                .header("Origin", "https://homer.example.com")
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().value("Access-Control-Allow-Methods", m -> org.assertj.core.api.Assertions.assertThat(m).contains("PATCH"))
                .expectBody().returnResult();
    }
}
