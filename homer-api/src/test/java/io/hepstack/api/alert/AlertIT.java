package io.hepstack.api.alert;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alertmanager's webhook and the alert list against a real PostgreSQL: what a delivery stores, that a
 * redelivery changes nothing, that resolved stays resolved, who may deliver, the tenant scope by node,
 * retention, and a 400 with the reason for every malformed delivery or query. Times are relative to
 * now and every list names its window, so the tests pass on any date. Each test uses its own nodes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "homer.api.alerts.webhook-secret=" + AlertIT.SECRET)
@SuppressWarnings("unchecked")
class AlertIT extends AdminApiIT {

    static final String SECRET = "alertmanager-test-secret";

    private WebTestClient alertmanager() {
        return Http.as(anonymous, SECRET);
    }

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** An alert as Alertmanager sends it; {@code endsAt} null: firing (Go's zero time). */
    static Map<String, Object> alert(String fingerprint, String name, String node, String severity,
                                     Instant startsAt, Instant endsAt) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", name);
        labels.put("severity", severity);
        labels.put("category", "quality");
        if (node != null) {
            labels.put("node", node);
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("status", endsAt == null ? "firing" : "resolved");
        a.put("labels", labels);
        a.put("annotations", Map.of("summary", name + " on " + node, "runbook", "docs/operations.md#" + name.toLowerCase()));
        a.put("startsAt", startsAt.toString());
        a.put("endsAt", endsAt == null ? "0001-01-01T00:00:00Z" : endsAt.toString());
        a.put("generatorURL", "http://prometheus:9090/graph?g0.expr=x");
        a.put("fingerprint", fingerprint);
        return a;
    }

    static Map<String, Object> payload(Map<String, Object>... alerts) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("version", "4");
        p.put("groupKey", "{}:{alertname=\"x\"}");
        p.put("truncatedAlerts", 0);
        p.put("status", "firing");
        p.put("receiver", "homer-api");
        p.put("groupLabels", Map.of());
        p.put("commonLabels", Map.of());
        p.put("commonAnnotations", Map.of());
        p.put("externalURL", "http://alertmanager:9093");
        p.put("alerts", List.of(alerts));
        return p;
    }

    private Map<String, Object> deliver(WebTestClient as, Map<String, Object> payload) {
        return as.post().uri("/api/v1/alerts/webhook").contentType(MediaType.APPLICATION_JSON).bodyValue(payload)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private Map<String, Object> list(WebTestClient as, String query) {
        return as.get().uri("/api/v1/alerts?from=" + NOW.minus(2, ChronoUnit.HOURS) + "&to=" + NOW.plus(1, ChronoUnit.HOURS)
                        + (query.isEmpty() ? "" : "&" + query))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<Map<String, Object>> items(Map<String, Object> list) {
        return (List<Map<String, Object>>) list.get("items");
    }

    @Test
    void storesADeliveryAndListsFiringAlertsFirstWithTheirLabelsAndAnnotations() {
        Instant started = NOW.minus(30, ChronoUnit.MINUTES);
        Map<String, Object> answer = deliver(alertmanager(), payload(
                alert("a1", "HepNodeAsrLow", "list-1", "warning", started, null),
                alert("a2", "HepNodeNerLow", "list-1", "critical", NOW.minus(90, ChronoUnit.MINUTES), NOW.minus(60, ChronoUnit.MINUTES)),
                alert("a3", "HepSipScanner", "list-1", "warning", NOW.minus(10, ChronoUnit.MINUTES), null)));
        assertThat(answer).containsEntry("alerts", 3);

        List<Map<String, Object>> items = items(list(admin, "node=list-1"));
        assertThat(items).extracting(i -> i.get("alertname")).containsExactly("HepSipScanner", "HepNodeAsrLow", "HepNodeNerLow");
        Map<String, Object> asr = items.get(1);
        assertThat(asr).containsEntry("status", "firing").containsEntry("severity", "warning").containsEntry("node", "list-1")
                .containsEntry("startsAt", started.toString().replace("Z", ".000000Z")).containsEntry("endsAt", null)
                .containsEntry("fingerprint", "a1").containsEntry("generatorUrl", "http://prometheus:9090/graph?g0.expr=x");
        assertThat((Map<String, String>) asr.get("labels")).containsEntry("category", "quality").containsEntry("alertname", "HepNodeAsrLow");
        assertThat((Map<String, String>) asr.get("annotations")).containsEntry("summary", "HepNodeAsrLow on list-1");
        assertThat(items.get(2)).containsEntry("status", "resolved").containsEntry("endsAt", NOW.minus(60, ChronoUnit.MINUTES)
                .toString().replace("Z", ".000000Z"));

        assertThat(items(list(admin, "node=list-1&state=resolved"))).extracting(i -> i.get("fingerprint")).containsExactly("a2");
        assertThat(items(list(admin, "node=list-1&severity=critical"))).extracting(i -> i.get("fingerprint")).containsExactly("a2");
        assertThat(items(list(admin, "node=list-1&limit=1"))).extracting(i -> i.get("fingerprint")).containsExactly("a3");
        // an alert that ended before the window is not listed; one still firing that started before it is
        Map<String, Object> narrow = admin.get().uri("/api/v1/alerts?node=list-1&from=" + NOW.minus(50, ChronoUnit.MINUTES) + "&to=" + NOW)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(items(narrow)).extracting(i -> i.get("fingerprint")).containsExactly("a3", "a1");

        long id = ((Number) asr.get("id")).longValue();
        admin.get().uri("/api/v1/alerts/" + id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.alertname").isEqualTo("HepNodeAsrLow").jsonPath("$.labels.node").isEqualTo("list-1");
        admin.get().uri("/api/v1/alerts/999999999").exchange().expectStatus().isNotFound().expectBody(Void.class);
        anonymous.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/api/v1/alerts'].get").exists()
                .jsonPath("$.paths['/api/v1/alerts/{id}'].get").exists()
                .jsonPath("$.paths['/api/v1/alerts/webhook'].post").exists();
    }

    @Test
    void aRedeliveryChangesNothingAndAResolvedAlertStaysResolved() {
        Instant started = NOW.minus(20, ChronoUnit.MINUTES);
        Map<String, Object> firing = payload(alert("b1", "HepCaptureNodeSilent", "redeliver-1", "critical", started, null));
        deliver(alertmanager(), firing);
        deliver(alertmanager(), firing);
        Map<String, Object> before = list(admin, "node=redeliver-1");
        assertThat(items(before)).hasSize(1);

        Instant ended = NOW.minus(5, ChronoUnit.MINUTES);
        deliver(alertmanager(), payload(alert("b1", "HepCaptureNodeSilent", "redeliver-1", "critical", started, ended)));
        deliver(alertmanager(), firing); // late, out of order
        List<Map<String, Object>> after = items(list(admin, "node=redeliver-1"));
        assertThat(after).hasSize(1);
        assertThat(after.get(0)).containsEntry("status", "resolved").containsEntry("id", items(before).get(0).get("id"))
                .containsEntry("endsAt", ended.toString().replace("Z", ".000000Z"));

        // firing again: a new occurrence (a new start), listed first
        deliver(alertmanager(), payload(alert("b1", "HepCaptureNodeSilent", "redeliver-1", "critical", NOW.minus(1, ChronoUnit.MINUTES), null)));
        assertThat(items(list(admin, "node=redeliver-1"))).extracting(i -> i.get("status")).containsExactly("firing", "resolved");
    }

    @Test
    void theWebhookTakesTheSecretOrAnUnscopedWritingApiTokenAndNothingElse() {
        Map<String, Object> p = payload(alert("c1", "HepSipScanner", "auth-1", "warning", NOW.minus(1, ChronoUnit.MINUTES), null));
        anonymous.post().uri("/api/v1/alerts/webhook").contentType(MediaType.APPLICATION_JSON).bodyValue(p)
                .exchange().expectStatus().isUnauthorized().expectBody(Void.class);
        Http.as(anonymous, "not-the-secret").post().uri("/api/v1/alerts/webhook").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(p).exchange().expectStatus().isUnauthorized().expectBody(Void.class);
        // a person's login is not a delivery
        admin.post().uri("/api/v1/alerts/webhook").contentType(MediaType.APPLICATION_JSON).bodyValue(p)
                .exchange().expectStatus().isForbidden().expectBody(Void.class);
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "auth-tenant", "nodes", List.of("auth-1"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        for (Map<String, String> refused : List.of(Map.of("name", "am-viewer", "role", "viewer"),
                Map.of("name", "am-scoped", "role", "user", "tenant", "auth-tenant"))) {
            Http.as(anonymous, token(refused)).post().uri("/api/v1/alerts/webhook").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(p).exchange().expectStatus().isForbidden()
                    .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("unscoped API token"));
        }
        assertThat(items(list(admin, "node=auth-1"))).isEmpty();
        assertThat(deliver(Http.as(anonymous, token(Map.of("name", "am-user", "role", "user"))), p)).containsEntry("alerts", 1);
        assertThat(items(list(admin, "node=auth-1"))).hasSize(1);
        // the secret is only the webhook's: it opens nothing else
        alertmanager().get().uri("/api/v1/alerts").exchange().expectStatus().isUnauthorized().expectBody(Void.class);
    }

    private String token(Map<String, String> body) {
        return (String) admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("token");
    }

    @Test
    void aTenantSeesTheAlertsOfItsNodesAndCountsOnlyTheirFiringOnes() {
        deliver(alertmanager(), payload(
                alert("d1", "HepNodeAsrLow", "scope-mine", "warning", NOW.minus(5, ChronoUnit.MINUTES), null),
                alert("d2", "HepNodeAsrLow", "scope-other", "warning", NOW.minus(5, ChronoUnit.MINUTES), null),
                alert("d3", "HepCollectorDown", null, "critical", NOW.minus(5, ChronoUnit.MINUTES), null)));
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "scope-tenant", "nodes", List.of("scope-mine"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "scoped-carol", "password", "scoped-carol-password", "role", "viewer",
                        "tenant", "scope-tenant")).exchange().expectStatus().isCreated().expectBody(Void.class);
        WebTestClient carol = Http.as(anonymous, Http.login(anonymous, "scoped-carol", "scoped-carol-password"));

        Map<String, Object> seen = list(carol, "");
        assertThat(items(seen)).extracting(i -> i.get("fingerprint")).containsExactly("d1");
        assertThat(((Number) seen.get("firing")).longValue()).isEqualTo(1);
        assertThat(((Number) list(admin, "").get("firing")).longValue()).isGreaterThanOrEqualTo(3);

        long other = ((Number) items(list(admin, "node=scope-other")).get(0).get("id")).longValue();
        carol.get().uri("/api/v1/alerts/" + other).exchange().expectStatus().isNotFound().expectBody(Void.class);
    }

    @Test
    void aDeliveryDeletesAlertsThatEndedBeyondRetentionAndKeepsTheOthers() {
        Instant longAgo = NOW.minus(45, ChronoUnit.DAYS);
        Instant recent = NOW.minus(20, ChronoUnit.DAYS);
        deliver(alertmanager(), payload(
                alert("e1", "HepNodeRegisterStorm", "retention-1", "warning", longAgo, longAgo.plus(1, ChronoUnit.HOURS)),
                alert("e2", "HepNodeRegisterStorm", "retention-1", "warning", recent, recent.plus(1, ChronoUnit.HOURS))));
        Map<String, Object> kept = admin.get().uri("/api/v1/alerts?node=retention-1&from=" + longAgo.minus(1, ChronoUnit.DAYS)
                + "&to=" + NOW).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(items(kept)).extracting(i -> i.get("fingerprint")).containsExactly("e2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "version=3                  | version: expected \"4\"",
            "status=pending             | alerts[0].status: expected firing or resolved",
            "fingerprint=XYZ            | alerts[0].fingerprint: expected 1 to 64 lower-case hex digits",
            "startsAt=yesterday         | alerts[0].startsAt: not a time",
            "endsAt=resolved-no-end     | alerts[0].endsAt: a resolved alert needs its end",
            "labels=no-alertname        | alerts[0].labels.alertname: missing",
            "labels=bad-name            | alerts[0].labels: name \"bad-name\"",
            "alerts=missing             | alerts: missing",
    })
    void refusesAMalformedDeliveryWithTheReason(String change, String message) {
        Map<String, Object> a = new HashMap<>(alert("f1", "HepSipScanner", "bad-1", "warning", NOW.minus(1, ChronoUnit.MINUTES), null));
        Map<String, Object> p = payload(a);
        String[] kv = change.split("=", 2);
        switch (kv[0]) {
            case "version" -> p.put("version", kv[1]);
            case "alerts" -> p.remove("alerts");
            case "endsAt" -> {
                a.put("status", "resolved");
                a.put("endsAt", "0001-01-01T00:00:00Z");
            }
            case "labels" -> a.put("labels", kv[1].equals("bad-name") ? Map.of("alertname", "X", "bad-name", "v") : Map.of("node", "bad-1"));
            default -> a.put(kv[0], kv[1]);
        }
        p.put("alerts", p.containsKey("alerts") ? List.of(a) : null);
        if (kv[0].equals("alerts")) {
            p.remove("alerts");
        }
        alertmanager().post().uri("/api/v1/alerts/webhook").contentType(MediaType.APPLICATION_JSON).bodyValue(p)
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith(message));
        assertThat(items(list(admin, "node=bad-1"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "state=pending                                             | state: expected firing or resolved",
            "limit=0                                                   | limit: expected a number from 1 to 1000",
            "limit=many                                                | limit: expected a number from 1 to 1000",
            "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z         | from: must be before to",
            "from=yesterday                                            | from: not a time",
            "node=two words                                            | node: expected 1 to 128 printable characters",
            "severity=✓                                                | severity: expected 1 to 128 printable characters",
    })
    void refusesAMalformedListQueryWithTheReason(String query, String message) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            params.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        admin.get().uri(b -> {
                    b.path("/api/v1/alerts");
                    params.keySet().forEach(k -> b.queryParam(k, "{" + k + "}"));
                    return b.build(params);
                }).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith(message));
        admin.get().uri("/api/v1/alerts/abc").exchange().expectStatus().isBadRequest().expectBody(Void.class);
    }
}
