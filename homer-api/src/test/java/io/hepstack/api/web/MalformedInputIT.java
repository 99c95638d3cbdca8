package io.hepstack.api.web;

import io.hepstack.api.ApiIT;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed input found by a security test of the running API: each a 400 with a message, never a 500. A NUL
 * or another control character is cut by {@code trim()}, which left an empty number to parse.
 */
class MalformedInputIT extends ApiIT {

    @Autowired
    WebTestClient anonymous;

    @LocalServerPort
    int port;

    WebTestClient admin;

    @BeforeEach
    void login() {
        admin = Http.as(anonymous, Http.login(anonymous, "admin", TestApp.ADMIN_PASSWORD));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/messages?limit=%00      | limit: expected a number from 1 to 1000",
            "/api/v1/messages?limit=%01      | limit: expected a number from 1 to 1000",
            "/api/v1/messages?limit=%00%00   | limit: expected a number from 1 to 1000",
            "/api/v1/calls?limit=%00         | limit: expected a number from 1 to 1000",
            "/api/v1/stats/kpi?step=%00      | step: not a duration",
            "/api/v1/stats/volume?step=%00   | step: not a duration",
            "/api/v1/messages?callId=a%00b   | callId: control characters are not allowed",
    })
    void aControlCharacterInAParameterIsA400WithAMessage(String path, String message) {
        admin.get().uri(URI.create("http://127.0.0.1:" + port + path)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").isEqualTo("bad_request")
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith(message));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/messages?srcIp=010.0.0.1        | srcIp: not an address: \"010.0.0.1\" (expected: ",
            "/api/v1/messages?dstIp=10.0.0.0/8,10.01.* | dstIp: not an address: \"10.01.*\" (expected: ",
            "/api/v1/calls?srcIp=::ffff:010.0.0.1    | srcIp: not an address: \"::ffff:010.0.0.1\" (expected: ",
    })
    void anAddressWithALeadingZeroOctetIsA400NotAnAddress(String path, String message) {
        // octal to some stacks (010 is 8), decimal to others: refused rather than guessed
        admin.get().uri(URI.create("http://127.0.0.1:" + port + path)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").isEqualTo("bad_request")
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith(message));
    }

    @Test
    void anExpiryBeyondWhatTheDatabaseStoresIsA400() {
        for (String at : new String[] {"+999999999-12-31T23:59:59Z", "2999-01-01T00:00:00Z"}) {
            admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"name\":\"far\",\"role\":\"viewer\",\"expiresAt\":\"" + at + "\"}")
                    .exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith("expiresAt: "));
        }
    }

    @Test
    void anUnsupportedBodyTypeNamesNoInternalClass() {
        anonymous.post().uri("/api/v1/auth/login").contentType(MediaType.TEXT_PLAIN).bodyValue("admin")
                .exchange().expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m)
                        .doesNotContain("io.hepstack", "LoginRequest", "Controller")
                        .contains("application/json"));
    }
}
