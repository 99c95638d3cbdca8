package io.hepstack.ingest;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepEncoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UdpListenerIT {

    private final InMemorySink sink = new InMemorySink();

    private static void send(InetSocketAddress to, List<byte[]> datagrams) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            int n = 0;
            for (byte[] d : datagrams) {
                s.send(new DatagramPacket(d, d.length, to));
                if (++n % 50 == 0) {
                    sleep(2); // stay within the kernel receive buffer: this test counts, it does not flood
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void storesAllKamailioDatagramsIn80CallIds() throws IOException {
        try (TestCollector c = new TestCollector(sink, Map.of())) {
            send(c.udp(), KamailioCapture.hepDatagrams());
            await().atMost(Duration.ofSeconds(10)).until(() -> c.count("hep.messages.stored") == 580);
            assertThat(sink.rows()).hasSize(KamailioCapture.MESSAGES);
            assertThat(sink.callIds()).hasSize(KamailioCapture.CALL_IDS);
            assertThat(c.count("hep.packets.received", "transport", "udp", "version", "3")).isEqualTo(580);
            assertThat(c.count("sip.messages", "method", "INVITE", "status", "request")).isPositive();
            assertThat(c.count("sip.messages", "method", "INVITE", "status", "486")).isPositive();
            assertThat(c.registry.get("sip.srd").timer().count()).isEqualTo(40); // 30 answered + 10 busy calls
            assertThat(c.registry.get("sip.session.duration").timer().count()).isEqualTo(30);
        }
    }

    @Test
    void survivesAFloodOfGarbageStoringEveryValidPacketAndCountingEachRejectionByReason() throws IOException {
        List<byte[]> valid = KamailioCapture.hepDatagrams();
        Random random = new Random(42);
        List<byte[]> mixed = new java.util.ArrayList<>();
        for (byte[] v : valid) {
            mixed.add(v);
            byte[] bad = switch (random.nextInt(4)) {
                case 0 -> { // random bytes
                    byte[] b = new byte[1 + random.nextInt(1500)];
                    random.nextBytes(b);
                    yield b;
                }
                case 1 -> Arrays.copyOf(v, 1 + random.nextInt(v.length - 1)); // truncated
                case 2 -> { // a chunk claiming to run past the end
                    byte[] b = v.clone();
                    b[6 + 4] = (byte) 0xff;
                    b[6 + 5] = (byte) 0xff;
                    yield b;
                }
                default -> { // oversized: a valid header announcing 65,535 bytes on a 9,000 byte datagram
                    byte[] b = Arrays.copyOf(v, 9000);
                    b[4] = (byte) 0xff;
                    b[5] = (byte) 0xff;
                    yield b;
                }
            };
            mixed.add(bad);
        }
        try (TestCollector c = new TestCollector(sink, Map.of())) {
            send(c.udp(), mixed);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.count("hep.packets.received") == mixed.size());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    c.count("hep.packets.rejected") + c.count("hep.messages.stored") == mixed.size());
            double rejected = c.count("hep.packets.rejected");
            // random bytes may, rarely, form a valid HEPv1/v2 packet: all that is not rejected is stored
            assertThat(rejected + c.count("hep.messages.stored")).isEqualTo(mixed.size());
            assertThat(rejected).isGreaterThanOrEqualTo(560);
            assertThat(c.count("hep.packets.rejected", "reason", "length_mismatch")).isPositive();
            assertThat(c.count("hep.packets.rejected", "reason", "chunk_past_end")).isPositive();
            assertThat(c.count("hep.packets.rejected", "reason", "unknown_version")).isPositive();
            assertThat(sink.callIds()).containsAll(new TestCollectorCallIds().of(valid));
        }
    }

    /**
     * A burst far beyond a small receive buffer: what the kernel drops at the collector's sockets before it reads
     * them is counted as {@code hep_packets_dropped_total{stage="kernel"}}. Every datagram sent is received, counted
     * there, or lost earlier in the machine's input backlog ({@code /proc/net/softnet_stat}, which no socket sees),
     * so received + counted is at most what was sent and at least that less the backlog's drops.
     */
    @Test
    void datagramsTheKernelDropsForAFullReceiveBufferAreCounted() throws IOException {
        try (TestCollector c = new TestCollector(sink, Map.of("homer.ingest.udp.receive-buffer", "4KB"))) {
            // the counter must outlive a collection: a meter registry holds what a function counter reads only
            // weakly, and a reader collected before its first read froze the counter at 0 (a closing run's failure)
            System.gc();
            List<byte[]> datagrams = KamailioCapture.hepDatagrams();
            long backlogBefore = backlogDrops();
            long sent = 0;
            try (DatagramSocket s = new DatagramSocket()) {
                for (int round = 0; round < 10; round++) {
                    for (byte[] d : datagrams) {
                        s.send(new DatagramPacket(d, d.length, c.udp()));
                        sent++;
                    }
                }
            }
            long total = sent;
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    c.count("hep.packets.received") + kernelDrops(c) + (backlogDrops() - backlogBefore) >= total);
            String seen = "received " + c.count("hep.packets.received") + ", kernel " + kernelDrops(c) + ", backlog "
                    + (backlogDrops() - backlogBefore) + " of " + total;
            assertThat(c.count("hep.packets.received") + kernelDrops(c)).as(seen).isLessThanOrEqualTo(total);
            assertThat(kernelDrops(c)).as(seen).isPositive();
        }
    }

    /** Packets the CPUs' input backlogs dropped, machine-wide (second column of /proc/net/softnet_stat, hex). */
    private static long backlogDrops() throws IOException {
        long sum = 0;
        for (String cpu : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/softnet_stat"))) {
            sum += Long.parseLong(cpu.strip().split("\\s+")[1], 16);
        }
        return sum;
    }

    private static double kernelDrops(TestCollector c) {
        return c.registry.get("hep.packets.dropped").tags("stage", "kernel", "reason", "receive_buffer").functionCounter().count();
    }

    @Test
    void countsEveryDatagramAsStoredOrDroppedWhenTheQueueOverflows() throws IOException {
        sink.down = true; // the database is down: batches are held, the queue fills, UDP drops
        try (TestCollector c = new TestCollector(sink, Map.of(
                "homer.ingest.pipeline.queue-capacity", "32",
                "homer.ingest.pipeline.pause-above", "24",
                "homer.ingest.pipeline.resume-below", "8",
                "homer.ingest.pipeline.batch-size", "10",
                "homer.ingest.writer.buffered-batches", "2"))) {
            send(c.udp(), KamailioCapture.hepDatagrams());
            await().atMost(Duration.ofSeconds(10)).until(() -> c.count("hep.packets.received") == 580);
            sink.down = false;
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    c.count("hep.messages.stored") + c.count("hep.packets.dropped") == 580);
            assertThat(c.count("hep.packets.dropped", "stage", "queue", "reason", "full")).isPositive();
            assertThat(sink.rows()).hasSize((int) c.count("hep.messages.stored"));
        }
    }

    @Test
    void rejectsPacketsWithoutTheCaptureIdsKeyAndStoresThoseWithIt() throws IOException {
        HepDecoder decoder = new HepDecoder();
        List<byte[]> valid = KamailioCapture.hepDatagrams().subList(0, 30);
        List<byte[]> keyed = valid.subList(0, 10).stream().map(d -> withKey(decoder, d, "s3cret")).toList();
        List<byte[]> wrong = valid.subList(10, 20).stream().map(d -> withKey(decoder, d, "guess")).toList();
        List<byte[]> none = valid.subList(20, 30);
        try (TestCollector c = new TestCollector(sink, Map.of("homer.ingest.auth.keys.2001", "s3cret"))) {
            send(c.udp(), keyed);
            send(c.udp(), wrong);
            send(c.udp(), none);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.count("hep.packets.received") == 30);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.count("hep.messages.stored") == 10);
            assertThat(c.count("hep.packets.rejected", "reason", "auth_wrong")).isEqualTo(10);
            assertThat(c.count("hep.packets.rejected", "reason", "auth_missing")).isEqualTo(10);
        }
    }

    @Test
    void discardsConfiguredMethodsWithTheirRepliesAndCountsThem() throws IOException {
        try (TestCollector c = new TestCollector(sink, Map.of("homer.ingest.filter.discard-methods", "OPTIONS"))) {
            send(c.udp(), KamailioCapture.hepDatagrams());
            await().atMost(Duration.ofSeconds(10)).until(() -> c.count("hep.packets.received") == 580);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    c.count("hep.messages.stored") + c.count("hep.messages.discarded") == 580);
            long options = KamailioCapture.hepDatagrams().stream().map(UdpListenerIT::extract)
                    .filter(r -> "OPTIONS".equals(r.sip().cseqMethod())).count();
            assertThat(options).isPositive();
            assertThat(c.count("hep.messages.discarded", "method", "OPTIONS")).isEqualTo(options);
            assertThat(sink.rows()).noneMatch(r -> "OPTIONS".equals(r.sip().cseqMethod()));
        }
    }

    private static io.hepstack.proto.model.CapturedMessage extract(byte[] datagram) {
        try {
            return new io.hepstack.proto.model.MessageExtractor(io.hepstack.proto.model.ExtractionSettings.DEFAULT).extract(new HepDecoder().decode(datagram));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] withKey(HepDecoder decoder, byte[] datagram, String key) {
        try {
            HepPacket p = decoder.decode(datagram);
            return HepEncoder.encode(new HepPacket(p.version(), p.ipFamily(), p.ipProto(), p.srcIp(), p.dstIp(),
                    p.srcPort(), p.dstPort(), p.tsSec(), p.tsUsec(), p.protoType(), p.captureId(), key,
                    p.correlationId(), p.vlan(), p.node(), p.payload(), false, p.chunks()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
