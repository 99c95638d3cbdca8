package io.hepstack.api.stream;

import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.proto.testing.NettyLeaks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live-stream clients that leave while their events wait to be written, against a real PostgreSQL and the real
 * Netty server: no buffer of theirs may be left unreleased (docs/architecture.md, "The live stream and Netty
 * buffers"). Each client stops reading after the opening comment, behind a slow link (the server's socket takes
 * 2 KB), so that its stream's writer stops between two events until the stream ends as {@code slow_client};
 * then the clients leave. With events whose data Spring's SSE writer encodes into a pooled buffer, most of
 * these clients left one such buffer behind, which Netty (paranoid detection, a forced collection) reports.
 *
 * <p>Netty reports a leak once per JVM for each distinct trace of it: a second leaked buffer of the same
 * code path is not reported again, so a leak this test provokes after an earlier test's shows only there.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamLeakIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** One account's streams (max-streams-per-user). */
    private static final int CLIENTS = 5;
    /** Far more events than a stalled stream's writer, pipeline and buffer hold. */
    private static final int ROWS = 300;
    /** Refused clients that leave at once. */
    private static final int REFUSED = 200;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestApp.database(registry, db);
        registry.add("homer.api.stream.poll-interval", () -> "100ms");
        // a poll never overflows the buffer by itself: it overflows once the writer has stopped taking events
        registry.add("homer.api.stream.rows-per-poll", () -> "20");
        registry.add("homer.api.stream.buffer", () -> "20");
    }

    /** A slow link: the server's socket holds a few kilobytes, so a client that stops reading stalls its writer. */
    @TestConfiguration
    static class SlowLink {
        @Bean
        NettyServerCustomizer smallSendBuffer() {
            return server -> server.childOption(ChannelOption.SO_SNDBUF, 2048);
        }
    }

    @Autowired
    WebTestClient anonymous;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    @Test
    void clientsLeavingWhileTheirEventsWaitToBeWrittenLeaveNoBufferBehind() throws IOException {
        String token = Http.login(anonymous, "admin", TestApp.ADMIN_PASSWORD);
        int leaksBefore = NettyLeaks.count();
        double slowBefore = closed("slow_client");
        long streamsBefore = streamRequests();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(open(token, "leave-*"));
            }
            long t = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            List<CapturedMessage> rows = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                rows.add(Fixture.sipRequest("INVITE", "leave-" + i + "@test", "node-1", t + i));
            }
            new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), Clock.systemUTC()).write(rows).block();
            // every stream's writer has stopped, its buffer overflowed: the server ended each stream's events
            awaitUntil(() -> closed("slow_client") == slowBefore + CLIENTS);
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }
        // the server saw every client go (the request ends when its connection closes)
        awaitUntil(() -> streamRequests() == streamsBefore + CLIENTS);
        NettyLeaks.collect();
        List<String> leaks = NettyLeaks.take(leaksBefore);
        assertThat(leaks).as("Netty reported %d leaked buffer(s) of %d clients that left:%n%s", leaks.size(), CLIENTS,
                String.join("\n", leaks)).isEmpty();
    }

    /**
     * Clients refused a stream (429: the account's streams are all taken) that leave while the refusal is written:
     * the refusal leaves no buffer behind. Each asks and closes its connection at once, so that the server writes
     * its answer to a client that is going or gone.
     */
    @Test
    void refusedClientsLeavingWhileTheRefusalIsWrittenLeaveNoBufferBehind() throws Exception {
        String token = Http.login(anonymous, "admin", TestApp.ADMIN_PASSWORD);
        List<Socket> held = new ArrayList<>();
        int leaksBefore = NettyLeaks.count();
        double refusedBefore = meters.counter("homer.api.stream.refused").count();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                held.add(open(token, "nothing-*"));
            }
            for (int i = 0; i < REFUSED; i++) {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("127.0.0.1", port));
                    client.setSoLinger(true, 0); // leaves with a reset, as a closed tab does
                    client.getOutputStream().write(("GET /api/v1/stream/messages?callId=nothing-* HTTP/1.1\r\n"
                            + "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token + "\r\n"
                            + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    if (i % 2 == 1) {
                        client.getInputStream().read(); // the answer has started
                    }
                }
            }
            awaitUntil(() -> meters.counter("homer.api.stream.refused").count() >= refusedBefore + REFUSED / 2.0);
        } finally {
            for (Socket client : held) {
                client.close();
            }
        }
        Thread.sleep(500);
        NettyLeaks.collect();
        List<String> leaks = NettyLeaks.take(leaksBefore);
        assertThat(leaks).as("Netty reported %d leaked buffer(s) of refused clients that left:%n%s", leaks.size(),
                String.join("\n", leaks)).isEmpty();
    }

    /**
     * A client of the stream with a receive buffer of 1 KB that has read up to the opening comment and reads
     * no more.
     */
    private Socket open(String token, String callIds) throws IOException {
        Socket client = new Socket();
        client.setReceiveBufferSize(1024);
        client.connect(new InetSocketAddress("127.0.0.1", port));
        client.getOutputStream().write(("GET /api/v1/stream/messages?callId=" + callIds + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token + "\r\n"
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = client.getInputStream();
        StringBuilder seen = new StringBuilder();
        byte[] chunk = new byte[256];
        while (seen.indexOf("\r\n\r\n") < 0 || seen.indexOf(":open\n\n") < 0) {
            int n = in.read(chunk);
            assertThat(n).as("the response ended before its opening comment: %s", seen).isPositive();
            seen.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
        }
        assertThat(seen.toString()).startsWith("HTTP/1.1 200 ");
        return client;
    }

    private double closed(String reason) {
        return meters.counter("homer.api.stream.closed", "reason", reason).count();
    }

    /** Requests of the stream that have ended, whatever their outcome. */
    private long streamRequests() {
        return meters.find("http.server.requests").tag("uri", "/api/v1/stream/messages").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    /** Waits (at most {@link #PATIENCE}) for something the server does on its own. */
    private static void awaitUntil(BooleanSupplier condition) {
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
}
