package io.hepstack.api.call;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.model.CapturedMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/calls/{callId}}: the records the collectors' passes keep for the Kamailio capture,
 * within the caller's tenant.
 */
@SuppressWarnings("unchecked")
class CallRecordIT extends AdminApiIT {

    static List<CapturedMessage> kamailio;

    @BeforeAll
    static void storeTheCaptureAndRecordItsCalls() {
        kamailio = Fixture.kamailio();
        Fixture.store(db.connectionFactory(), kamailio);
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(last / 1_000_000 + 60), ZoneOffset.UTC);
        // the fixture is stored as a writer of a collector without records stores it: a rebuild records its calls
        Long recorded = new CallRecordStore(db.connectionFactory(), clock, CallRecordStore.Settings.DEFAULTS)
                .rebuild(Instant.ofEpochSecond(last / 1_000_000 - 3600), Instant.ofEpochSecond(last / 1_000_000 + 1))
                .block(Duration.ofSeconds(60));
        assertThat(recorded).isEqualTo(40);
    }

    @Test
    void aCompletedCallsRecordSaysWhatHappened() {
        String callId = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method()) && !m.callId().startsWith("busy"))
                .findFirst().orElseThrow().callId();
        Map<String, Object> r = record(admin, callId).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(r).containsEntry("callId", callId).containsEntry("state", "completed").containsEntry("hangupBy", "caller")
                .containsEntry("finalStatus", 200).containsEntry("finalPhrase", "OK").containsEntry("messages", 7)
                .containsEntry("retransmissions", 0).containsEntry("reInvites", 0).containsEntry("nodes", List.of("2001"));
        assertThat((Map<String, Object>) r.get("caller")).containsEntry("user", "sipp");
        assertThat((Map<String, Object>) r.get("callee")).containsEntry("user", "1000");
        assertThat((Map<String, Object>) r.get("source")).containsEntry("ip", "127.0.0.1");
        assertThat(((Number) r.get("durationMs")).longValue()).isBetween(400L, 2_000L);
        assertThat((String) r.get("startedAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(r.get("reason")).isNull();
    }

    @Test
    void aBusyCallWasTheCallees486() {
        String callId = kamailio.stream().filter(m -> m.callId() != null && m.callId().startsWith("busy-")).findFirst()
                .orElseThrow().callId();
        record(admin, callId).expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("busy").jsonPath("$.hangupBy").isEqualTo("callee")
                .jsonPath("$.finalStatus").isEqualTo(486).jsonPath("$.answeredAt").isEmpty();
    }

    @Test
    void whatIsNotARecordedCallIsNotFoundAndABadCallIdIsABadRequest() {
        String registration = kamailio.stream().filter(m -> m.callId() != null && m.callId().startsWith("reg-")).findFirst()
                .orElseThrow().callId();
        record(admin, registration).expectStatus().isNotFound().expectBody()
                .jsonPath("$.message").isEqualTo("no call record for this Call-ID");
        record(admin, "x".repeat(1000)).expectStatus().isBadRequest().expectBody(Void.class);
        record(anonymous, registration).expectStatus().isUnauthorized().expectBody(Void.class);
    }

    @Test
    void aTenantSeesTheRecordsOfTheCallsItMayRead() {
        String callId = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method())).findFirst().orElseThrow().callId();
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "loopback", "networks", List.of("127.0.0.0/8"))).exchange().expectStatus().isCreated().expectBody(Void.class);
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "elsewhere", "networks", List.of("10.99.0.0/16"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        for (String[] u : new String[][] {{"carol", "loopback"}, {"dave", "elsewhere"}}) {
            admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", u[0], "password", "record-test-password", "role", "viewer", "tenant", u[1]))
                    .exchange().expectStatus().isCreated().expectBody(Void.class);
        }
        record(Http.as(anonymous, Http.login(anonymous, "carol", "record-test-password")), callId).expectStatus().isOk().expectBody(Void.class);
        record(Http.as(anonymous, Http.login(anonymous, "dave", "record-test-password")), callId).expectStatus().isNotFound().expectBody(Void.class);
    }

    @Test
    void theCallListShowsEachCallsStateAndWhoEndedIt() {
        long first = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        Map<String, Object> page = admin.get().uri(b -> b.path("/api/v1/calls").queryParam("from", "{f}").queryParam("to", "{t}")
                        .queryParam("limit", "100").build(io.hepstack.api.web.Times.format(Fixture.instant(first)),
                                io.hepstack.api.web.Times.format(Fixture.instant(last + 1))))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertThat(items).hasSize(40);
        assertThat(items).filteredOn(i -> ((String) i.get("callId")).startsWith("busy-"))
                .hasSize(10).allSatisfy(i -> assertThat(i).containsEntry("state", "busy").containsEntry("hangupBy", "callee"));
        assertThat(items).filteredOn(i -> !((String) i.get("callId")).startsWith("busy-"))
                .hasSize(30).allSatisfy(i -> assertThat(i).containsEntry("state", "completed").containsEntry("hangupBy", "caller")
                        .containsKey("pddMs").containsEntry("reasonCause", null));
    }

    private static WebTestClient.ResponseSpec record(WebTestClient client, String callId) {
        return client.get().uri("/api/v1/calls/{id}", callId).exchange();
    }
}
