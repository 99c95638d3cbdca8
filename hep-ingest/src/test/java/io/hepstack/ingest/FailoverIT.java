package io.hepstack.ingest;

import io.hepstack.ingest.listen.HepListeners;
import io.hepstack.proto.testing.AutoFailoverCluster;
import io.hepstack.proto.testing.DebianPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The collector (Spring context as deployed) on a pg_auto_failover formation of Debian's PostgreSQL 15,
 * connected with the multi-host URL {@code targetServerType=primary}: the primary is SIGKILLed (its
 * pg_autoctl and PostgreSQL together) while TCP and UDP agents send, the monitor promotes the synchronous
 * standby, and the collector goes on writing there. Every message received over TCP is stored exactly once
 * (the batch ledger committed with the rows came over with synchronous replication, so a batch whose
 * acknowledgement the kill cut off is recognised, not stored again); every UDP datagram is stored or counted
 * as dropped. Prints the figures docs/operations.md records ("Failover").
 */
class FailoverIT {

    private static final int TCP_AGENTS = 2;
    private static final int ROUNDS_PER_AGENT = 4;
    private static final int UDP_ROUNDS = 4;
    private static final long ROUND_PAUSE_MS = 300;

    private AutoFailoverCluster cluster;
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void storesEveryAcceptedMessageExactlyOnceWhenThePrimaryIsKilledAndTheStandbyPromoted() throws Exception {
        long setup = System.nanoTime();
        // most of the test's time: the formation's start (initdb, base backup) and the collector's Spring start
        cluster = AutoFailoverCluster.start();
        long clusterReady = System.nanoTime();
        AutoFailoverCluster.Node primary = cluster.a();
        AutoFailoverCluster.Node standby = cluster.b();
        app = new SpringApplicationBuilder(HepIngestApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--homer.ingest.udp.host=127.0.0.1", "--homer.ingest.udp.port=0",
                "--homer.ingest.tcp.host=127.0.0.1", "--homer.ingest.tcp.port=0",
                "--spring.r2dbc.url=" + cluster.primaryUrl(),
                "--spring.r2dbc.username=" + DebianPostgres.superuser(), "--spring.r2dbc.password=",
                "--homer.ingest.writer.retry-initial-backoff=50ms", "--homer.ingest.writer.retry-max-backoff=500ms",
                "--homer.ingest.pipeline.batch-size=200");
        long collectorReady = System.nanoTime();
        // every migration applied (the settings are published after them): a kill in the middle of a migration can leave
        // it applied but unrecorded (docs/operations.md, "Migrations")
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> count(primary, "SELECT count(*) FROM ingest_settings") == 1);

        List<List<byte[]>> tcpRounds = new ArrayList<>();
        List<Thread> agents = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        InetSocketAddress tcp = app.getBean(HepListeners.class).tcpAddress();
        for (int agent = 0; agent < TCP_AGENTS; agent++) {
            List<List<byte[]>> own = new ArrayList<>();
            for (int r = 0; r < ROUNDS_PER_AGENT; r++) {
                own.add(KamailioCapture.round(agent * ROUNDS_PER_AGENT + r));
            }
            tcpRounds.addAll(own);
            agents.add(new Thread(() -> {
                try (Socket s = new Socket(tcp.getAddress(), tcp.getPort())) {
                    OutputStream out = s.getOutputStream();
                    for (List<byte[]> round : own) {
                        out.write(KamailioCapture.stream(round));
                        out.flush();
                        Thread.sleep(ROUND_PAUSE_MS);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "tcp-agent-" + agent));
        }
        List<List<byte[]>> udpRounds = new ArrayList<>();
        for (int r = 0; r < UDP_ROUNDS; r++) {
            udpRounds.add(KamailioCapture.round(1000 + r));
        }
        InetSocketAddress udp = app.getBean(HepListeners.class).udpAddress();
        agents.add(new Thread(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                for (List<byte[]> round : udpRounds) {
                    for (byte[] d : round) {
                        s.send(new DatagramPacket(d, d.length, udp));
                    }
                    Thread.sleep(ROUND_PAUSE_MS);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "udp-agent"));
        agents.forEach(Thread::start);

        await().atMost(Duration.ofSeconds(60)).until(() -> count("hep.messages.stored") >= KamailioCapture.MESSAGES);
        long storedAtKill = (long) count("hep.messages.stored");
        long killed = System.nanoTime();
        cluster.kill(primary);
        await().atMost(Duration.ofSeconds(60)).until(() -> AutoFailoverCluster.acceptsWrites(standby));
        long promoted = System.nanoTime();
        double storedAtPromotion = count("hep.messages.stored");
        await().atMost(Duration.ofSeconds(60)).until(() -> count("hep.messages.stored") > storedAtPromotion);
        long resumed = System.nanoTime();
        for (Thread t : agents) {
            t.join(60_000);
        }
        assertThat(failures).isEmpty();

        int sentTcp = tcpRounds.size() * KamailioCapture.MESSAGES;
        int sentUdp = udpRounds.size() * KamailioCapture.MESSAGES;
        await().atMost(Duration.ofSeconds(30)).until(() -> count("hep.packets.received") == sentTcp + sentUdp);
        await().atMost(Duration.ofSeconds(90)).until(() ->
                count("hep.messages.stored") + count("hep.packets.dropped") == sentTcp + sentUdp);

        Map<String, Long> storedPerCallId = storedPerCallId(standby);
        Map<String, Long> expectedTcp = expected(tcpRounds);
        Map<String, Long> expectedUdp = expected(udpRounds);
        long duplicated = 0;
        for (Map.Entry<String, Long> e : storedPerCallId.entrySet()) {
            long sent = expectedTcp.getOrDefault(e.getKey(), 0L) + expectedUdp.getOrDefault(e.getKey(), 0L);
            duplicated += Math.max(0, e.getValue() - sent);
        }
        long stored = count(standby, "SELECT count(*) FROM messages");
        long dropped = (long) count("hep.packets.dropped");
        System.out.printf("failover: cluster ready in %d ms, collector started in %d ms; primary killed after %d messages stored; standby promoted after"
                        + " %d ms, first write there after %d ms; accepted %d (tcp %d, udp %d), stored %d, dropped (udp, counted) %d,"
                        + " duplicated %d, batch write failures %d%n",
                (clusterReady - setup) / 1_000_000, (collectorReady - clusterReady) / 1_000_000, storedAtKill, (promoted - killed) / 1_000_000,
                (resumed - killed) / 1_000_000, sentTcp + sentUdp, sentTcp, sentUdp, stored, dropped, duplicated,
                (long) count("hep.batch.failures"));

        assertThat(count("hep.batch.failures")).as("writes failed while no node was primary").isPositive();
        assertThat(count("hep.packets.received", "transport", "tcp")).isEqualTo(sentTcp);
        assertThat(duplicated).as("messages stored twice").isZero();
        assertThat(storedPerCallId).as("every TCP message stored exactly once")
                .containsAllEntriesOf(expectedTcp);
        assertThat(count("hep.packets.dropped")).as("only a full queue drops (UDP: TCP pauses instead)")
                .isEqualTo(count("hep.packets.dropped", "stage", "queue"));
        assertThat(stored).as("what the collector counts as stored is in the promoted node")
                .isEqualTo((long) count("hep.messages.stored"));
        assertThat(count(standby, "SELECT sum(rows) FROM ingest_batches")).as("the ledger agrees").isEqualTo(stored);
    }

    private double count(String name, String... tags) {
        return app.getBean(MeterRegistry.class).find(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static long count(AutoFailoverCluster.Node node, String sql) throws SQLException {
        try (Connection c = DebianPostgres.open(node.port(), AutoFailoverCluster.DATABASE); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Map<String, Long> storedPerCallId(AutoFailoverCluster.Node node) throws SQLException {
        Map<String, Long> stored = new TreeMap<>();
        try (Connection c = DebianPostgres.open(node.port(), AutoFailoverCluster.DATABASE); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(call_id, 'null'), count(*) FROM messages GROUP BY 1")) {
            while (r.next()) {
                stored.put(r.getString(1), r.getLong(2));
            }
        }
        return stored;
    }

    private static Map<String, Long> expected(List<List<byte[]>> rounds) {
        Map<String, Long> all = new TreeMap<>();
        rounds.forEach(r -> KamailioCapture.callIdCounts(r).forEach((k, v) -> all.merge(k, v, Long::sum)));
        return all;
    }
}
