package io.hepstack.api.store;

import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.api.web.Times;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.model.CapturedMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * homer-api with a read configuration on a hot standby of Debian's PostgreSQL 15 ({@link StreamingReplica}):
 * the reads of captured traffic run on the standby and the API's own writes on the primary, counted per node
 * with {@code pg_stat_statements}; the replay lag is a gauge and a header of the reads; a flow the paused
 * standby has not replayed is read on the primary instead of answering 404; a live stream polls the standby and
 * streams what the primary stores once it is replayed, each row once.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"homer.api.read.lag-interval=200ms", "homer.api.stream.poll-interval=100ms"})
class ReadReplicaIT {

    /** Statements on captured traffic: every search, flow and statistic reads the messages table. */
    private static final String READS_OF_MESSAGES = "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
            + " WHERE query ILIKE '%FROM messages%' AND query NOT ILIKE '%pg_stat_statements%'";
    /** The live stream's mark ({@code LiveQuery.topSql}) and polls. */
    private static final String STREAM_POLLS = "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
            + " WHERE query ILIKE '%max(id)%FROM messages%' AND query NOT ILIKE '%pg_stat_statements%'";
    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
    };
    private static final String ALIAS_INSERTS = "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
            + " WHERE query ILIKE 'INSERT INTO homer_api.aliases%'";

    private static StreamingReplica pair;
    private static List<CapturedMessage> kamailio;
    private static String from;
    private static String to;

    @Autowired
    private WebTestClient client;
    @Autowired
    private MeterRegistry meters;
    private WebTestClient admin;

    @DynamicPropertySource
    static void databases(DynamicPropertyRegistry registry) throws Exception {
        pair = StreamingReplica.start();
        kamailio = Fixture.kamailio();
        ConnectionPool primary = Nodes.pool(pair.primaryUrl());
        try {
            Fixture.store(primary, kamailio);
        } finally {
            primary.dispose();
        }
        long first = kamailio.stream().mapToLong(m -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = kamailio.stream().mapToLong(m -> m.envelope().timestampMicros()).max().orElseThrow();
        from = Times.format(Fixture.instant(first));
        to = Times.format(Fixture.instant(last + 1));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                StreamingReplica.query(pair.openStandby(), "SELECT count(*) FROM messages") == kamailio.size());
        Nodes.wire(registry, pair::primaryUrl, pair::readUrl);
    }

    @AfterAll
    static void stopDatabases() throws Exception {
        pair.close();
    }

    @BeforeEach
    void login() {
        WebTestClient patient = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        admin = Http.as(patient, Http.login(patient, "admin", TestApp.ADMIN_PASSWORD));
    }

    @Test
    void readsOfCapturedTrafficRunOnTheStandbyAndWritesOnThePrimary() throws Exception {
        StreamingReplica.execute(pair.openPrimary(), "SELECT pg_stat_statements_reset()");
        StreamingReplica.execute(pair.openStandby(), "SELECT pg_stat_statements_reset()");
        String callId = kamailio.stream().map(CapturedMessage::callId).filter(java.util.Objects::nonNull).findFirst().orElseThrow();

        String lag = admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "{f}").queryParam("to", "{t}").build(from, to))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseHeaders().getFirst(ReadRoutingFilter.LAG_HEADER);
        assertThat(lag).as("the reads' lag header").matches("unknown|\\d+\\.\\d{3}");
        admin.get().uri(b -> b.path("/api/v1/calls").queryParam("from", "{f}").queryParam("to", "{t}").build(from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class);
        // a filtered list: planned for its values, in a read-only transaction of its own (ValuePlans), on the standby too
        admin.get().uri(b -> b.path("/api/v1/calls").queryParam("from", "{f}").queryParam("to", "{t}")
                        .queryParam("fromUser", "!nobody").build(from, to))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.items").isNotEmpty();
        Map<?, ?> flow = admin.get().uri(b -> b.path("/api/v1/calls/-/flow").queryParam("callId", "{id}")
                        .queryParam("from", "{f}").queryParam("to", "{t}").build(callId, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) flow.get("messages")).isNotEmpty();
        admin.get().uri(b -> b.path("/api/v1/stats/volume").queryParam("from", "{f}").queryParam("to", "{t}").build(from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class);
        admin.post().uri("/api/v1/aliases").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ip", "10.77.0.1", "alias", "replica-test"))
                .exchange().expectStatus().isCreated().expectBody(Map.class);

        long standbyReads = StreamingReplica.query(pair.openStandby(), READS_OF_MESSAGES);
        long primaryReads = StreamingReplica.query(pair.openPrimary(), READS_OF_MESSAGES);
        long primaryWrites = StreamingReplica.query(pair.openPrimary(), ALIAS_INSERTS);
        System.out.printf("reads of messages: standby %d, primary %d; alias inserts on the primary: %d%n",
                standbyReads, primaryReads, primaryWrites);
        assertThat(standbyReads).as("statements on messages run on the standby").isGreaterThanOrEqualTo(4);
        assertThat(primaryReads).as("statements on messages run on the primary").isZero();
        assertThat(primaryWrites).as("the alias is written on the primary").isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Double.isNaN(meters.get("homer.api.replica.lag").gauge().value()));
    }

    @Test
    void aLiveStreamPollsTheStandbyAndStreamsEachRowThePrimaryStoresOnceItIsReplayed() throws Exception {
        StreamingReplica.execute(pair.openPrimary(), "SELECT pg_stat_statements_reset()");
        StreamingReplica.execute(pair.openStandby(), "SELECT pg_stat_statements_reset()");
        long t = java.time.Instant.now().toEpochMilli() * 1000;
        List<ServerSentEvent<Map<String, Object>>> got = new java.util.ArrayList<>();
        Flux<ServerSentEvent<Map<String, Object>>> stream = admin.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                .get().uri("/api/v1/stream/messages?callId=live-on-standby-*").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(EVENT).getResponseBody()
                .filter(e -> e.event() != null || "open".equals(e.comment()));
        StepVerifier.create(stream)
                .expectNextMatches(e -> "open".equals(e.comment()))
                .then(() -> {
                    // two batches of the collectors, the second paused on the standby for a while: replayed late, in order
                    store(List.of(Fixture.sipRequest("INVITE", "live-on-standby-1@test", "replica-node", t)));
                    onStandby("SELECT pg_wal_replay_pause()");
                    store(List.of(Fixture.sipRequest("INVITE", "live-on-standby-2@test", "replica-node", t + 1000),
                            Fixture.sipRequest("BYE", "live-on-standby-2@test", "replica-node", t + 2000)));
                    sleep(1500);
                    onStandby("SELECT pg_wal_replay_resume()");
                })
                .recordWith(() -> got).expectNextCount(3)
                .thenCancel()
                .verify(Duration.ofSeconds(60));
        assertThat(got).map(e -> e.data().get("callId") + " " + e.data().get("method")).containsExactly(
                "live-on-standby-1@test INVITE", "live-on-standby-2@test INVITE", "live-on-standby-2@test BYE");
        assertThat(StreamingReplica.query(pair.openStandby(), STREAM_POLLS)).as("the stream's marks on the standby").isPositive();
        assertThat(StreamingReplica.query(pair.openPrimary(), STREAM_POLLS)).as("none on the primary").isZero();
    }

    private static void store(List<CapturedMessage> rows) {
        ConnectionPool primary = Nodes.pool(pair.primaryUrl());
        try {
            Fixture.store(primary, rows);
        } finally {
            primary.dispose();
        }
    }

    private static void onStandby(String sql) {
        try {
            StreamingReplica.execute(pair.openStandby(), sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFlowTheStandbyHasNotReplayedIsReadOnThePrimary() throws Exception {
        StreamingReplica.execute(pair.openStandby(), "SELECT pg_wal_replay_pause()");
        try {
            long at = kamailio.stream().mapToLong(m -> m.envelope().timestampMicros()).max().orElseThrow() + 5_000_000L;
            ConnectionPool primary = Nodes.pool(pair.primaryUrl());
            try {
                Fixture.store(primary, List.of(Fixture.sipRequest("INVITE", "younger-than-the-lag@test", "replica-node", at)));
                // its record, as a collector's pass keeps it
                new CallRecordStore(primary, Clock.systemUTC(), CallRecordStore.Settings.DEFAULTS)
                        .rebuild(Fixture.instant(at - 1_000_000), Fixture.instant(at + 1_000_000)).block(Duration.ofSeconds(30));
            } finally {
                primary.dispose();
            }
            assertThat(StreamingReplica.query(pair.openStandby(),
                    "SELECT count(*) FROM messages WHERE call_id = 'younger-than-the-lag@test'")).as("not on the standby yet").isZero();
            double fallbacksBefore = meters.get("homer.api.reads.fallback").counter().count();

            Map<?, ?> flow = admin.get().uri(b -> b.path("/api/v1/calls/-/flow").queryParam("callId", "{id}")
                            .queryParam("from", "{f}").queryParam("to", "{t}")
                            .build("younger-than-the-lag@test", from, Times.format(Fixture.instant(at + 1))))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

            assertThat((List<?>) flow.get("messages")).hasSize(1);
            assertThat(meters.get("homer.api.reads.fallback").counter().count()).isEqualTo(fallbacksBefore + 1);
            // the message's detail and the call's record, which the standby lacks too
            String id = (String) ((Map<?, ?>) ((List<?>) flow.get("messages")).get(0)).get("id");
            admin.get().uri("/api/v1/messages/{id}", id).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.callId").isEqualTo("younger-than-the-lag@test");
            admin.get().uri(b -> b.path("/api/v1/calls/-").queryParam("callId", "{id}").build("younger-than-the-lag@test"))
                    .exchange().expectStatus().isOk().expectBody().jsonPath("$.callId").isEqualTo("younger-than-the-lag@test");
            assertThat(meters.get("homer.api.reads.fallback").counter().count()).isEqualTo(fallbacksBefore + 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> meters.get("homer.api.replica.lag").gauge().value() > 0);
        } finally {
            StreamingReplica.execute(pair.openStandby(), "SELECT pg_wal_replay_resume()");
        }
    }
}
