package io.hepstack.api.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;


import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.hepstack.api.Fixture.ip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/stream/messages} against a real PostgreSQL, rows written by the collector's
 * {@link MessageWriter} (and, for a transaction held open, by plain JDBC) while the stream is open.
 */
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LiveStreamIT {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
    };
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestApp.database(registry, db);
        registry.add("homer.api.stream.poll-interval", () -> "100ms");
        registry.add("homer.api.stream.lookback", () -> "10m");
        registry.add("homer.api.stream.max-streams", () -> "4");
        registry.add("homer.api.stream.max-streams-per-user", () -> "2");
        registry.add("homer.api.stream.admin-reserve", () -> "1");
    }

    @Autowired
    WebTestClient anonymous;
    @Autowired
    LiveStreams streams;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ObjectMapper json;
    WebTestClient http;

    @BeforeEach
    void login() {
        anonymous = anonymous.mutate().responseTimeout(PATIENCE).build();
        http = Http.as(anonymous, Http.login(anonymous, "admin", TestApp.ADMIN_PASSWORD));
        // the partitions of today exist before any test holds a transaction open
        write(sip("INVITE", "warmup@test", "node-0", now()));
    }

    private Flux<ServerSentEvent<Map<String, Object>>> open(String query) {
        return http.get().uri("/api/v1/stream/messages" + query).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(EVENT).getResponseBody()
                .filter(e -> e.event() != null || "open".equals(e.comment())); // heartbeats aside
    }

    private static Predicate<ServerSentEvent<Map<String, Object>>> opened() {
        return e -> "open".equals(e.comment());
    }

    private static Predicate<ServerSentEvent<Map<String, Object>>> message(String callId, String method) {
        return e -> "message".equals(e.event()) && callId.equals(e.data().get("callId"))
                && java.util.Objects.equals(method, e.data().get("method")) && e.id() != null
                && e.id().equals(e.data().get("id"));
    }

    @Test
    @Order(1)
    void rowsStoredAfterTheStreamOpensArriveAsTheSearchShowsThem() {
        List<ServerSentEvent<Map<String, Object>>> got = new ArrayList<>();
        long t = now();
        double gone = closed("client_gone");
        StepVerifier.create(open("?callId=after-*"))
                .expectNextMatches(opened())
                .then(() -> write(sip("INVITE", "after-1@test", "node-1", t), sip("BYE", "after-1@test", "node-1", t + 1000)))
                .assertNext(got::add)
                .assertNext(got::add)
                .thenCancel()
                .verify(PATIENCE);
        assertThat(got).map(e -> e.data().get("method")).containsExactlyInAnyOrder("INVITE", "BYE");
        // each event's data is the item GET /api/v1/messages returns for that row
        List<Map<String, Object>> searched = searchItems("after-1@test");
        assertThat(got).map(ServerSentEvent::data).containsExactlyInAnyOrderElementsOf(searched);
        assertThat(got.get(0).data().keySet()).containsExactly("id", "timestamp", "callId", "correlationId", "method",
                "status", "cseq", "fromUser", "toUser", "ruriUser", "userAgent", "logLevel", "srcIp", "srcPort", "dstIp", "dstPort",
                "transport", "protoType", "captureId", "node", "size", "agentClockSkewMicros");
        // the client left: the server ends the stream, frees its slot and counts why
        awaitUntil(() -> closed("client_gone") == gone + 1 && streams.open() == 0);
    }

    /** Waits (at most {@link #PATIENCE}) for something the server does after the client has gone. */
    private static void awaitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", PATIENCE).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @Order(2)
    void rowsNotMatchingTheFiltersAreNotStreamed() {
        long t = now();
        StepVerifier.create(open("?callId=match-*&method=INVITE&node=node-a,node-b"))
                .expectNextMatches(opened())
                .then(() -> write(
                        sip("BYE", "match-1@test", "node-a", t),             // other method
                        sip("INVITE", "nomatch-1@test", "node-a", t + 1),    // other Call-ID
                        sip("INVITE", "match-2@test", "node-c", t + 2)))    // other node
                .then(() -> write(sip("INVITE", "match-3@test", "node-b", t + 3)))
                // ids grow: had any of the first three leaked, it would come before this one
                .expectNextMatches(message("match-3@test", "INVITE"))
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    @Order(2)
    void theFieldsOfAMessagesLadderFilterTheStreamToo() {
        long t = now();
        // Fixture.sipRequest: From tag a1, Via branch z9hG4bK-<micros>, 5060 to 5060 over UDP, capture agent 4001, CSeq 1
        StepVerifier.create(open("?fromTag=a1&viaBranch=z9hG4bK-" + (t + 2) + ",z9hG4bK-" + (t + 3)
                        + "&srcPort=5000-5100&dstPort=!5061&transport=udp&captureId=4001&cseq=1&toTag=!*"))
                .expectNextMatches(opened())
                .then(() -> write(
                        sip("INVITE", "fields-1@test", "node-a", t),           // other branch
                        sip("INVITE", "fields-2@test", "node-a", t + 1)))      // other branch
                .then(() -> write(sip("INVITE", "fields-3@test", "node-a", t + 2)))
                .expectNextMatches(message("fields-3@test", "INVITE"))
                .thenCancel()
                .verify(PATIENCE);
        http.get().uri("/api/v1/stream/messages?srcPort=65536").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isBadRequest()
                .expectBody(String.class).value(b -> assertThat(b).contains("srcPort: out of range"));
    }

    @Test
    @Order(3)
    void aRowCommittedLateWithAnOlderCaptureTimeStillArrives() throws Exception {
        long t = now();
        long older = t - 10L * 60 * 1_000_000;
        // the raw insert below creates no partition: the writer makes sure the one for `older` exists
        // (ten minutes ago can be yesterday's partition just after midnight UTC)
        write(sip("INVITE", "partition-of-older@test", "node-1", older)); // kind call, not matching late-*
        try (Connection late = db.openJdbc()) {
            late.setAutoCommit(false);
            StepVerifier.create(open("?callId=late-*"))
                    .expectNextMatches(opened())
                    .then(() -> insert(late, "late-1@test", older))                   // its id is handed out now...
                    .then(() -> write(sip("INVITE", "late-2@test", "node-1", t)))     // ...a higher id commits first
                    .expectNextMatches(message("late-2@test", "INVITE"))
                    .then(() -> commit(late))                                        // then the lower id, 10 min older
                    .expectNextMatches(message("late-1@test", "INVITE"))
                    .thenCancel()
                    .verify(PATIENCE);
        }
    }

    @Test
    @Order(4)
    void aClientResumesAfterTheLastEventItSaw() {
        long t = now();
        List<String> ids = new ArrayList<>();
        StepVerifier.create(open("?callId=resume-*"))
                .expectNextMatches(opened())
                .then(() -> write(sip("INVITE", "resume-1@test", "node-1", t)))
                .assertNext(e -> ids.add(e.id()))
                .thenCancel()
                .verify(PATIENCE);
        write(sip("INVITE", "resume-2@test", "node-1", t + 1));
        Flux<ServerSentEvent<Map<String, Object>>> resumed = http.get().uri("/api/v1/stream/messages?callId=resume-*")
                .accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", ids.get(0)).exchange()
                .expectStatus().isOk().returnResult(EVENT).getResponseBody().filter(e -> e.event() != null);
        StepVerifier.create(resumed)
                .expectNextMatches(message("resume-2@test", "INVITE"))
                .thenCancel()
                .verify(PATIENCE);
        http.get().uri("/api/v1/stream/messages").accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", "42")
                .exchange().expectStatus().isBadRequest().expectBody().returnResult();
    }

    @Test
    @Order(5)
    void badFiltersAndMissingTokensAreRefused() {
        http.get().uri("/api/v1/stream/messages?from=2026-01-01T00:00:00Z").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isBadRequest()
                .expectBody(String.class).value(b -> assertThat(b).contains("a stream starts now"));
        http.get().uri("/api/v1/stream/messages?status=abc").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isBadRequest().expectBody().returnResult();
        anonymous.get().uri("/api/v1/stream/messages").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        Http.as(anonymous, "not-a-token").get().uri("/api/v1/stream/messages").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isUnauthorized().expectBody().returnResult();
    }

    @Test
    @Order(6)
    void streamsEndCleanlyAtShutdown() {
        double before = closed("shutdown");
        StepVerifier.create(open("?callId=shutdown-*"))
                .expectNextMatches(opened())
                .then(streams::stop)
                .expectComplete()
                .verify(PATIENCE);
        assertThat(closed("shutdown")).isEqualTo(before + 1);
        streams.start();
    }

    /** Opens a stream as {@code client} and waits for its opening comment. */
    private reactor.core.Disposable hold(WebTestClient client) {
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
        reactor.core.Disposable d = client.get().uri("/api/v1/stream/messages?callId=cap-*").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(EVENT).getResponseBody()
                .subscribe(e -> opened.countDown());
        try {
            assertThat(opened.await(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return d;
    }

    private static void refused(WebTestClient client, String message) {
        client.get().uri("/api/v1/stream/messages").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("Retry-After", "10")
                // an error is JSON, not an event, even to a request that accepts text/event-stream only
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).value(b -> assertThat(b).contains("too_many_requests").contains(message));
    }

    @Test
    @Order(7)
    void oneUserCannotTakeEveryStreamAndAnAdminStillGetsOne() {
        awaitUntil(() -> streams.open() == 0);
        double before = meters.counter("homer.api.stream.refused").count();
        for (String name : List.of("viewer-1", "viewer-2")) {
            http.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", name, "password", "stream-password-1", "role", "viewer"))
                    .exchange().expectStatus().isCreated().expectBody(Void.class);
        }
        WebTestClient one = Http.as(anonymous, Http.login(anonymous, "viewer-1", "stream-password-1"));
        WebTestClient two = Http.as(anonymous, Http.login(anonymous, "viewer-2", "stream-password-1"));
        List<reactor.core.Disposable> held = new ArrayList<>();
        try {
            // one viewer's own bound (2): its third stream is refused, however many the replica has free
            held.add(hold(one));
            held.add(hold(one));
            refused(one, "too many live streams of yours on this replica (2)");
            // the replica's bound (4) less the admin's reserve (1): a third viewer stream is the last
            held.add(hold(two));
            refused(two, "too many live streams on this replica (4)");
            // an admin still gets the reserved one, then no more
            held.add(hold(http));
            refused(http, "too many live streams on this replica (4)");
            assertThat(streams.open()).isEqualTo(4);
            assertThat(meters.counter("homer.api.stream.refused").count()).isEqualTo(before + 3);
        } finally {
            held.forEach(reactor.core.Disposable::dispose);
        }
        awaitUntil(() -> streams.open() == 0);
        held.clear();
        held.add(hold(one)); // a closed stream gives its slot back
        held.forEach(reactor.core.Disposable::dispose);
        awaitUntil(() -> streams.open() == 0);
    }

    @Test
    @Order(8)
    void eventsAreFramedByteForByteAsTheUiReadsThem() throws JsonProcessingException {
        long t = now();
        Flux<String> text = http.get().uri("/api/v1/stream/messages?callId=framed-*").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(byte[].class).getResponseBody()
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .scan("", String::concat)
                .map(s -> s.replace(":heartbeat\n\n", ""));
        List<String> got = new ArrayList<>();
        StepVerifier.create(text.filter(s -> s.equals(":open\n\n") || s.contains("event:message") && s.endsWith("\n\n")))
                .expectNext(":open\n\n")
                .then(() -> write(sip("INVITE", "framed-1@test", "node-1", t)))
                .assertNext(got::add)
                .thenCancel()
                .verify(PATIENCE);
        // the data is the item GET /api/v1/messages returns, written the same way, on one line
        Map<String, Object> item = searchItems("framed-1@test").get(0);
        assertThat(got).containsExactly(":open\n\n" + "id:" + item.get("id") + "\nevent:message\ndata:"
                + json.writeValueAsString(item) + "\n\n");
    }

    private double closed(String reason) {
        return meters.counter("homer.api.stream.closed", "reason", reason).count();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> searchItems(String callId) {
        Instant now = Instant.now();
        Map<String, Object> page = http.get().uri(b -> b.path("/api/v1/messages").queryParam("callId", callId)
                        .queryParam("from", now.minus(1, ChronoUnit.HOURS).toEpochMilli())
                        .queryParam("to", now.plus(1, ChronoUnit.HOURS).toEpochMilli()).build())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) page.get("items");
    }

    private static long now() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static void write(CapturedMessage... rows) {
        new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), Clock.systemUTC()).write(List.of(rows)).block();
    }

    private static CapturedMessage sip(String method, String callId, String node, long micros) {
        return Fixture.sipRequest(method, callId, node, micros);
    }

    /** An INVITE row inserted in {@code c}'s open transaction: its id is taken now, visible at commit. */
    private static void insert(Connection c, String callId, long micros) {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO messages (ts, kind, capture_id, node, proto_type, "
                + "ip_family, transport, src_ip, src_port, dst_ip, dst_port, call_id, correlation_id, method, parsed, "
                + "payload_text) VALUES (?, 'call', 4001, 'node-1', 1, 2, 17, '10.9.0.1', 5060, '10.9.0.2', 5060, ?, ?, "
                + "'INVITE', true, ?)")) {
            s.setObject(1, OffsetDateTime.ofInstant(Fixture.instant(micros), ZoneOffset.UTC));
            s.setString(2, callId);
            s.setString(3, callId);
            s.setString(4, "INVITE sip:bob@10.9.0.2 SIP/2.0\r\nCall-ID: " + callId + "\r\n\r\n");
            s.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void commit(Connection c) {
        try {
            c.commit();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
