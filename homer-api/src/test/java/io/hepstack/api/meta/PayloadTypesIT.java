package io.hepstack.api.meta;

import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/meta/payload-types}: the registry of {@link HepPayloadType} for every logged-in role, nothing for others. */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@SuppressWarnings("unchecked")
class PayloadTypesIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestApp.database(registry, db);
    }

    @Autowired
    WebTestClient anonymous;
    WebTestClient admin;

    @BeforeEach
    void login() {
        anonymous = anonymous.mutate().responseTimeout(java.time.Duration.ofSeconds(60)).build();
        admin = Http.as(anonymous, Http.login(anonymous, "admin", TestApp.ADMIN_PASSWORD));
    }

    @Test
    void listsEveryKnownTypeByNumberWithItsNameAndStoredKind() {
        List<Map<String, Object>> items = items(admin);
        assertThat(items).hasSize(HepPayloadType.known().size());
        assertThat(items).extracting(i -> i.get("number"))
                .containsExactlyElementsOf(HepPayloadType.known().stream().map(t -> (Object) t.number()).toList());
        for (Map<String, Object> i : items) {
            HepPayloadType t = HepPayloadType.valueOf((Integer) i.get("number"));
            assertThat(i).containsOnlyKeys("number", "name", "kind")
                    .containsEntry("name", t.name()).containsEntry("kind", t.kind().code());
        }
        assertThat(items).contains(
                Map.of("number", 1, "name", "SIP", "kind", "sip_other"),
                Map.of("number", 5, "name", "RTCP", "kind", "qos"),
                Map.of("number", 58, "name", "RTCP (Pion)", "kind", "qos"),
                Map.of("number", 100, "name", "Log", "kind", "log"),
                Map.of("number", 53, "name", "DNS", "kind", "other"));
    }

    @Test
    void everyRoleAndAnonymousCallersReadTheSameList() {
        for (String role : List.of("user", "viewer")) {
            Map<String, Object> token = admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "payload types " + role, "role", role))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            assertThat(items(Http.as(anonymous, (String) token.get("token")))).as(role).isEqualTo(items(admin));
        }
        // public protocol facts: the customer's embedded call view (no login) names payload types too
        assertThat(items(anonymous)).as("anonymous").isEqualTo(items(admin));
    }

    @Test
    void theOpenApiDocumentDescribesIt() {
        anonymous.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/api/v1/meta/payload-types'].get.summary").value(s -> assertThat((String) s).startsWith("The known HEP payload types"))
                .jsonPath("$.components.schemas.PayloadType.properties.kind.example").isEqualTo("qos");
    }

    private static List<Map<String, Object>> items(WebTestClient client) {
        Map<String, Object> body = client.get().uri("/api/v1/meta/payload-types").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(body).containsOnlyKeys("items");
        return (List<Map<String, Object>>) body.get("items");
    }
}
