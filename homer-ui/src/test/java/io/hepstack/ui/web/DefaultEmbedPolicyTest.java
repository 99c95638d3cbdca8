package io.hepstack.ui.web;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.reactive.AutoConfigureWebTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DefaultEmbedPolicyTest {

    @Autowired
    WebTestClient web;

    @Test
    void embedPageRefusesEveryFramerWhenNoOriginIsConfigured() {
        web.get().uri("/embed/token").exchange()
                .expectStatus().isOk()
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp).endsWith("frame-ancestors 'none'"))
                .expectHeader().doesNotExist("X-Frame-Options").expectBody(Void.class);
    }

    @Test
    void tellsTheShareDialogThatNoOriginMayFrameTheEmbed() {
        web.get().uri("/ui/embed").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"allowedOrigins\": []}", true);
    }
}
