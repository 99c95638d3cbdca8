package io.hepstack.api.alias;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.Plans;
import io.hepstack.api.TestApp;
import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hepstack.api.Fixture.ip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aliases of addresses and networks against a real PostgreSQL: which alias each host of a stored flow
 * gets, the update endpoint and its refusals, and the plan of the lookup. Each test uses its own
 * address range, so the tests share one application and database in any order.
 */
@SuppressWarnings("unchecked")
class AliasIT extends AdminApiIT {

    static final long BASE = 1_700_000_000_000_000L;
    static final List<CapturedMessage> rows = new ArrayList<>();
    static String from;
    static String to;

    /** Two calls whose SIP messages touch every host the precedence cases need (one IPv4, one IPv6). */
    @BeforeAll
    static void storeTheCalls() {
        String[][] v4 = {
                {"10.9.1.1", "5060", "10.9.1.1", "5070"},
                {"10.9.2.5", "5060", "10.9.2.5", "5070"},
                {"10.9.3.7", "5070", "10.9.3.7", "5060"},
                {"10.9.4.9", "5060", "10.9.4.200", "5060"},
                {"10.8.0.1", "5060", "10.9.1.1", "5060"},
                {"10.7.0.1", "5060", "10.7.0.2", "5060"},
        };
        for (String[] hop : v4) {
            sip("alias-v4@test", hop);
        }
        sip("alias-v6@test", new String[] {"2001:db8:9::1", "5060", "2001:db8:1::1", "5060"});
        sip("alias-v6@test", new String[] {"2001:db8:9::2", "5070", "2001:db8:9::1", "5060"});
        Fixture.store(db.connectionFactory(), rows);
        from = Times.format(Fixture.instant(BASE));
        to = Times.format(Fixture.instant(BASE + 60_000_000L));
    }

    private static void sip(String callId, String[] hop) {
        long t = BASE + 1000L * (rows.size() + 1);
        InetAddress src = ip(hop[0]);
        String text = "INFO sip:peer@example.test SIP/2.0\r\nVia: SIP/2.0/UDP host.test;branch=z9hG4bK-" + rows.size()
                + "\r\nFrom: <sip:alice@example.test>;tag=a1\r\nTo: <sip:bob@example.test>;tag=b1\r\nCall-ID: " + callId
                + "\r\nCSeq: " + (rows.size() + 1) + " INFO\r\nContent-Length: 0\r\n\r\n";
        HepPacket p = new HepPacket(3, src instanceof java.net.Inet6Address ? 10 : 2, 17, src, ip(hop[2]),
                Integer.parseInt(hop[1]), Integer.parseInt(hop[3]), t / 1_000_000, (int) (t % 1_000_000),
                HepPayloadType.SIP.number(), 3001, null, null, null, "alias-node", text.getBytes(StandardCharsets.UTF_8),
                false, List.of());
        rows.add(new MessageExtractor(Fixture.SETTINGS).extract(p));
    }


    @Test
    void eachHostGetsTheMostSpecificAliasThatCoversIt() {
        alias("10.9.1.1", 5060, "A on 5060");
        alias("10.9.1.1", null, "A any port");
        alias("10.9.1.0/24", 5060, "A's /24 on 5060");
        alias("10.9.2.0/24", null, "/24 any port");
        alias("10.9.0.0/16", 5060, "/16 on 5060");
        alias("10.9.0.0/16", null, "/16 any port");
        alias("10.9.4.0/24", 5060, "/24 on 5060");
        alias("10.9.4.0/25", 5060, "/25 on 5060");

        Map<String, String> hosts = hosts("alias-v4@test");
        assertThat(hosts).containsExactlyInAnyOrderEntriesOf(expected(
                "10.9.1.1:5060", "A on 5060",          // exact address and port
                "10.9.1.1:5070", "A any port",         // exact address on any port beats every network
                "10.9.2.5:5060", "/16 on 5060",        // a network with the port beats a longer one on any port
                "10.9.2.5:5070", "/24 any port",       // on any port, the longer network wins
                "10.9.3.7:5070", "/16 any port",
                "10.9.3.7:5060", "/16 on 5060",
                "10.9.4.9:5060", "/25 on 5060",        // with the port, the longer network wins
                "10.9.4.200:5060", "/24 on 5060",      // outside the /25
                "10.8.0.1:5060", null,                 // no alias covers it
                "10.7.0.1:5060", null,
                "10.7.0.2:5060", null));
    }

    @Test
    void ipv6NetworksAndAddressesNameIpv6HostsOnly() {
        alias("2001:db8::/32", null, "v6 /32");
        alias("2001:DB8:9:0::/48", null, "v6 /48");
        alias("2001:db8:9::2", null, "v6 host");
        assertThat(hosts("alias-v6@test")).containsExactlyInAnyOrderEntriesOf(expected(
                "2001:db8:9::1:5060", "v6 /48",
                "2001:db8:1::1:5060", "v6 /32",
                "2001:db8:9::2:5070", "v6 host"));
        assertThat(items()).filteredOn(a -> a.get("alias").toString().startsWith("v6"))
                .extracting(a -> a.get("ip")).containsExactlyInAnyOrder("2001:db8::/32", "2001:db8:9::/48", "2001:db8:9::2");

        Map<String, Object> everyIpv4 = alias("0.0.0.0/0", null, "every IPv4 host");
        try {
            assertThat(hosts("alias-v6@test")).doesNotContainValue("every IPv4 host");
            assertThat(hosts("alias-v4@test")).containsEntry("10.8.0.1:5060", "every IPv4 host");
        } finally {
            delete(everyIpv4.get("id"));
        }
    }

    @Test
    void anAliasIsUpdatedInPlace() {
        Map<String, Object> a = alias("10.7.0.1", 5060, "old name");
        Object id = a.get("id");
        Map<String, Object> renamed = patch(id, Map.of("alias", "  new name "), 200);
        assertThat(renamed).containsEntry("id", id).containsEntry("ip", "10.7.0.1").containsEntry("port", 5060)
                .containsEntry("alias", "new name").containsEntry("createdAt", a.get("createdAt"));

        Map<String, Object> anyPort = new HashMap<>();
        anyPort.put("port", null);
        assertThat(patch(id, anyPort, 200)).containsEntry("port", null).containsEntry("alias", "new name");
        assertThat(hosts("alias-v4@test")).containsEntry("10.7.0.1:5060", "new name").containsEntry("10.7.0.2:5060", null);

        Map<String, Object> network = patch(id, Map.of("ip", "10.7.0.0/30", "port", 5060), 200);
        assertThat(network).containsEntry("ip", "10.7.0.0/30").containsEntry("port", 5060);
        assertThat(hosts("alias-v4@test")).containsEntry("10.7.0.1:5060", "new name").containsEntry("10.7.0.2:5060", "new name");

        // another alias may not take the same network and port, nor be moved onto it
        Map<String, Object> other = alias("10.7.0.2", null, "other");
        assertThat(patch(other.get("id"), Map.of("ip", "10.7.0.0/30", "port", 5060), 409))
                .containsEntry("message", "this address and port already have an alias");
        assertThat(patch(other.get("id"), Map.of("ip", "10.7.0.0/30"), 200)).containsEntry("port", null);
        assertThat(patch(id, Map.of("port", 5070), 200)).containsEntry("port", 5070);
        Map<String, Object> back = new HashMap<>();
        back.put("port", null);
        patch(id, back, 409);
        delete(id);
        delete(other.get("id"));
        assertThat(patch(id, Map.of("alias", "gone"), 404)).containsEntry("message", "no such alias");
        assertThat(patch("not-a-number", Map.of("alias", "x"), 404)).containsEntry("message", "no such alias");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"ip\": \"10.0.0.0/33\"}          | ip: bad prefix length in \"10.0.0.0/33\" (expected: 0 to 32 after the /)",
            "{\"ip\": \"10.0.0.1/24\"}          | ip: \"10.0.0.1/24\" has host bits set (the network is 10.0.0.0/24)",
            "{\"ip\": \"2001:db8::1/32\"}       | ip: \"2001:db8::1/32\" has host bits set (the network is 2001:db8::/32)",
            "{\"ip\": \"gar'bage\"}             | ip: not an address: \"gar'bage\" (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)",
            "{\"ip\": 10}                       | ip: must be an address or a network as a string of at most 49 characters",
            "{\"ip\": null}                     | ip: must be an address or a network as a string of at most 49 characters",
            "{\"port\": 65536}                  | port: must be a number from 0 to 65535, or null for any port",
            "{\"port\": \"5060\"}               | port: must be a number from 0 to 65535, or null for any port",
            "{\"port\": 50.5}                   | port: must be a number from 0 to 65535, or null for any port",
            "{\"alias\": \" \"}                 | alias: must be a non-blank string of at most 100 characters",
            "{\"alias\": \"a\\u0007b\"}         | alias: no control characters",
            "{\"name\": \"x\"}                  | unknown field: \"name\" (expected: ip, port, alias)",
            "{}                                 | nothing to change (expected: one or more of ip, port, alias)",
    })
    void anUpdateWithABadValueIsRefusedAndChangesNothing(String body, String message) {
        Map<String, Object> a = alias("10.6.0.1", 5060, "unchanged");
        try {
            admin.patch().uri("/api/v1/aliases/{id}", a.get("id")).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.error").isEqualTo("bad_request").jsonPath("$.message").isEqualTo(message);
            assertThat(items()).filteredOn(i -> i.get("id").equals(a.get("id"))).singleElement()
                    .isEqualTo(a);
        } finally {
            delete(a.get("id"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33    | ip: bad prefix length in \"10.0.0.0/33\" (expected: 0 to 32 after the /)",
            "10.0.0.1/24    | ip: \"10.0.0.1/24\" has host bits set (the network is 10.0.0.0/24)",
            "::/129         | ip: bad prefix length in \"::/129\" (expected: 0 to 128 after the /)",
            "10.0.0.0/x     | ip: bad prefix length in \"10.0.0.0/x\" (expected: 0 to 32 after the /)",
            "pbx.example.com | ip: not an address: \"pbx.example.com\" (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)",
            "010.0.0.1      | ip: not an address: \"010.0.0.1\" (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)",
    })
    void aBadAddressOrNetworkIsNotCreated(String ip, String message) {
        admin.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("ip", ip, "alias", "bad"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo(message);
        assertThat(items()).extracting(a -> a.get("alias")).doesNotContain("bad");
    }

    @Test
    void onlyAnAdminChangesAliasesAndEveryoneListsThem() {
        Map<String, Object> a = alias("10.5.0.0/16", null, "admins only");
        try {
            for (String role : List.of("user", "viewer")) {
                Map<String, Object> token = admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("name", "alias " + role, "role", role))
                        .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
                WebTestClient client = Http.as(anonymous, (String) token.get("token"));
                client.patch().uri("/api/v1/aliases/{id}", a.get("id")).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("alias", "taken over")).exchange().expectStatus().isForbidden().expectBody().returnResult();
                client.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("ip", "10.5.1.0/24", "alias", "mine")).exchange().expectStatus().isForbidden()
                        .expectBody().returnResult();
                client.delete().uri("/api/v1/aliases/{id}", a.get("id")).exchange().expectStatus().isForbidden()
                        .expectBody().returnResult();
                client.get().uri("/api/v1/aliases").exchange().expectStatus().isOk().expectBody()
                        .jsonPath("$.items[?(@.alias == 'admins only')].ip").isEqualTo("10.5.0.0/16");
            }
            anonymous.patch().uri("/api/v1/aliases/{id}", a.get("id")).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("alias", "taken over")).exchange().expectStatus().isUnauthorized().expectBody().returnResult();
            assertThat(items()).filteredOn(i -> i.get("id").equals(a.get("id"))).singleElement().isEqualTo(a);
        } finally {
            delete(a.get("id"));
        }
    }

    @Test
    void theDatabaseRefusesANetworkWithHostBitsWhateverTheCaller() {
        StepVerifier.create(reactor.core.publisher.Mono.usingWhen(db.connectionFactory().create(),
                        c -> reactor.core.publisher.Flux.from(c.createStatement("INSERT INTO homer_api.aliases (ip, alias, created_by) "
                                + "VALUES ('10.4.0.1/24', 'x', 'test')").execute()).flatMap(r -> r.getRowsUpdated()).then(),
                        io.r2dbc.spi.Connection::close))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("aliases_ip_is_network"))
                .verify();
    }

    @Test
    void theLookupFindsEachHostsAliasesThroughTheContainmentIndex() {
        StepVerifier.create(Plans.explain(db.connectionFactory(),
                        AliasStore.lookupSql(List.of("10.9.1.1", "2001:db8::1"), List.of(5060, 5070))))
                .assertNext(plan -> assertThat(plan).as(plan).contains("aliases_ip_contains").doesNotContain("Seq Scan"))
                .verifyComplete();
    }

    @Test
    void theOpenApiDocumentShowsTheUpdate() {
        anonymous.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/api/v1/aliases/{id}'].patch.summary").isEqualTo("Change an alias's address or network, port or name (admin)")
                .jsonPath("$.paths['/api/v1/aliases/{id}'].patch.requestBody.content['application/json'].schema.$ref")
                .isEqualTo("#/components/schemas/AliasChanges")
                .jsonPath("$.components.schemas.AliasChanges.properties.port").exists();
    }

    // ---- helpers ----

    private Map<String, Object> alias(String ip, Integer port, String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("ip", ip);
        body.put("port", port);
        body.put("alias", name);
        return admin.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    private Map<String, Object> patch(Object id, Map<String, Object> body, int status) {
        return admin.patch().uri("/api/v1/aliases/{id}", id).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(status).expectBody(Map.class).returnResult().getResponseBody();
    }

    private void delete(Object id) {
        admin.delete().uri("/api/v1/aliases/{id}", id).exchange().expectStatus().isNoContent().expectBody().isEmpty();
    }

    private List<Map<String, Object>> items() {
        return (List<Map<String, Object>>) admin.get().uri("/api/v1/aliases").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("items");
    }

    /** ip:port → alias of every host of the flow of {@code callId}. */
    private Map<String, String> hosts(String callId) {
        Map<String, Object> flow = admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build(callId, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, String> hosts = new LinkedHashMap<>();
        for (Map<String, Object> h : (List<Map<String, Object>>) flow.get("hosts")) {
            hosts.put(h.get("ip") + ":" + h.get("port"), (String) h.get("alias"));
        }
        return hosts;
    }

    private static Map<String, String> expected(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
