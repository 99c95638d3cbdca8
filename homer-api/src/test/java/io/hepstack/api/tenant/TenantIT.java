package io.hepstack.api.tenant;

import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.api.web.Times;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.hepstack.api.Fixture.ip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant scope against a real PostgreSQL: tenant {@code bynode} (capture node {@code node-a}) and
 * tenant {@code bynet} (10.20.0.0/16 and 2001:db8:20::/48), calls of each, calls of neither, and a
 * B2BUA whose A-leg is {@code bynode}'s and whose B-leg (linked by X-CID) is nobody's. Account
 * {@code alice} (user) is in {@code bynode}, {@code bob} (viewer) in {@code bynet}.
 */
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@SuppressWarnings("unchecked")
class TenantIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String PASSWORD = "tenant-test-password";
    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
    };

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestApp.database(registry, db);
        registry.add("homer.api.stream.poll-interval", () -> "100ms");
    }

    static long base;
    static String range;

    @BeforeAll
    static void storeCallsOfBothTenantsAndOfNeither() {
        base = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) - 20L * 60 * 1_000_000;
        List<CapturedMessage> rows = new ArrayList<>();
        long t = base;
        t = call(rows, t, "a1@t", "node-a", "192.168.1.1", "192.168.1.2", null);          // bynode
        t = call(rows, t, "n1@t", "node-x", "10.20.0.1", "172.16.0.1", null);             // bynet, by source
        t = call(rows, t, "n6@t", "node-x", "2001:db8:99::1", "2001:db8:20::1", null);    // bynet, by IPv6 destination
        t = call(rows, t, "u1@t", "node-x", "172.16.0.5", "172.16.0.6", null);            // nobody's
        t = call(rows, t, "c-a@t", "node-a", "192.168.1.1", "192.168.1.3", null);         // bynode's A-leg
        call(rows, t, "c-b@t", "node-x", "172.16.0.7", "172.16.0.8", "c-a@t");            // its B-leg: nobody's
        write(rows);
        // stored as by a collector without records: a rebuild records the calls (the statistics read the records)
        new CallRecordStore(db.connectionFactory(), Clock.systemUTC(), CallRecordStore.Settings.DEFAULTS)
                .rebuild(Fixture.instant(base - 1_000_000), Fixture.instant(base + 60_000_000)).block(Duration.ofSeconds(60));
        range = "from=" + Times.format(Fixture.instant(base - 1_000_000)) + "&to=" + Times.format(Fixture.instant(base + 60_000_000));
    }

    @Autowired
    WebTestClient anonymous;
    WebTestClient admin;

    @BeforeEach
    void login() {
        anonymous = anonymous.mutate().responseTimeout(PATIENCE).build();
        admin = Http.as(anonymous, Http.login(anonymous, "admin", TestApp.ADMIN_PASSWORD));
    }

    @Test
    @Order(1)
    void adminsCreateTenantsAndScopedAccounts() {
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "bynode", "nodes", List.of("node-a")))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.nodes[0]").isEqualTo("node-a").jsonPath("$.networks").isEmpty();
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "bynet", "networks", List.of("10.20.0.0/16", "2001:db8:20::/48")))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.networks[0]").isEqualTo("10.20.0.0/16")
                .jsonPath("$.networks[1]").isEqualTo("2001:db8:20::/48");
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "bynet")).exchange().expectStatus().isEqualTo(409).expectBody(Void.class);
        user("alice", "user", "bynode");
        user("bob", "viewer", "bynet");
        admin.get().uri("/api/v1/users").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.username == 'alice')].tenant").isEqualTo("bynode");
        admin.get().uri("/api/v1/tenants").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[*].name").isEqualTo(List.of("bynet", "bynode"));
        as("alice").get().uri("/api/v1/auth/me").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.tenant").isEqualTo("bynode");
        anonymous.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/api/v1/tenants'].post").exists()
                .jsonPath("$.paths['/api/v1/tenants/{name}'].patch").exists()
                .jsonPath("$.paths['/api/v1/tenants/{name}'].delete").exists();
    }

    private void user(String name, String role, String tenant) {
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", name, "password", PASSWORD, "role", role, "tenant", tenant))
                .exchange().expectStatus().isCreated().expectBody().jsonPath("$.tenant").isEqualTo(tenant);
    }

    private WebTestClient as(String name) {
        return Http.as(anonymous, Http.login(anonymous, name, PASSWORD));
    }

    @Test
    @Order(2)
    void aScopedSearchFindsOnlyItsTenantsMessages() {
        assertThat(searchedCallIds(admin)).containsExactlyInAnyOrder("a1@t", "n1@t", "n6@t", "u1@t", "c-a@t", "c-b@t");
        assertThat(searchedCallIds(as("alice"))).containsExactlyInAnyOrder("a1@t", "c-a@t");
        assertThat(searchedCallIds(as("bob"))).containsExactlyInAnyOrder("n1@t", "n6@t");
        // a filter cannot widen the scope
        assertThat(items(as("bob").get().uri("/api/v1/messages?" + range + "&node=node-a,node-x").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()))
                .extracting(m -> m.get("callId")).containsOnly("n1@t", "n6@t");
    }

    @Test
    @Order(3)
    void anotherTenantsMessageIsNotFoundLikeAnUnknownOne() {
        Map<String, Object> other = items(admin.get().uri("/api/v1/messages?" + range + "&callId=n1@t&method=INVITE")
                .exchange().expectBody(Map.class).returnResult().getResponseBody()).get(0);
        Map<String, Object> own = items(admin.get().uri("/api/v1/messages?" + range + "&callId=a1@t&method=INVITE")
                .exchange().expectBody(Map.class).returnResult().getResponseBody()).get(0);
        WebTestClient alice = as("alice");
        alice.get().uri("/api/v1/messages/" + own.get("id")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.callId").isEqualTo("a1@t");
        io.hepstack.api.search.MessageId id = io.hepstack.api.search.MessageId.decode((String) other.get("id"));
        String unknown = new io.hepstack.api.search.MessageId(id.rowId() + 1_000_000, id.tsMicros(), id.kind()).encode();
        byte[] foreign = alice.get().uri("/api/v1/messages/" + other.get("id")).exchange().expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody();
        byte[] missing = alice.get().uri("/api/v1/messages/" + unknown).exchange().expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody();
        assertThat(new String(foreign, StandardCharsets.UTF_8)).isEqualTo(new String(missing, StandardCharsets.UTF_8));
        admin.get().uri("/api/v1/messages/" + other.get("id")).exchange().expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    @Order(4)
    void theCallListShowsOnlyTheTenantsCallsAndLegs() {
        List<Map<String, Object>> all = items(admin.get().uri("/api/v1/calls?" + range).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody());
        assertThat(all).extracting(c -> c.get("callId")).containsExactlyInAnyOrder("a1@t", "n1@t", "n6@t", "u1@t", "c-a@t", "c-b@t");
        assertThat(all).filteredOn(c -> c.get("callId").equals("c-a@t")).singleElement()
                .satisfies(c -> assertThat((List<Object>) c.get("legs")).containsExactly("c-b@t"));
        List<Map<String, Object>> alices = items(as("alice").get().uri("/api/v1/calls?" + range).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody());
        assertThat(alices).extracting(c -> c.get("callId")).containsExactlyInAnyOrder("a1@t", "c-a@t");
        assertThat(alices).filteredOn(c -> c.get("callId").equals("c-a@t")).singleElement().satisfies(c -> {
            assertThat((List<Object>) c.get("legs")).isEmpty();
            assertThat(c.get("messageCount")).isEqualTo(5);
        });
        assertThat(items(as("bob").get().uri("/api/v1/calls?" + range).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody()))
                .extracting(c -> c.get("callId")).containsExactlyInAnyOrder("n1@t", "n6@t");
    }

    @Test
    @Order(5)
    void flowsAndTheirExportsStopAtTheScope() {
        WebTestClient alice = as("alice");
        assertThat((List<Object>) flow(admin, "c-a@t").get("callIds")).containsExactly("c-a@t", "c-b@t");
        Map<String, Object> scoped = flow(alice, "c-a@t");
        assertThat((List<Object>) scoped.get("callIds")).containsExactly("c-a@t");
        assertThat((List<Map<String, Object>>) scoped.get("messages")).hasSize(5)
                .allSatisfy(m -> assertThat(m.get("callId")).isEqualTo("c-a@t"));
        String text = new String(alice.get().uri("/api/v1/calls/c-a@t/text?" + range).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
        assertThat(text).contains("c-a@t").doesNotContain("c-b@t");
        for (String export : List.of("flow", "pcap", "text", "sipp")) {
            for (String callId : List.of("n1@t", "u1@t", "c-b@t")) {
                alice.get().uri("/api/v1/calls/" + callId + "/" + export + "?" + range).exchange()
                        .expectStatus().isNotFound().expectBody(Void.class);
            }
            as("bob").get().uri("/api/v1/calls/a1@t/" + export + "?" + range).exchange().expectStatus().isNotFound().expectBody(Void.class);
        }
        as("bob").get().uri("/api/v1/calls/n6@t/pcap?" + range).exchange().expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    @Order(6)
    void statisticsCountOnlyTheTenantsCalls() {
        String kpi = "/api/v1/stats/kpi?" + range + "&step=PT5M";
        admin.get().uri(kpi).exchange().expectStatus().isOk().expectBody().jsonPath("$.total.invites").isEqualTo(6);
        as("alice").get().uri(kpi).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.total.invites").isEqualTo(2).jsonPath("$.total.answered").isEqualTo(2);
        as("bob").get().uri(kpi).exchange().expectStatus().isOk().expectBody().jsonPath("$.total.invites").isEqualTo(2);
        // a node filter narrows within the scope, never widens it
        as("bob").get().uri(kpi + "&node=node-a").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.total.invites").isEqualTo(0);
        String volume = "/api/v1/stats/volume?" + range + "&step=PT5M";
        assertThat(volumeTotal(admin, volume)).isEqualTo(30);
        assertThat(volumeTotal(as("alice"), volume)).isEqualTo(10);
        assertThat(volumeTotal(as("bob"), volume)).isEqualTo(10);
    }

    @Test
    @Order(7)
    void aScopedCallerListsOnlyTheAliasesWithinItsTenantsNetworks() {
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> a : List.<Map<String, Object>>of(Map.of("ip", "10.20.1.5", "alias", "bynet-pbx"),
                Map.of("ip", "10.20.9.0/24", "alias", "bynet-office"), Map.of("ip", "10.30.0.1", "alias", "other-sbc"),
                Map.of("ip", "2001:db8:20::7", "alias", "bynet-v6"), Map.of("ip", "10.0.0.0/8", "alias", "everything"))) {
            ids.add(((Number) admin.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON).bodyValue(a)
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id"))
                    .longValue());
        }
        try {
            assertThat(aliasNames(as("bob"))).containsExactlyInAnyOrder("bynet-pbx", "bynet-office", "bynet-v6");
            assertThat(aliasNames(as("alice"))).isEmpty(); // a tenant by node only has no networks
            assertThat(aliasNames(admin)).contains("bynet-pbx", "bynet-office", "other-sbc", "bynet-v6", "everything");
        } finally {
            ids.forEach(id -> admin.delete().uri("/api/v1/aliases/{id}", id).exchange().expectStatus().isNoContent()
                    .expectBody(Void.class));
        }
    }

    private static List<Object> aliasNames(WebTestClient client) {
        return ((List<Map<String, Object>>) client.get().uri("/api/v1/aliases").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("items")).stream()
                .map(a -> a.get("alias")).toList();
    }

    @Test
    @Order(7)
    void aScopedTokenIsLimitedLikeAScopedAccount() {
        String token = (String) admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "bynet-script", "role", "viewer", "tenant", "bynet"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
        assertThat(searchedCallIds(Http.as(anonymous, token))).containsExactlyInAnyOrder("n1@t", "n6@t");
        admin.get().uri("/api/v1/tokens").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.name == 'bynet-script')].tenant").isEqualTo("bynet");
    }

    @Test
    @Order(8)
    void aScopedShareShowsWhatItsCreatorSawThenEvenAfterTheTenantGrows() {
        WebTestClient alice = as("alice");
        alice.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "n1@t", "from", from(), "to", to())).exchange().expectStatus().isNotFound().expectBody(Void.class);
        String token = (String) alice.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", "c-a@t", "from", from(), "to", to())).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
        assertThat((List<Object>) shared(token).get("callIds")).containsExactly("c-a@t");
        // the tenant gains node-x: alice sees the B-leg on her next request, the link still does not
        admin.patch().uri("/api/v1/tenants/bynode").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("nodes", List.of("node-a", "node-x"))).exchange().expectStatus().isOk().expectBody(Void.class);
        assertThat((List<Object>) flow(alice, "c-a@t").get("callIds")).containsExactly("c-a@t", "c-b@t");
        Map<String, Object> shared = shared(token);
        assertThat((List<Object>) shared.get("callIds")).containsExactly("c-a@t");
        assertThat((List<Map<String, Object>>) shared.get("messages")).extracting(m -> m.get("callId")).containsOnly("c-a@t");
        String text = new String(anonymous.get().uri("/api/v1/shared/" + token + "/text").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("c-b@t");
        admin.patch().uri("/api/v1/tenants/bynode").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("nodes", List.of("node-a"))).exchange().expectStatus().isOk().expectBody(Void.class);
        assertThat((List<Object>) flow(alice, "c-a@t").get("callIds")).containsExactly("c-a@t");
    }

    @Test
    @Order(9)
    void theLiveStreamSendsOnlyTheTenantsNewMessages() {
        long t = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        Flux<ServerSentEvent<Map<String, Object>>> stream = as("bob").get().uri("/api/v1/stream/messages")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(EVENT).getResponseBody()
                .filter(e -> e.event() != null || "open".equals(e.comment()));
        StepVerifier.create(stream)
                .expectNextMatches(e -> "open".equals(e.comment()))
                .then(() -> {
                    List<CapturedMessage> rows = new ArrayList<>();
                    call(rows, t, "live-a@t", "node-a", "192.168.1.1", "192.168.1.2", null);
                    call(rows, t + 10_000, "live-u@t", "node-x", "172.16.0.5", "172.16.0.6", null);
                    write(rows);
                    rows.clear();
                    call(rows, t + 20_000, "live-n@t", "node-x", "172.16.0.9", "10.20.3.4", null);
                    write(rows);
                })
                // ids grow: had a row of the first batch leaked, it would come first
                .expectNextMatches(e -> "message".equals(e.event()) && "live-n@t".equals(e.data().get("callId")))
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    @Order(10)
    void aScopedAccountMayNotImport() {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new byte[] {1, 2, 3}).filename("x.pcap");
        as("alice").post().uri("/api/v1/import/pcap").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build())).exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("tenant-scoped"));
    }

    @Test
    @Order(11)
    void badTenantsAndScopedAdminsAreRefused() {
        badTenant(Map.of("name", "x", "networks", List.of("10.20.0.1/16")), "networks[0]: \"10.20.0.1/16\" has host bits set");
        badTenant(Map.of("name", "x", "networks", List.of("10.20.0.0/33")), "networks[0]: bad prefix length");
        badTenant(Map.of("name", "x", "networks", List.of("example.com")), "networks[0]: not an address");
        badTenant(Map.of("name", "x", "networks", "10.0.0.0/8"), "networks: must be a list");
        badTenant(Map.of("name", "x", "nodes", Collections.nCopies(101, "n")), "nodes: at most 100 entries, got 101");
        badTenant(Map.of("name", "x", "nodes", List.of("")), "nodes[0]: must be a node name");
        badTenant(Map.of("name", "bad name"), "name: 1 to 64");
        badTenant(Map.of("name", "x", "colour", "red"), "unknown field: \"colour\"");
        admin.patch().uri("/api/v1/tenants/bynet").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "other")).exchange().expectStatus().isBadRequest().expectBody(Void.class);
        admin.patch().uri("/api/v1/tenants/nosuch").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("nodes", List.of())).exchange().expectStatus().isNotFound().expectBody(Void.class);
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "carol", "password", PASSWORD, "role", "admin", "tenant", "bynet"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("cannot be limited"));
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "carol", "password", PASSWORD, "role", "user", "tenant", "nosuch"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("no such tenant"));
        admin.patch().uri("/api/v1/users/alice").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("role", "admin")).exchange().expectStatus().isBadRequest().expectBody(Void.class);
        admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "t", "role", "admin", "tenant", "bynet")).exchange().expectStatus().isBadRequest().expectBody(Void.class);
        as("alice").get().uri("/api/v1/tenants").exchange().expectStatus().isForbidden().expectBody(Void.class);
    }

    private void badTenant(Map<String, Object> body, String message) {
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).as(body.toString()).contains(message));
    }

    @Test
    @Order(12)
    void aTenantStillAssignedIsNotDeletedAndAnAccountLeavesItsTenantWithNull() {
        admin.delete().uri("/api/v1/tenants/bynode").exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("still assigned"));
        Map<String, Object> clear = new java.util.HashMap<>();
        clear.put("tenant", null);
        admin.patch().uri("/api/v1/users/alice").contentType(MediaType.APPLICATION_JSON).bodyValue(clear)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.tenant").doesNotExist();
        // unscoped now: alice sees everything on her next request
        assertThat(searchedCallIds(as("alice"))).contains("u1@t", "n1@t");
        admin.patch().uri("/api/v1/users/alice").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("disabled", false)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.tenant").doesNotExist();
        admin.delete().uri("/api/v1/tenants/bynode").exchange().expectStatus().isNoContent().expectBody(Void.class);
        admin.delete().uri("/api/v1/tenants/bynode").exchange().expectStatus().isNotFound().expectBody(Void.class);
        admin.delete().uri("/api/v1/tenants/bynet").exchange().expectStatus().isEqualTo(409).expectBody(Void.class);
    }

    // helpers

    private static String from() {
        return Times.format(Fixture.instant(base - 1_000_000));
    }

    private static String to() {
        return Times.format(Fixture.instant(base + 60_000_000));
    }

    private List<String> searchedCallIds(WebTestClient client) {
        return items(client.get().uri("/api/v1/messages?" + range + "&limit=1000").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody())
                .stream().map(m -> (String) m.get("callId")).distinct().toList();
    }

    private static List<Map<String, Object>> items(Map<?, ?> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private Map<String, Object> flow(WebTestClient client, String callId) {
        return client.get().uri("/api/v1/calls/" + callId + "/flow?" + range).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private Map<String, Object> shared(String token) {
        return anonymous.get().uri("/api/v1/shared/" + token + "/flow").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private static long volumeTotal(WebTestClient client, String uri) {
        List<Map<String, Object>> series = (List<Map<String, Object>>) client.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("series");
        return series.stream().mapToLong(p -> ((Number) p.get("total")).longValue()).sum();
    }

    private static void write(List<CapturedMessage> rows) {
        new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), Clock.systemUTC()).write(rows).block();
    }

    /** INVITE, 200, ACK, BYE, 200 of one call captured by {@code node}, 1 ms apart; returns the next free time. */
    private static long call(List<CapturedMessage> rows, long t, String callId, String node, String a, String b, String xcid) {
        String via = "Via: SIP/2.0/UDP " + host(a) + ":5060;branch=z9hG4bK-" + callId.hashCode() + "\r\n";
        String dialog = "From: <sip:alice@" + host(a) + ">;tag=a1\r\nCall-ID: " + callId + "\r\n";
        String to = "To: <sip:bob@" + host(b) + ">";
        String[][] messages = {
                {"INVITE sip:bob@" + host(b) + " SIP/2.0\r\n" + via + dialog + to + "\r\nCSeq: 1 INVITE\r\n"
                        + (xcid == null ? "" : "X-CID: " + xcid + "\r\n") + "Content-Length: 0\r\n\r\n", a, b},
                {"SIP/2.0 200 OK\r\n" + via + dialog + to + ";tag=b1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n", b, a},
                {"ACK sip:bob@" + host(b) + " SIP/2.0\r\n" + via + dialog + to + ";tag=b1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n", a, b},
                {"BYE sip:bob@" + host(b) + " SIP/2.0\r\n" + via + dialog + to + ";tag=b1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n", a, b},
                {"SIP/2.0 200 OK\r\n" + via + dialog + to + ";tag=b1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n", b, a}};
        for (String[] m : messages) {
            t += 1000;
            InetAddress src = ip(m[1]);
            HepPacket p = new HepPacket(3, src instanceof java.net.Inet6Address ? 10 : 2, 17, src, ip(m[2]), 5060, 5060,
                    t / 1_000_000, (int) (t % 1_000_000), HepPayloadType.SIP.number(), 3001, null, null, null, node,
                    m[0].getBytes(StandardCharsets.UTF_8), false, List.of());
            rows.add(new MessageExtractor(Fixture.SETTINGS).extract(p));
        }
        return t;
    }

    private static String host(String ip) {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }

}
