package io.hepstack.api.registration;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.web.Times;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.testing.Registers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/registrations} and {@code GET /api/v1/registrations/{aor}}: the records the collectors keep for
 * the Kamailio capture's 20 registrations (expired long since) and four phones registering ten minutes ago
 * (registered after a challenge, in a challenge loop, forbidden, unregistered), their filters, orders, pages,
 * histories, tenants and refusals.
 */
@SuppressWarnings("unchecked")
class RegistrationIT extends AdminApiIT {

    /** The phones' REGISTERs start ten minutes before the test: registered now whatever the date. */
    static final long T0 = Times.micros(Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS));
    static String from;
    static String to;
    /** The phones' hour: a history's range (at most 8 days). */
    static final String HOUR_FROM = Times.format(Times.ofMicros(T0).minus(Duration.ofMinutes(5)));
    static final String HOUR_TO = Times.format(Times.ofMicros(T0).plus(Duration.ofMinutes(55)));
    static Registers alice;

    @BeforeAll
    static void storeRegistrationsAndRecordThem() {
        // the capture rebased to end a day before the phones: its bindings expired long since, and the list's range
        // (from the capture to now) stays within the longest a request may ask for on any date
        List<CapturedMessage> captured = Fixture.kamailio();
        long shift = T0 - Duration.ofDays(1).toNanos() / 1000
                - captured.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        List<CapturedMessage> kamailio = captured.stream().map(m -> m.withTimestampMicros(m.envelope().timestampMicros() + shift)).toList();
        Fixture.store(db.connectionFactory(), kamailio);
        alice = new Registers("alice-1@phones", "alice", T0).node("edge-1")
                .register(0, 3600, 401, "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"n1\"")
                .register(5, 3600, 200, "Contact: <sip:alice@" + Registers.PHONE + ">;expires=3600");
        List<CapturedMessage> phones = new ArrayList<>(alice.messages());
        phones.addAll(new Registers("bob-1@phones", "bob", T0 + 1_000_000).node("edge-1")
                .register(0, 3600, 401).register(5, 3600, 401).register(5, 3600, 401).messages());
        phones.addAll(new Registers("carol-1@phones", "carol", T0 + 2_000_000).node("edge-1")
                .register(0, 3600, 401).register(5, 3600, 403).messages());
        phones.addAll(new Registers("dave-1@phones", "dave", T0 + 3_000_000).node("edge-1")
                .register(0, 3600, 200).register(1_000, 0, 200).messages());
        Fixture.store(db.connectionFactory(), phones);
        long first = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        Instant start = Fixture.instant(first).minus(Duration.ofHours(1));
        Instant end = Instant.now().plus(Duration.ofHours(1));
        from = Times.format(start);
        to = Times.format(end);
        Long recorded = new CallRecordStore(db.connectionFactory(), Clock.systemUTC(), CallRecordStore.Settings.DEFAULTS)
                .rebuildRegistrations(start, end).block(Duration.ofSeconds(60));
        assertThat(recorded).isEqualTo(24);
    }

    @Test
    void everyBindingIsListedNewestFirstWithItsStateAsReadNow() {
        List<Map<String, Object>> all = list(admin, Map.of());
        assertThat(all).hasSize(24);
        assertThat(all.subList(0, 4)).extracting(i -> i.get("aor") + " " + i.get("state"))
                .containsExactly("dave@example.com unregistered", "carol@example.com failed", "bob@example.com challenge_loop",
                        "alice@example.com registered");
        assertThat(all.subList(4, 24)).allSatisfy(i -> assertThat(i).containsEntry("state", "expired")
                .containsEntry("userAgent", "harness-reg").containsEntry("registers", 1).containsEntry("failures", 0));
        Map<String, Object> a = all.get(3);
        assertThat(a).containsEntry("user", "alice").containsEntry("domain", "example.com")
                .containsEntry("contact", "sip:alice@" + Registers.PHONE).containsEntry("userAgent", Registers.USER_AGENT)
                .containsEntry("registers", 2).containsEntry("challenges", 1).containsEntry("failures", 0)
                .containsEntry("lastFailureAt", null).containsEntry("lastFailureStatus", null).containsEntry("nodes", List.of("edge-1"))
                .containsEntry("source", Map.of("ip", "10.1.0.7", "port", 5062))
                .containsEntry("registrar", Map.of("ip", "10.1.0.1", "port", 5060))
                .containsEntry("expiresAt", Times.format(Times.ofMicros(alice.after(3600))))
                .containsEntry("lastSuccessAt", Times.format(Times.ofMicros(alice.t)))
                .containsEntry("firstRegisterAt", Times.format(Times.ofMicros(T0)));
        Map<String, Object> carol = all.get(1);
        assertThat(carol).containsEntry("lastFailureStatus", 403).containsEntry("failures", 1).containsEntry("challenges", 1);
        assertThat(all.get(2)).containsEntry("challenges", 3).containsEntry("expiresAt", null);
        assertThat(all.get(0)).containsEntry("expiresAt", null).containsEntry("registers", 2);
    }

    @Test
    void theListIsFilteredByStateUserSourceAndNode() {
        assertThat(list(admin, Map.of("state", "expired"))).hasSize(20);
        assertThat(list(admin, Map.of("state", "registered"))).extracting(i -> i.get("aor")).containsExactly("alice@example.com");
        assertThat(list(admin, Map.of("state", "failed,challenge_loop"))).extracting(i -> i.get("aor"))
                .containsExactly("carol@example.com", "bob@example.com");
        assertThat(list(admin, Map.of("user", "user1"))).extracting(i -> i.get("aor")).containsExactly("user1@127.0.0.1");
        assertThat(list(admin, Map.of("user", "user1*"))).hasSize(11); // user1, user10 to user19
        assertThat(list(admin, Map.of("user", "*@127.0.0.1"))).hasSize(20);
        assertThat(list(admin, Map.of("user", "alice@EXAMPLE.com"))).hasSize(1);
        assertThat(list(admin, Map.of("user", "al_ce"))).as("_ is no wildcard").isEmpty();
        assertThat(list(admin, Map.of("srcIp", "10.1.0.0/16"))).hasSize(4);
        assertThat(list(admin, Map.of("srcIp", "127.0.0.1"))).hasSize(20);
        assertThat(list(admin, Map.of("node", "edge-1", "state", "unregistered"))).extracting(i -> i.get("aor"))
                .containsExactly("dave@example.com");
        assertThat(list(admin, Map.of("node", "2001"))).hasSize(20);
        // the range: the bindings registered in it (by default the last 24 h: the phones only)
        List<Map<String, Object>> recent = admin.get().uri("/api/v1/registrations").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("items") instanceof List<?> l ? (List<Map<String, Object>>) l : null;
        assertThat(recent).hasSize(4);
    }

    @Test
    void failingFirstListsTheMostFailuresThenChallengesAndPagesInThatOrder() {
        List<Map<String, Object>> failing = list(admin, Map.of("order", "failing"));
        assertThat(failing.subList(0, 3)).extracting(i -> i.get("aor"))
                .containsExactly("carol@example.com", "bob@example.com", "alice@example.com");
        for (String order : List.of("failing", "recent")) {
            List<Object> paged = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Map<String, String> q = new LinkedHashMap<>(Map.of("order", order, "limit", "5"));
                if (cursor != null) {
                    q.put("cursor", cursor);
                }
                Map<String, Object> page = page(admin, q);
                ((List<Map<String, Object>>) page.get("items")).forEach(i -> paged.add(i.get("id")));
                cursor = (String) page.get("nextCursor");
                pages++;
            } while (cursor != null);
            assertThat(pages).isEqualTo(5);
            assertThat(paged).as(order).isEqualTo(list(admin, Map.of("order", order)).stream().map(i -> i.get("id")).toList());
        }
    }

    @Test
    void anAorsHistoryIsItsRegisterTransactionsNewestFirstAndItsBindings() {
        Map<String, Object> h = admin.get().uri(b -> b.path("/api/v1/registrations/{aor}").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build("alice@Example.com", HOUR_FROM, HOUR_TO))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(h).containsEntry("aor", "alice@example.com").containsEntry("truncated", false);
        assertThat((List<Map<String, Object>>) h.get("bindings")).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("state", "registered").containsEntry("contact", "sip:alice@" + Registers.PHONE));
        List<Map<String, Object>> ts = (List<Map<String, Object>>) h.get("transactions");
        assertThat(ts).hasSize(2);
        assertThat(ts.get(0)).containsEntry("callId", "alice-1@phones").containsEntry("cseq", 2).containsEntry("status", 200)
                .containsEntry("phrase", "OK").containsEntry("outcome", "registered").containsEntry("requestedExpires", 3600)
                .containsEntry("grantedExpires", 3600).containsEntry("nodes", List.of("edge-1"))
                .containsEntry("answeredAt", Times.format(Times.ofMicros(alice.t)));
        assertThat(ts.get(1)).containsEntry("cseq", 1).containsEntry("status", 401).containsEntry("phrase", "Unauthorized")
                .containsEntry("outcome", "challenged").containsEntry("grantedExpires", null)
                .containsEntry("requestAt", Times.format(Times.ofMicros(T0)));
        Map<String, Object> one = admin.get().uri(b -> b.path("/api/v1/registrations/{aor}").queryParam("from", "{f}")
                        .queryParam("to", "{t}").queryParam("limit", "1").build("alice@example.com", HOUR_FROM, HOUR_TO))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) one.get("transactions")).hasSize(1);
        assertThat(one).containsEntry("truncated", true);
        admin.get().uri("/api/v1/registrations/nobody@example.com").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.transactions.length()").isEqualTo(0).jsonPath("$.bindings.length()").isEqualTo(0);
    }

    @Test
    void badValuesAreRefusedNamingTheirParameter() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("state=busy", "state: not a registration state: \"busy\"");
        bad.put("srcIp=phones.example.com", "srcIp: not an address");
        bad.put("srcIp=10.0.0.0/33", "srcIp: not an address");
        bad.put("order=oldest", "order: expected recent or failing");
        bad.put("limit=0", "limit: expected a number from 1 to 1000");
        bad.put("limit=1001", "limit: expected a number from 1 to 1000");
        bad.put("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from: must be before to");
        bad.put("from=yesterday", "from: not a time");
        bad.put("from=2026-11-01T00:00:00Z&to=2026-11-20T00:00:00Z", "time range longer than 7 days: narrow from/to");
        bad.put("srcIp=10.0.0.1,10.0.0.300", "srcIp: not an address: \"10.0.0.300\"");
        bad.put("cursor=abc", "cursor: not a cursor of this search");
        bad.put("node=a b", "node: expected 1 to 128 printable characters");
        bad.put("callId=x", "unknown parameter \"callId\"");
        bad.put("user=a&user=b", "user: given more than once");
        bad.forEach((query, message) -> admin.get().uri("/api/v1/registrations?" + query).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).as(query).startsWith(message)));
        // a failing-order cursor is not a recent-order one
        String cursor = (String) page(admin, Map.of("order", "failing", "limit", "1")).get("nextCursor");
        admin.get().uri(b -> b.path("/api/v1/registrations").queryParam("cursor", "{c}").build(cursor)).exchange()
                .expectStatus().isBadRequest().expectBody(Void.class);
        admin.get().uri("/api/v1/registrations/alice").exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.message").value(m -> assertThat((String) m).startsWith("aor: expected user@domain"));
        admin.get().uri("/api/v1/registrations/alice@example.com?from=2026-11-01T00:00:00Z&to=2026-11-10T00:00:00Z").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.message").isEqualTo("time range longer than 8 days: narrow from/to");
        admin.get().uri("/api/v1/registrations/alice@example.com?state=registered").exchange().expectStatus().isBadRequest()
                .expectBody(Void.class);
        anonymous.get().uri("/api/v1/registrations").exchange().expectStatus().isUnauthorized().expectBody(Void.class);
    }

    @Test
    void aTenantSeesTheRegistrationsOfItsNodesAndNetworks() {
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "phones", "networks", List.of("10.1.0.0/16"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "kamailio", "nodes", List.of("2001"))).exchange().expectStatus().isCreated()
                .expectBody(Void.class);
        for (String[] u : new String[][] {{"erin", "phones"}, {"frank", "kamailio"}}) {
            admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", u[0], "password", "registration-test-password", "role", "viewer", "tenant", u[1]))
                    .exchange().expectStatus().isCreated().expectBody(Void.class);
        }
        WebTestClient erin = Http.as(anonymous, Http.login(anonymous, "erin", "registration-test-password"));
        WebTestClient frank = Http.as(anonymous, Http.login(anonymous, "frank", "registration-test-password"));
        assertThat(list(erin, Map.of())).hasSize(4).allSatisfy(i -> assertThat((String) i.get("aor")).endsWith("@example.com"));
        assertThat(list(frank, Map.of())).hasSize(20).allSatisfy(i -> assertThat((String) i.get("aor")).endsWith("@127.0.0.1"));
        for (WebTestClient[] who : new WebTestClient[][] {{erin}, {frank}}) {
            Map<String, Object> h = who[0].get().uri(b -> b.path("/api/v1/registrations/{aor}").queryParam("from", "{f}")
                            .queryParam("to", "{t}").build("alice@example.com", HOUR_FROM, HOUR_TO))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            int seen = who[0] == erin ? 1 : 0;
            assertThat((List<?>) h.get("bindings")).hasSize(seen);
            assertThat((List<?>) h.get("transactions")).hasSize(2 * seen);
        }
    }

    private static List<Map<String, Object>> list(WebTestClient client, Map<String, String> params) {
        Map<String, String> q = new LinkedHashMap<>(params);
        q.put("limit", "1000");
        return (List<Map<String, Object>>) page(client, q).get("items");
    }

    private static Map<String, Object> page(WebTestClient client, Map<String, String> params) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("from", from);
        q.put("to", to);
        q.putAll(params);
        return client.get().uri(b -> {
                    q.keySet().forEach(k -> b.queryParam(k, "{" + k + "}"));
                    return b.path("/api/v1/registrations").build(q);
                }).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }
}
