package io.hepstack.api.abuse;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.pcap.PcapMessage;
import io.hepstack.proto.pcap.PcapWriter;
import io.hepstack.proto.pcap.Transport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded abuse run on the loopback (docs/operations.md, "Limits"): parallel logins, idle TCP connections,
 * live-stream slots (refusals read, and left while they are written), a gzip bomb in an import, uploads beyond
 * the import's size, and oversized flows asked for in parallel, each a fixed number of requests. Throughout, a normal user's requests are answered, no refusal is a
 * 500, and the heap's live set (measured after a full collection every 250 ms) grows by less than
 * {@link #LIVE_GROWTH}. Without the flow bounds (max-bytes, max-concurrent-per-user) it fails: the 20 MB call's
 * flow is answered whole.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "homer.api.flow.max-bytes=2MB", "homer.api.stream.max-streams-per-user=2",
        "homer.api.import.max-size=1MB", "homer.api.import.max-inflated-size=3MB",
        "homer.api.import.max-bytes-per-user=4MB"})
class AbuseIT extends AdminApiIT {

    static final long LIVE_GROWTH = 200L << 20;
    static final String PASSWORD = "abuse-test-password-1";
    static final String BIG_CALL = "abuse-big@test";
    static final String SMALL_CALL = "abuse-small@test";
    static final int BIG_PAYLOAD = 256 * 1024;
    static String from;
    static String to;

    @LocalServerPort
    int port;

    @BeforeAll
    static void storeAHugeCallAndASmallOne() {
        long t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toEpochMilli() * 1000;
        List<CapturedMessage> rows = new ArrayList<>();
        for (int i = 0; i < 80; i++) { // 20 MB of payloads in one call
            rows.add(padded(BIG_CALL, t0 + i * 1000L, BIG_PAYLOAD));
        }
        rows.add(padded(SMALL_CALL, t0 + 100_000, 600));
        Fixture.store(db.connectionFactory(), rows);
        from = Times.format(Fixture.instant(t0 - 1_000_000));
        to = Times.format(Fixture.instant(t0 + 1_000_000));
    }

    @Test
    void aBoundedAttackLeavesTheServiceServingANormalUserWithinItsMemory() throws Exception {
        account("abuser", "user");
        account("normal", "viewer");
        account("victim", "viewer");
        String abuserToken = Http.login(anonymous, "abuser", PASSWORD);
        WebTestClient abuser = Http.as(anonymous, abuserToken);
        WebTestClient normal = Http.as(anonymous, Http.login(anonymous, "normal", PASSWORD));
        long baseline = liveHeap();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean attacking = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (attacking.get()) {
                peak.accumulateAndGet(liveHeap(), Math::max);
                sleep(250);
            }
        }, "abuse-heap-sampler");
        sampler.start();
        try {
            parallelLogins();
            servesTheNormalUser(normal);
            idleConnections(normal);
            streamSlots(abuser, abuserToken, normal);
            importBombs(abuser);
            oversizedUploads(abuser);
            servesTheNormalUser(normal);
            oversizedFlows(abuser, normal);
            servesTheNormalUser(normal);
        } finally {
            attacking.set(false);
            sampler.join();
        }
        System.out.printf("AbuseIT: live heap %d MB before the attack, at most %d MB during it%n", baseline >> 20, peak.get() >> 20);
        assertThat(peak.get() - baseline).as("live heap growth during the attack, bytes").isLessThan(LIVE_GROWTH);
    }

    /** 30 wrong passwords at once for one account: each refused with 401 or 429, never more. */
    private void parallelLogins() {
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        Flux.range(0, 30).flatMap(i -> anonymous.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("username", "victim", "password", "wrong-password-" + i)).exchange()
                        .returnResult(String.class).getResponseBody().then(reactor.core.publisher.Mono.just(i))
                        .onErrorResume(e -> reactor.core.publisher.Mono.just(i)), 30)
                .blockLast(Duration.ofMinutes(2));
        for (int i = 0; i < 3; i++) {
            statuses.add(anonymous.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", "victim", "password", "wrong-password")).exchange()
                    .expectBody(String.class).returnResult().getStatus().value());
        }
        assertThat(statuses).isSubsetOf(401, 429).contains(429);
    }

    /** 200 TCP connections that never send a byte, open while the normal user works. */
    private void idleConnections(WebTestClient normal) throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                idle.add(s);
            }
            servesTheNormalUser(normal);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    /**
     * The abuser takes its live-stream slots and asks for more, 5 times reading the refusal and 50 times leaving
     * while it is written; the normal user still gets one.
     */
    private void streamSlots(WebTestClient abuser, String abuserToken, WebTestClient normal) throws Exception {
        List<Disposable> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(stream(abuser));
            }
            for (int i = 0; i < 5; i++) {
                abuser.get().uri("/api/v1/stream/messages").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                        .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS).expectBody(String.class)
                        .value(b -> assertThat(b).contains("too_many_requests"));
            }
            for (int i = 0; i < 50; i++) {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                    client.setSoLinger(true, 0); // leaves with a reset
                    client.getOutputStream().write(("GET /api/v1/stream/messages HTTP/1.1\r\nHost: localhost\r\n"
                            + "Authorization: Bearer " + abuserToken + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
            }
            held.add(stream(normal));
            servesTheNormalUser(normal);
        } finally {
            held.forEach(Disposable::dispose);
        }
    }

    private static Disposable stream(WebTestClient client) {
        return client.get().uri("/api/v1/stream/messages?callId=nothing-*").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseBody().subscribe(e -> { }, e -> { });
    }

    /** A capture of gzip payloads that inflate far beyond the bounds. */
    private void importBombs(WebTestClient abuser) throws Exception {
        List<PcapMessage> frames = new ArrayList<>();
        InetAddress agent = InetAddress.getByName("192.0.2.10");
        InetAddress collector = InetAddress.getByName("192.0.2.20");
        long t0 = Instant.now().minus(2, ChronoUnit.HOURS).toEpochMilli() * 1000;
        for (int i = 0; i < 60; i++) {
            byte[] payload = new byte[i < 50 ? 200_000 : 1 << 20];
            byte[] sip = ("MESSAGE sip:bomb@x SIP/2.0\r\nCall-ID: abuse-bomb-" + i + "@x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(sip, 0, payload, 0, sip.length);
            HepPacket hep = HepPacket.builder().addresses(agent, 5060, collector, 5060).ipProto(17).timestampMicros(t0 + i)
                    .protoType(1).captureId(7).node("bomb-agent").payload(payload).compressed(true).build();
            frames.add(new PcapMessage(t0 + i, agent, 40000, collector, 9060, Transport.UDP, HepEncoder.encode(hep)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter.write(out, frames);
        Map<String, Object> result = upload(abuser, out.toByteArray()).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(String.valueOf(result.get("skipped"))).contains("inflated_beyond_import_limit").contains("hep_payload_too_large");
    }

    /**
     * Uploads of twice max-size, sent without a length: each refused with 413 once the bound is crossed, until what
     * was read of them reaches the abuser's bytes per hour (max-bytes-per-user): then 429 before anything is read.
     */
    private void oversizedUploads(WebTestClient abuser) {
        byte[] big = new byte[2 << 20];
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            var result = upload(abuser, big).expectBody(Map.class).returnResult();
            statuses.add(result.getStatus().value());
            if (result.getStatus().value() == 429) {
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotNull();
                assertThat(String.valueOf(result.getResponseBody().get("message"))).contains("max-bytes-per-user");
            }
        }
        assertThat(statuses).as("statuses of the uploads in turn").startsWith(413, 413, 413).endsWith(429, 429)
                .containsOnly(413, 429);
    }

    private static WebTestClient.ResponseSpec upload(WebTestClient client, byte[] file) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(file) {
            @Override
            public String getFilename() {
                return "bombs.pcap";
            }
        });
        return client.post().uri("/api/v1/import/pcap").contentType(MediaType.MULTIPART_FORM_DATA)
                .bodyValue(form.build()).exchange();
    }

    /** Three rounds of 16 requests at once for a 20 MB call's flow and exports by one user. */
    private void oversizedFlows(WebTestClient attacker, WebTestClient normal) {
        WebTestClient abuser = attacker.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20)).build();
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 3; round++) {
            Flux.range(0, 16).flatMap(i -> abuser.get().uri(b -> b.path("/api/v1/calls/{id}/" + (i % 2 == 0 ? "flow" : "text"))
                                    .queryParam("from", "{f}").queryParam("to", "{t}").build(BIG_CALL, from, to))
                            .exchange().returnResult(byte[].class).getResponseBody().then()
                            .onErrorResume(e -> reactor.core.publisher.Mono.empty())
                            .then(reactor.core.publisher.Mono.just(i)), 16)
                    .blockLast(Duration.ofMinutes(2));
            servesTheNormalUser(normal);
        }
        for (int i = 0; i < 4; i++) {
            statuses.add(abuser.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                            .queryParam("to", "{t}").build(BIG_CALL, from, to))
                    .exchange().expectBody(Map.class).returnResult().getStatus().value());
        }
        assertThat(statuses).isSubsetOf(200, 429).contains(200);
        Map<String, Object> flow = abuser.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build(BIG_CALL, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(flow).containsEntry("truncatedBy", "bytes");
    }

    private static void servesTheNormalUser(WebTestClient normal) {
        normal.get().uri("/api/v1/auth/me").exchange().expectStatus().isOk().expectBody(Void.class);
        normal.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build(SMALL_CALL, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class)
                .value(f -> assertThat((List<?>) f.get("messages")).hasSize(1));
    }

    private void account(String name, String role) {
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", name, "password", PASSWORD, "role", role))
                .exchange().expectStatus().isCreated().expectBody(Void.class);
    }

    /** The heap in use after a full collection: what is live. */
    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CapturedMessage padded(String callId, long micros, int size) {
        return Fixture.paddedSip(callId, micros, size, "abuse-node");
    }
}
