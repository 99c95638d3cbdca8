package io.hepstack.ingest;

import io.hepstack.ingest.listen.HepListeners;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The collector (Spring context as deployed) against a PostgreSQL of its own that is stopped and
 * started again under load, or absent at start: nothing accepted over TCP is lost or stored twice,
 * and over UDP every datagram is stored or counted as dropped.
 */
class PostgresOutageIT {

    private static final int ROUNDS = 10;
    private static final int SENT = ROUNDS * KamailioCapture.MESSAGES;

    private static DedicatedPostgres pg;
    private ConfigurableApplicationContext app;

    @BeforeAll
    static void startPostgres() {
        pg = DedicatedPostgres.onFreePort();
        pg.start();
    }

    @AfterAll
    static void removePostgres() throws Exception {
        pg.close();
    }

    @BeforeEach
    void emptyDatabase() throws Exception {
        pg.start();
        try (Connection c = pg.openJdbc(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }

    @AfterEach
    void stopCollector() {
        if (app != null) {
            app.close();
        }
    }

    private ConfigurableApplicationContext startCollector(Map<String, Object> overrides) {
        Map<String, Object> p = new HashMap<>(Map.of(
                "server.port", "0", "server.address", "127.0.0.1",
                "homer.ingest.udp.host", "127.0.0.1", "homer.ingest.udp.port", "0",
                "homer.ingest.tcp.host", "127.0.0.1", "homer.ingest.tcp.port", "0",
                "spring.r2dbc.url", pg.r2dbcUrl(), "spring.r2dbc.username", "postgres",
                "homer.ingest.writer.retry-initial-backoff", "50ms",
                "homer.ingest.writer.retry-max-backoff", "500ms"));
        p.putAll(overrides);
        // as command-line arguments: they win over application.yml (builder properties would not)
        app = new SpringApplicationBuilder(HepIngestApplication.class)
                .run(p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        return app;
    }

    private double count(String name, String... tags) {
        return app.getBean(MeterRegistry.class).find(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** What the collector counted, for a failure's message. */
    private String accounts() {
        MeterRegistry r = app.getBean(MeterRegistry.class);
        StringBuilder b = new StringBuilder("stored + dropped of " + SENT + " sent:");
        for (String name : List.of("hep.packets.received", "hep.messages.stored", "hep.packets.dropped",
                "hep.packets.rejected", "hep.batch.failures")) {
            r.find(name).counters().forEach(c -> b.append(' ').append(name).append(c.getId().getTags())
                    .append('=').append((long) c.count()));
        }
        r.find("hep.queue.depth").gauges().forEach(g -> b.append(" hep.queue.depth").append(g.getId().getTags())
                .append('=').append((long) g.value()));
        return b.toString();
    }

    private int readiness() throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    private static Map<String, Long> storedPerCallId() throws SQLException {
        Map<String, Long> stored = new TreeMap<>();
        try (Connection c = pg.openJdbc(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(call_id, 'null'), count(*) FROM messages GROUP BY 1")) {
            while (r.next()) {
                stored.put(r.getString(1), r.getLong(2));
            }
        }
        return stored;
    }

    private static long query(String sql) throws SQLException {
        try (Connection c = pg.openJdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Map<String, Long> expected(List<List<byte[]>> rounds) {
        Map<String, Long> all = new TreeMap<>();
        rounds.forEach(r -> KamailioCapture.callIdCounts(r).forEach((k, v) -> all.merge(k, v, Long::sum)));
        return all;
    }

    private static List<List<byte[]>> rounds() {
        List<List<byte[]>> rounds = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            rounds.add(KamailioCapture.round(r));
        }
        return rounds;
    }

    private static void writeStream(OutputStream out, byte[] stream) throws Exception {
        for (int pos = 0; pos < stream.length; pos += 1400) {
            out.write(stream, pos, Math.min(1400, stream.length - pos));
        }
        out.flush();
    }

    @Test
    void storesEveryTcpMessageExactlyOnceWhenPostgresStopsAndStartsAgainDuringTheLoad() throws Exception {
        startCollector(Map.of(
                "homer.ingest.pipeline.queue-capacity", "2048",
                "homer.ingest.pipeline.pause-above", "1024",
                "homer.ingest.pipeline.resume-below", "256",
                "homer.ingest.pipeline.batch-size", "200",
                "homer.ingest.writer.buffered-batches", "4"));
        // every migration applied (the settings are published after them), not only the ledger's: PostgreSQL stopped in
        // the middle of a migration can leave it applied but unrecorded (docs/operations.md, "Migrations")
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> query("SELECT count(*) FROM ingest_settings") == 1);
        List<List<byte[]>> rounds = rounds();
        InetSocketAddress tcp = app.getBean(HepListeners.class).tcpAddress();
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try (Socket s = new Socket(tcp.getAddress(), tcp.getPort())) {
                for (List<byte[]> round : rounds) {
                    writeStream(s.getOutputStream(), KamailioCapture.stream(round));
                    Thread.sleep(400);
                }
            } catch (Throwable e) {
                senderFailure.set(e);
            }
        }, "hep-sender");
        sender.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> count("hep.messages.stored") >= 2 * KamailioCapture.MESSAGES);
        pg.stop();
        Thread.sleep(3000);
        double storedWhileDown = count("hep.messages.stored");
        pg.start();
        sender.join(120_000);
        assertThat(senderFailure.get()).isNull();

        await().atMost(Duration.ofSeconds(90)).until(() -> count("hep.messages.stored") >= SENT);
        assertThat(storedWhileDown).as("the outage held messages back").isLessThan(SENT);
        assertThat(count("hep.batch.failures")).as("writes failed during the outage").isPositive();
        assertThat(count("hep.packets.received", "transport", "tcp")).isEqualTo(SENT);
        assertThat(count("hep.messages.stored")).isEqualTo(SENT);
        assertThat(count("hep.packets.dropped")).isZero();
        assertThat(count("hep.packets.rejected")).isZero();
        assertThat(storedPerCallId()).as("every message stored exactly once").isEqualTo(expected(rounds));
        assertThat(query("SELECT sum(rows) FROM ingest_batches")).as("the ledger agrees").isEqualTo(SENT);
    }

    @Test
    void startsWithoutPostgresNotReadyThenReadyAndStoresWhatTcpSentMeanwhile() throws Exception {
        pg.stop();
        startCollector(Map.of());
        assertThat(readiness()).isEqualTo(503);
        List<List<byte[]>> round = List.of(KamailioCapture.round(42));
        InetSocketAddress tcp = app.getBean(HepListeners.class).tcpAddress();
        try (Socket s = new Socket(tcp.getAddress(), tcp.getPort())) {
            writeStream(s.getOutputStream(), KamailioCapture.stream(round.get(0)));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> count("hep.packets.received") == KamailioCapture.MESSAGES);
            Thread.sleep(1000);
            assertThat(readiness()).isEqualTo(503);
            assertThat(count("hep.messages.stored")).isZero();

            pg.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> readiness() == 200);
            await().atMost(Duration.ofSeconds(90)).until(() -> count("hep.messages.stored") >= KamailioCapture.MESSAGES);
        }
        assertThat(count("hep.messages.stored")).isEqualTo(KamailioCapture.MESSAGES);
        assertThat(count("hep.packets.dropped")).isZero();
        assertThat(storedPerCallId()).isEqualTo(expected(round));
    }

    @Test
    void countsEveryUdpDatagramAsStoredOrDroppedWhenPostgresCannotKeepUp() throws Exception {
        startCollector(Map.of(
                "homer.ingest.pipeline.queue-capacity", "16",
                "homer.ingest.pipeline.pause-above", "12",
                "homer.ingest.pipeline.resume-below", "4",
                "homer.ingest.pipeline.batch-size", "4",
                "homer.ingest.writer.concurrency", "1",
                "homer.ingest.writer.buffered-batches", "1"));
        // every migration applied (the settings are published after them), not only the ledger's: PostgreSQL stopped in
        // the middle of a migration can leave it applied but unrecorded (docs/operations.md, "Migrations")
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> query("SELECT count(*) FROM ingest_settings") == 1);
        List<List<byte[]>> rounds = rounds();
        InetSocketAddress udp = app.getBean(HepListeners.class).udpAddress();
        try (DatagramSocket s = new DatagramSocket()) {
            for (int r = 0; r < ROUNDS; r++) {
                if (r == ROUNDS / 2) {
                    pg.stop(); // overload: half the load finds the database gone
                }
                for (byte[] d : rounds.get(r)) {
                    s.send(new DatagramPacket(d, d.length, udp));
                }
            }
        }
        pg.start();
        // the granted SO_RCVBUF (8 MB here) holds the whole load: the kernel drops nothing
        await().atMost(Duration.ofSeconds(30)).until(() -> count("hep.packets.received") == SENT);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(count("hep.messages.stored") + count("hep.packets.dropped")).as(this::accounts).isEqualTo(SENT));

        double stored = count("hep.messages.stored");
        assertThat(count("hep.packets.dropped", "stage", "queue", "reason", "full")).isPositive();
        assertThat(count("hep.packets.dropped")).isEqualTo(count("hep.packets.dropped", "stage", "queue"));
        assertThat(query("SELECT count(*) FROM messages")).isEqualTo((long) stored);
        Map<String, Long> expected = expected(rounds);
        assertThat(storedPerCallId()).allSatisfy((callId, n) ->
                assertThat(n).as("Call-ID %s stored at most as often as sent", callId).isLessThanOrEqualTo(expected.get(callId)));
    }
}
