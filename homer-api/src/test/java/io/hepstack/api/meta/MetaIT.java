package io.hepstack.api.meta;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.api.query.Filter;
import io.hepstack.api.query.SearchFamily;
import io.hepstack.proto.model.HepPayloadType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/meta/payload-types}: the registry of {@link HepPayloadType} for every role and anonymous
 * callers; {@code GET /api/v1/meta/search} and the searches' OpenAPI parameters: both follow from
 * {@link Filter.Field} and {@link SearchFamily}, and a search takes exactly what they say.
 */
@SuppressWarnings("unchecked")
class MetaIT extends AdminApiIT {

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

    @Test
    void listsEveryFieldWithItsLabelAndSyntaxAndTheFieldsOfEachSearch() {
        Map<String, Object> body = admin.get().uri("/api/v1/meta/search").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(body).containsOnlyKeys("fields", "searches", "extractedHeaders");
        assertThat((List<Object>) body.get("extractedHeaders")).as("the collectors' defaults extract no header").isEmpty();
        List<Map<String, Object>> fields = (List<Map<String, Object>>) body.get("fields");
        assertThat(fields).extracting(f -> f.get("param"))
                .containsExactlyElementsOf(Arrays.stream(Filter.Field.values()).map(f -> (Object) f.param()).toList());
        assertThat(fields).contains(Map.of("param", "fromUser", "label", "From user",
                "syntax", Filter.Field.FROM_USER.syntax()));
        assertThat(fields).allSatisfy(f -> assertThat((String) f.get("syntax")).isNotBlank());
        List<Map<String, Object>> searches = (List<Map<String, Object>>) body.get("searches");
        assertThat(searches).contains(
                Map.of("name", "calls", "paged", true,
                        "fields", List.of("callId", "correlationId", "fromUser", "fromTag", "toUser", "status", "srcIp",
                                "srcPort", "dstIp", "dstPort", "transport", "node", "captureId", "paiUser", "state", "hangupBy",
                                "reasonCause", "duration", "pdd", "setup", "mos", "loss", "jitter", "verdict", "finalStatus", "codec",
                                "caller", "callee"),
                        "sorts", List.of("started", "duration", "pdd", "setup", "state", "finalStatus", "mos", "caller", "callee")),
                Map.of("name", "stream", "paged", false,
                        "fields", Arrays.stream(Filter.Field.values()).filter(f -> !f.ofRecord()).map(Filter.Field::param).toList(),
                        "sorts", List.of()));
        anonymous.get().uri("/api/v1/meta/search").exchange().expectStatus().isUnauthorized().expectBody(Void.class);
    }

    @Test
    void eachSearchTakesTheFieldsItsFamilyNamesAndRefusesTheOthers() {
        for (Filter.Field f : Filter.Field.values()) {
            String value = switch (f) {
                case SRC_IP, DST_IP -> "192.0.2.1";
                case STATUS, FINAL_STATUS, PROTO_TYPE, CSEQ, SRC_PORT, DST_PORT, CAPTURE_ID -> "1";
                case TRANSPORT -> "udp";
                case STATE -> "busy";
                case HANGUP_BY -> "caller";
                case REASON_CAUSE -> "16";
                case DURATION, PDD, SETUP, JITTER -> ">1s";
                case MOS -> "<3.5";
                case LOSS -> ">5%";
                case VERDICT -> "one_way_audio";
                default -> "x";
            };
            int status = admin.get().uri(u -> u.path("/api/v1/calls").queryParam(f.param(), value).build())
                    .exchange().expectBody(Void.class).returnResult().getStatus().value();
            if (SearchFamily.CALLS.fields().contains(f)) {
                assertThat(status).as(f.param()).isNotEqualTo(400).isLessThan(500);
            } else {
                assertThat(status).as(f.param()).isEqualTo(400);
            }
        }
        admin.get().uri("/api/v1/calls?ruriUser=bob").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith("unknown parameter \"ruriUser\""));
    }

    @Test
    void theOpenApiOperationsListTheirFamiliesParameters() {
        Map<String, Object> doc = anonymous.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        assertThat(params(paths, "/api/v1/calls")).isEqualTo(expected(SearchFamily.CALLS));
        assertThat(params(paths, "/api/v1/messages")).isEqualTo(expected(SearchFamily.MESSAGES));
        assertThat(((Map<String, Object>) ((Map<String, Object>) paths.get("/api/v1/meta/search")).get("get")).get("summary"))
                .asString().startsWith("The search filters");
    }

    private static List<String> expected(SearchFamily family) {
        List<String> names = new ArrayList<>(List.of("from", "to", "limit", "cursor"));
        if (family == SearchFamily.CALLS) {
            names.addAll(List.of("sort", "order"));
        }
        family.fields().forEach(f -> names.add(f.param()));
        return names;
    }

    private static List<String> params(Map<String, Object> paths, String path) {
        Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) paths.get(path)).get("get");
        return ((List<Map<String, Object>>) get.get("parameters")).stream().map(p -> (String) p.get("name")).toList();
    }
}
