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

    @Test
    void theCallListIsFilteredByTheRecordsFieldsAndPagedInItsOrder() {
        List<Map<String, Object>> all = calls(admin, Map.of());
        assertThat(all).hasSize(40);
        assertThat(calls(admin, Map.of("state", "busy"))).hasSize(10)
                .allSatisfy(i -> assertThat((String) i.get("callId")).startsWith("busy-"));
        assertThat(calls(admin, Map.of("state", "completed,busy"))).hasSize(40);
        assertThat(calls(admin, Map.of("state", "!busy"))).hasSize(30)
                .allSatisfy(i -> assertThat(i).containsEntry("state", "completed"));
        assertThat(calls(admin, Map.of("hangupBy", "callee"))).hasSize(10);
        assertThat(calls(admin, Map.of("hangupBy", "caller", "state", "busy"))).isEmpty();
        assertThat(calls(admin, Map.of("reasonCause", "16"))).isEmpty(); // no Reason header in the capture
        assertThat(calls(admin, Map.of("reasonCause", "!16"))).hasSize(40);

        // durations: the talk times of the completed calls, split at their median
        List<Long> durations = all.stream().filter(i -> i.get("durationMs") != null)
                .map(i -> ((Number) i.get("durationMs")).longValue()).sorted().toList();
        assertThat(durations).hasSize(30);
        long median = durations.get(15);
        long longer = durations.stream().filter(d -> d > median).count();
        assertThat(calls(admin, Map.of("duration", ">" + median + "ms"))).hasSize((int) longer)
                .allSatisfy(i -> assertThat(((Number) i.get("durationMs")).longValue()).isGreaterThan(median));
        assertThat(calls(admin, Map.of("duration", "<=" + median + "ms"))).hasSize(30 - (int) longer);
        assertThat(calls(admin, Map.of("duration", "0ms-1h"))).hasSize(30); // a busy call has no duration
        assertThat(calls(admin, Map.of("duration", "!>1h"))).hasSize(40); // ... and "not over an hour" takes it
        assertThat(calls(admin, Map.of("pdd", "<1m", "setup", "<=1m"))).hasSize(30); // only answered calls have a setup time

        // a record's field with the INVITEs' own: the INVITE filter still applies
        String busyCaller = (String) all.stream().filter(i -> "busy".equals(i.get("state"))).findFirst().orElseThrow().get("fromUser");
        assertThat(calls(admin, Map.of("state", "busy", "fromUser", busyCaller))).hasSize(1)
                .allSatisfy(i -> assertThat(i).containsEntry("fromUser", busyCaller));
        assertThat(calls(admin, Map.of("state", "busy", "fromUser", "alice*"))).hasSize(10);
        assertThat(calls(admin, Map.of("state", "busy", "fromUser", "nobody"))).isEmpty();

        // pages of 7 along started_at DESC, call_id DESC, every call once
        List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> q = new java.util.HashMap<>(Map.of("state", "completed", "limit", "7"));
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            Map<String, Object> page = page(admin, q);
            ((List<Map<String, Object>>) page.get("items")).forEach(i -> paged.add((String) i.get("callId")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        assertThat(paged).hasSize(30).doesNotHaveDuplicates()
                .isEqualTo(all.stream().filter(i -> "completed".equals(i.get("state"))).map(i -> (String) i.get("callId")).toList());
    }

    @Test
    void aRecordFilterWithABadValueIsABadRequestAndMessagesDoNotTakeIt() {
        for (String[] bad : new String[][] {{"state", "talking", "state: not one of the values: \"talking\""},
                {"state", "comp*", "state: not one of the values: \"comp*\""},
                {"hangupBy", "me", "hangupBy: not one of the values: \"me\""},
                {"duration", "30", "duration: not a duration: \"30\""},
                {"duration", ">30sec", "duration: not a duration: \">30sec\""},
                {"duration", "1m-10s", "duration: empty range: \"1m-10s\""},
                {"pdd", "<", "pdd: not a duration: \"<\""},
                {"reasonCause", "1000", "reasonCause: out of range: \"1000\""}}) {
            admin.get().uri(b -> b.path("/api/v1/calls").queryParam(bad[0], "{v}").build(bad[1])).exchange()
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith(bad[2]));
        }
        admin.get().uri("/api/v1/messages?state=busy").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith("unknown parameter \"state\""));
    }

    @Test
    void aTenantListsByRecordFieldsOnlyTheCallsItMayRead() {
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "list-loopback", "networks", List.of("127.0.0.0/8"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "list-elsewhere", "networks", List.of("10.98.0.0/16"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        for (String[] u : new String[][] {{"erin", "list-loopback"}, {"frank", "list-elsewhere"}}) {
            admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", u[0], "password", "record-list-password", "role", "viewer", "tenant", u[1]))
                    .exchange().expectStatus().isCreated().expectBody(Void.class);
        }
        assertThat(calls(Http.as(anonymous, Http.login(anonymous, "erin", "record-list-password")), Map.of("state", "busy"))).hasSize(10);
        assertThat(calls(Http.as(anonymous, Http.login(anonymous, "frank", "record-list-password")), Map.of("state", "busy"))).isEmpty();
    }

    @Test
    void aShareLinkShowsTheCallsRecordWithoutLogin() {
        String busy = kamailio.stream().filter(m -> m.callId() != null && m.callId().startsWith("busy-")).findFirst()
                .orElseThrow().callId();
        String registration = kamailio.stream().filter(m -> m.callId() != null && m.callId().startsWith("reg-")).findFirst()
                .orElseThrow().callId();
        long first = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        String from = io.hepstack.api.web.Times.format(Fixture.instant(first));
        String to = io.hepstack.api.web.Times.format(Fixture.instant(last + 1));
        for (String[] c : new String[][] {{busy, "200"}, {registration, "404"}}) {
            String token = (String) admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("callId", c[0], "from", from, "to", to)).exchange().expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody().get("token");
            var answer = anonymous.get().uri("/api/v1/shared/{t}/record", token).exchange();
            if (c[1].equals("200")) {
                answer.expectStatus().isOk().expectBody().jsonPath("$.callId").isEqualTo(busy)
                        .jsonPath("$.state").isEqualTo("busy").jsonPath("$.hangupBy").isEqualTo("callee");
            } else { // a registration has no record: the link still shows its flow
                answer.expectStatus().isNotFound().expectBody().jsonPath("$.message").isEqualTo("not found");
            }
        }
        anonymous.get().uri("/api/v1/shared/{t}/record", "no-such-token").exchange().expectStatus().isNotFound()
                .expectBody(Void.class);
    }

    /** Every call of the capture's range with these parameters, in one page of up to 100. */
    private static List<Map<String, Object>> calls(WebTestClient client, Map<String, String> params) {
        Map<String, Object> page = page(client, params);
        assertThat(page.get("nextCursor")).isNull();
        return (List<Map<String, Object>>) page.get("items");
    }

    private static Map<String, Object> page(WebTestClient client, Map<String, String> params) {
        long first = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        return client.get().uri(b -> {
                    b.path("/api/v1/calls").queryParam("from", io.hepstack.api.web.Times.format(Fixture.instant(first)))
                            .queryParam("to", io.hepstack.api.web.Times.format(Fixture.instant(last + 1)));
                    if (!params.containsKey("limit")) {
                        b.queryParam("limit", "100");
                    }
                    params.forEach((k, v) -> b.queryParam(k, "{" + k + "}"));
                    return b.build(params);
                })
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static WebTestClient.ResponseSpec record(WebTestClient client, String callId) {
        return client.get().uri("/api/v1/calls/{id}", callId).exchange();
    }
}
