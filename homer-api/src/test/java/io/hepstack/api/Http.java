package io.hepstack.api;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.Map;

/** Test helpers around {@link WebTestClient}. */
public final class Http {

    private Http() {
    }

    /** A fresh JWT of {@code username} through the login endpoint. */
    public static String login(WebTestClient http, String username, String password) {
        Map<?, ?> body = http.post().uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) body.get("token");
    }

    /** A client that sends {@code Authorization: Bearer token} on every request. */
    public static WebTestClient as(WebTestClient http, String token) {
        return http.mutate().defaultHeader("Authorization", "Bearer " + token)
                .responseTimeout(java.time.Duration.ofSeconds(60)).build();
    }
}
