package io.hepstack.api.stats;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.call.CallListIT;
import io.hepstack.api.web.Times;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.testing.Registers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/stats/breakdown} over the call records of the call list's twelve hand-made calls
 * ({@link CallListIT#CALLS}: two nodes, twelve source addresses, callees in several number forms) and three
 * phones' registration records: each {@code by}, the top cut, the figures, each row's search listing exactly the
 * row's calls, a tenant's part, and every 400. The numbers are of country 49.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "homer.api.numbers.country-code=49")
@SuppressWarnings("unchecked")
class BreakdownIT extends AdminApiIT {

    static final String FROM = Times.format(CallListIT.BASE.minusSeconds(60));
    static final String TO = Times.format(CallListIT.BASE.plusSeconds(120));

    @BeforeAll
    static void storeTheCallsAndRegistrationsAndRecordThem() {
        List<CapturedMessage> rows = new ArrayList<>();
        for (int i = 0; i < CallListIT.CALLS.length; i++) {
            rows.addAll(CallListIT.call(i));
        }
        long t0 = Times.micros(CallListIT.BASE);
        // two phones on edge-b, one of them refused; one on edge-a
        rows.addAll(new Registers("erin-1@phones", "erin", "10.5.0.1:5062", t0).node("edge-b")
                .register(0, 3600, 200).messages());
        rows.addAll(new Registers("fred-1@phones", "fred", "10.5.0.2:5062", t0 + 1_000_000).node("edge-b")
                .register(0, 3600, 401).register(5, 3600, 403).messages());
        rows.addAll(new Registers("gina-1@phones", "gina", "10.5.0.1:5062", t0 + 2_000_000).node("edge-a")
                .register(0, 3600, 200).messages());
        Fixture.store(db.connectionFactory(), rows);
        CallRecordStore records = new CallRecordStore(db.connectionFactory(),
                Clock.fixed(CallListIT.BASE.plusSeconds(600), ZoneOffset.UTC), CallRecordStore.Settings.DEFAULTS);
        assertThat(records.rebuild(CallListIT.BASE.minusSeconds(60), CallListIT.BASE.plusSeconds(120))
                .block(Duration.ofSeconds(60))).isEqualTo(CallListIT.CALLS.length);
        assertThat(records.rebuildRegistrations(CallListIT.BASE.minusSeconds(60), CallListIT.BASE.plusSeconds(120))
                .block(Duration.ofSeconds(60))).isEqualTo(3);
    }

    @Test
    void byNodeTheCallsAndRegistrationsOfEachNodeAreCounted() {
        Map<String, Object> report = breakdown(admin, Map.of("by", "node"));
        assertThat(report).containsEntry("by", "node").containsEntry("top", 10).containsEntry("groups", 2)
                .containsEntry("prefixLength", null).containsEntry("nodes", List.of());
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("rows");
        // six calls each: edge-b first by its two registrations
        assertThat(rows).extracting(r -> r.get("key")).containsExactly("edge-b", "edge-a");
        assertThat(rows.get(0)).containsEntry("calls", 6).containsEntry("attempts", 6).containsEntry("answered", 2)
                .containsEntry("asr", 0.333).containsEntry("ner", 0.667)
                .containsEntry("failures", Map.of("4xx", 3, "5xx", 1, "6xx", 0)).containsEntry("avgDurationMs", 2750.0)
                .containsEntry("registrations", 2).containsEntry("registrationsFailing", 1)
                .containsEntry("registrationFailureRatio", 0.5).containsEntry("search", Map.of("node", "edge-b"));
        assertThat(rows.get(1)).containsEntry("calls", 6).containsEntry("answered", 5).containsEntry("asr", 0.833)
                .containsEntry("failures", Map.of("4xx", 1, "5xx", 0, "6xx", 0)).containsEntry("avgDurationMs", 3200.0)
                .containsEntry("registrations", 1).containsEntry("registrationsFailing", 0)
                .containsEntry("registrationFailureRatio", 0.0);
    }

    @Test
    void bySourceAddressTheTopGroupsAreListedAndTheRestCounted() {
        Map<String, Object> report = breakdown(admin, Map.of("by", "srcIp", "top", "3"));
        // twelve callers' addresses, two phones' (one of them registering twice)
        assertThat(report).containsEntry("groups", 14).containsEntry("top", 3);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("rows");
        assertThat(rows).extracting(r -> r.get("key")).containsExactly("10.1.0.1", "10.1.0.2", "10.1.0.3");
        assertThat(rows.get(0)).containsEntry("calls", 1).containsEntry("answered", 1).containsEntry("registrations", 0)
                .containsEntry("registrationFailureRatio", null);
        List<Map<String, Object>> all = (List<Map<String, Object>>) breakdown(admin, Map.of("by", "srcIp", "top", "100")).get("rows");
        assertThat(all).hasSize(14);
        assertThat(all.subList(12, 14)).extracting(r -> r.get("key") + " " + r.get("calls") + " " + r.get("registrations"))
                .containsExactly("10.5.0.1 0 2", "10.5.0.2 0 1");
    }

    @Test
    void byCalleePrefixNumbersAreReadInEachOfTheirForms() {
        Map<String, Object> report = breakdown(admin, Map.of("by", "calleePrefix"));
        assertThat(report).containsEntry("prefixLength", 4).containsEntry("groups", 10);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("rows");
        // 030123456 and +4930123456 are one prefix; 1000 was called twice
        assertThat(rows.subList(0, 3)).extracting(r -> r.get("key") + " " + r.get("calls"))
                .containsExactly("+4930 2", "1000 2", "1001 1");
        assertThat(rows.get(0)).containsEntry("search", Map.of("callee", "+4930*,004930*,030*"))
                .containsEntry("failures", Map.of("4xx", 1, "5xx", 1, "6xx", 0)).containsEntry("registrations", null)
                .containsEntry("registrationFailureRatio", null);
        assertThat(rows.get(1)).containsEntry("search", Map.of("callee", "1000*"));
        List<Map<String, Object>> two = (List<Map<String, Object>>) breakdown(admin, Map.of("by", "calleePrefix", "prefixLength", "3"))
                .get("rows");
        assertThat(two.subList(0, 2)).extracting(r -> r.get("key") + " " + r.get("calls")).containsExactly("100 10", "+493 2");
    }

    @Test
    void aNodeNarrowsEachBreakdownToTheRecordsItCaptured() {
        Map<String, Object> byNode = breakdown(admin, Map.of("by", "node", "node", "edge-a"));
        assertThat(byNode).containsEntry("nodes", List.of("edge-a")).containsEntry("groups", 1);
        assertThat((List<Map<String, Object>>) byNode.get("rows")).extracting(r -> r.get("key") + " " + r.get("calls") + " " + r.get("registrations"))
                .containsExactly("edge-a 6 1");
        // edge-b's six callers and its two phones' addresses; each row's search names the node too
        List<Map<String, Object>> sources = (List<Map<String, Object>>) breakdown(admin, Map.of("by", "srcIp", "node", "edge-b", "top", "100"))
                .get("rows");
        assertThat(sources).extracting(r -> r.get("key")).containsExactly("10.1.0.4", "10.2.0.1", "10.2.0.2", "10.3.0.2", "10.4.0.1",
                "192.168.1.2", "10.5.0.1", "10.5.0.2");
        assertThat(sources.get(0)).containsEntry("search", Map.of("srcIp", "10.1.0.4", "node", "edge-b"));
        List<Map<String, Object>> prefixes = (List<Map<String, Object>>) breakdown(admin, Map.of("by", "calleePrefix", "node", "edge-a,edge-b"))
                .get("rows");
        assertThat(prefixes.get(0)).containsEntry("key", "+4930").containsEntry("calls", 2)
                .containsEntry("search", Map.of("callee", "+4930*,004930*,030*", "node", "edge-a,edge-b"));
    }

    @Test
    void eachRowsSearchListsExactlyItsCalls() {
        for (Map<String, String> params : List.of(Map.of("by", "node"), Map.of("by", "srcIp"), Map.of("by", "calleePrefix"),
                Map.of("by", "node", "node", "edge-b"), Map.of("by", "srcIp", "node", "edge-b"), Map.of("by", "calleePrefix", "node", "edge-a"))) {
            String by = params.toString();
            Map<String, String> q = new LinkedHashMap<>(params);
            q.put("top", "100");
            for (Map<String, Object> row : (List<Map<String, Object>>) breakdown(admin, q).get("rows")) {
                Map<String, String> search = (Map<String, String>) row.get("search");
                List<?> calls = (List<?>) admin.get().uri(b -> {
                            b.path("/api/v1/calls").queryParam("from", FROM).queryParam("to", TO).queryParam("limit", "100");
                            search.forEach((k, v) -> b.queryParam(k, "{" + k + "}"));
                            return b.build(search);
                        }).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("items");
                assertThat(calls).as(by + " " + row.get("key")).hasSize(((Number) row.get("calls")).intValue());
            }
        }
    }

    @Test
    void aTenantCountsTheCallsAndRegistrationsOfItsNodesOnly() {
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "edge-a-only", "nodes", List.of("edge-a"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "hana", "password", "breakdown-test-password", "role", "viewer", "tenant", "edge-a-only"))
                .exchange().expectStatus().isCreated().expectBody(Void.class);
        WebTestClient hana = Http.as(anonymous, Http.login(anonymous, "hana", "breakdown-test-password"));
        List<Map<String, Object>> rows = (List<Map<String, Object>>) breakdown(hana, Map.of("by", "node")).get("rows");
        assertThat(rows).extracting(r -> r.get("key") + " " + r.get("calls") + " " + r.get("registrations"))
                .containsExactly("edge-a 6 1");
        List<Map<String, Object>> sources = (List<Map<String, Object>>) breakdown(hana, Map.of("by", "srcIp", "top", "100")).get("rows");
        assertThat(sources).extracting(r -> r.get("key"))
                .containsExactly("10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.5", "10.3.0.1", "192.168.1.1", "10.5.0.1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "top=3                       | by: missing (expected one of: node, srcIp, calleePrefix)",
            "by=colour                   | by: \"colour\" is not a breakdown (expected one of: node, srcIp, calleePrefix)",
            "by=node&by=srcIp            | by: given more than once",
            "by=node&top=0               | top: 0 is out of range (expected: 1 to 100)",
            "by=node&top=101             | top: 101 is out of range (expected: 1 to 100)",
            "by=node&top=ten             | top: not a number: \"ten\" (expected: 1 to 100)",
            "by=node&prefixLength=4      | prefixLength: only with by=calleePrefix",
            "by=calleePrefix&prefixLength=2 | prefixLength: 2 is out of range (expected: 3 to 15)",
            "by=calleePrefix&prefixLength=16 | prefixLength: 16 is out of range (expected: 3 to 15)",
            "by=node&step=60             | unknown parameter \"step\" (expected one of: by, from, node, prefixLength, to, top)",
            "by=node&node=a,,b           | node: empty value (expected: capture node names, comma-separated)"})
    void aBadValueIsA400NamingIt(String params, String message) {
        admin.get().uri("/api/v1/stats/breakdown?" + params).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo(message);
    }

    @Test
    void aRangeWiderThanASearchsOrNoCredentialsAreRefused() {
        admin.get().uri("/api/v1/stats/breakdown?by=node&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.message").isEqualTo("time range longer than 7 days: narrow from/to");
        admin.get().uri("/api/v1/stats/breakdown?by=node&from=yesterday").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith("from: not a time"));
        anonymous.get().uri("/api/v1/stats/breakdown?by=node").exchange().expectStatus().isUnauthorized().expectBody(Void.class);
    }

    private static Map<String, Object> breakdown(WebTestClient client, Map<String, String> params) {
        Map<String, String> q = new LinkedHashMap<>(params);
        q.putIfAbsent("from", FROM);
        q.putIfAbsent("to", TO);
        return client.get().uri(b -> {
                    b.path("/api/v1/stats/breakdown");
                    q.forEach((k, v) -> b.queryParam(k, "{" + k + "}"));
                    return b.build(q);
                }).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }
}
