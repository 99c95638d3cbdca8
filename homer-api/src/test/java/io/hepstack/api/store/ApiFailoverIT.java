package io.hepstack.api.store;

import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.api.web.Times;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.SchemaMigrator;
import io.hepstack.proto.testing.AutoFailoverCluster;
import io.hepstack.proto.testing.DebianPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * homer-api on a pg_auto_failover formation of Debian's PostgreSQL 15 ({@link AutoFailoverCluster}: a monitor, a
 * primary and its synchronous standby), configured as docs/operations.md says: its own writes on the multi-host URL
 * of the primary ({@code targetServerType=primary}), its reads of captured traffic on the standby first
 * ({@code homer.api.read.url}, {@code preferSecondary}). The primary is SIGKILLed (its pg_autoctl and PostgreSQL at
 * once) while a client searches a call's messages and creates an alias, one after the other, until a write has
 * succeeded on the promoted node. Every search answers with the call's messages, throughout: while no node is
 * primary its authentication is checked on the standby ({@link ReadRouting#authentication}, counted in
 * {@code homer.api.auth.on.reads}). Every write answers a 201 or, while no node is primary, a 503 with
 * {@code Retry-After} (never a 500), counted in {@code homer.api.database.unavailable}; every alias acknowledged
 * with a 201 is still there after.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiFailoverIT {

    /** How long the client goes on after the kill at most: the switch takes seconds (docs/operations.md, "Failover"). */
    private static final Duration SWITCH = Duration.ofSeconds(90);

    private static AutoFailoverCluster cluster;
    private static List<CapturedMessage> kamailio;
    private static String callId;
    private static String from;
    private static String to;

    @Autowired
    private WebTestClient client;
    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void databases(DynamicPropertyRegistry registry) throws Exception {
        cluster = AutoFailoverCluster.start();
        new SchemaMigrator("jdbc:postgresql://127.0.0.1:" + cluster.a().port() + "/" + AutoFailoverCluster.DATABASE,
                DebianPostgres.superuser(), "").migrate();
        kamailio = Fixture.kamailio();
        ConnectionPool primary = Nodes.pool(cluster.primaryUrl());
        try {
            Fixture.store(primary, kamailio);
        } finally {
            primary.dispose();
        }
        callId = kamailio.stream().map(CapturedMessage::callId).filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        long first = kamailio.stream().mapToLong(m -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = kamailio.stream().mapToLong(m -> m.envelope().timestampMicros()).max().orElseThrow();
        from = Times.format(Fixture.instant(first));
        to = Times.format(Fixture.instant(last + 1));
        Nodes.wire(registry, cluster::primaryUrl, cluster::readUrl);
    }

    @AfterAll
    static void stopDatabases() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void searchesAnswerThroughoutAndWritesResumeOnThePromotedNodeWhenThePrimaryIsKilled() throws Exception {
        WebTestClient patient = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        WebTestClient admin = Http.as(patient, Http.login(patient, "admin", TestApp.ADMIN_PASSWORD));
        List<String> before = messageIds(search(admin));
        assertThat(before).as("the call's messages before the kill").isNotEmpty();
        assertThat(createAlias(admin, 0).getStatus().value()).isEqualTo(201);
        double unavailableBefore = meters.get("homer.api.database.unavailable").counter().count();
        double onReadsBefore = meters.get("homer.api.auth.on.reads").counter().count();

        cluster.kill(cluster.a());
        long killed = System.nanoTime();
        Map<Integer, Integer> searches = new TreeMap<>();
        Map<Integer, Integer> writes = new TreeMap<>();
        List<String> refusals = new ArrayList<>();
        TreeSet<Integer> created = new TreeSet<>(List.of(0));
        long firstWriteAfter = -1;
        int n = 1;
        for (; firstWriteAfter < 0 && System.nanoTime() - killed < SWITCH.toNanos(); n++) {
            EntityExchangeResult<Map> search = search(admin);
            searches.merge(search.getStatus().value(), 1, Integer::sum);
            if (search.getStatus().value() == 200) {
                assertThat(messageIds(search)).as("the call's messages, %d ms after the kill", (System.nanoTime() - killed) / 1_000_000)
                        .isEqualTo(before);
            } else {
                refusals.add("search " + search.getStatus() + " " + search.getResponseBody());
                assertRetryLater(search);
            }
            EntityExchangeResult<Map> write = createAlias(admin, n);
            int status = write.getStatus().value();
            writes.merge(status, 1, Integer::sum);
            if (status == 201) {
                created.add(n);
                firstWriteAfter = System.nanoTime() - killed;
            } else {
                refusals.add("write " + write.getStatus() + " " + write.getResponseBody());
                assertRetryLater(write);
            }
            Thread.sleep(100);
        }
        double unavailable = meters.get("homer.api.database.unavailable").counter().count() - unavailableBefore;
        double onReads = meters.get("homer.api.auth.on.reads").counter().count() - onReadsBefore;
        System.out.printf("api failover: first write on the promoted node %d ms after the kill; searches %s, writes %s (status:"
                        + " count); 503s counted %.0f; authentications on the standby %.0f; refusals: %s%n",
                firstWriteAfter / 1_000_000, searches, writes, unavailable, onReads, refusals.stream().distinct().limit(5).toList());

        assertThat(firstWriteAfter).as("a write succeeded on the promoted node within %s; refusals: %s", SWITCH, refusals)
                .isPositive();
        assertThat(AutoFailoverCluster.acceptsWrites(cluster.b())).as("b was promoted").isTrue();
        assertThat(writes.keySet()).as("every write answered 201 or 503 (retry), never a 500").isSubsetOf(201, 503);
        assertThat(writes).as("writes refused while no node was primary").containsKey(503);
        // the authentication reads the session on the primary (so that one just ended counts at once); while no node
        // is primary, a search's is checked on the standby, and the search answers
        assertThat(searches.keySet()).as("every search answered with the call's messages; refusals: %s", refusals)
                .containsOnly(200);
        assertThat(onReads).as("searches authenticated on the standby while writes were refused").isPositive();
        assertThat(unavailable).as("each 503 counted").isEqualTo(writes.getOrDefault(503, 0).doubleValue());
        // after: the same rows and every acknowledged alias, on the promoted node
        assertThat(messageIds(search(admin))).isEqualTo(before);
        List<?> aliases = (List<?>) admin.get().uri("/api/v1/aliases").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("items");
        TreeSet<Integer> listed = new TreeSet<>();
        for (Object a : aliases) {
            String name = String.valueOf(((Map<?, ?>) a).get("alias"));
            if (name.startsWith("failover-")) {
                listed.add(Integer.parseInt(name.substring("failover-".length())));
            }
        }
        assertThat(listed).as("every alias acknowledged with a 201").containsAll(created);
    }

    /** A refusal while no node is primary: 503, {@code Retry-After: 2}, the message that says to retry. */
    @SuppressWarnings("rawtypes")
    private static void assertRetryLater(EntityExchangeResult<Map> refused) {
        assertThat(refused.getStatus().value()).as("%s %s: %s", refused.getMethod(), refused.getUrl().getPath(),
                refused.getResponseBody()).isEqualTo(503);
        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).as("Retry-After of a 503").isEqualTo("2");
        assertThat(String.valueOf(refused.getResponseBody().get("message"))).contains("database cannot be reached");
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static EntityExchangeResult<Map> search(WebTestClient admin) {
        return admin.get().uri(b -> b.path("/api/v1/messages").queryParam("callId", "{id}").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build(callId, from, to))
                .exchange().expectBody(Map.class).returnResult();
    }

    @SuppressWarnings("rawtypes")
    private static EntityExchangeResult<Map> createAlias(WebTestClient admin, int n) {
        return admin.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ip", "10.88." + n / 250 + "." + (n % 250 + 1), "alias", "failover-" + n))
                .exchange().expectBody(Map.class).returnResult();
    }

    @SuppressWarnings("rawtypes")
    private static List<String> messageIds(EntityExchangeResult<Map> search) {
        assertThat(search.getStatus().value()).as("search: %s", search.getResponseBody()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (Object item : (List<?>) search.getResponseBody().get("items")) {
            ids.add(String.valueOf(((Map<?, ?>) item).get("id")));
        }
        return ids;
    }
}
