package io.hepstack.ingest;

import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.testing.TestDatabase;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Forwarding, dedup and body censoring with the Kamailio capture through the UDP listener. */
class PipelineOptionsIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    private static void send(InetSocketAddress to, List<byte[]> datagrams) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            int n = 0;
            for (byte[] d : datagrams) {
                s.send(new DatagramPacket(d, d.length, to));
                if (++n % 50 == 0) {
                    Thread.sleep(2);
                }
            }
        }
    }

    private static HepPacket decode(byte[] b, int length) {
        try {
            return new HepDecoder().decode(Unpooled.wrappedBuffer(b, 0, length));
        } catch (HepDecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void forwardsEveryAcceptedPacketAsTheSameHepPacketWhileStoringAll580() throws Exception {
        BatchSink sink = new PostgresSink(new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(),
                Clock.systemUTC()));
        List<HepPacket> forwarded = Collections.synchronizedList(new ArrayList<>());
        try (DatagramSocket target = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            target.setReceiveBufferSize(4 << 20);
            target.setSoTimeout(200);
            Thread receiver = new Thread(() -> {
                byte[] buf = new byte[65535];
                while (!Thread.currentThread().isInterrupted() && !target.isClosed()) {
                    DatagramPacket d = new DatagramPacket(buf, buf.length);
                    try {
                        target.receive(d);
                        forwarded.add(decode(d.getData(), d.getLength()));
                    } catch (SocketTimeoutException e) {
                        // poll again
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            receiver.start();
            try (TestCollector c = new TestCollector(sink, Map.of(
                    "homer.ingest.forward.targets", "udp:127.0.0.1:" + target.getLocalPort()))) {
                List<byte[]> sent = KamailioCapture.hepDatagrams();
                send(c.udp(), sent);
                await().atMost(Duration.ofSeconds(30)).until(() -> c.count("hep.messages.stored") == 580);
                await().atMost(Duration.ofSeconds(10)).until(() -> forwarded.size() == 580);
                assertThat(c.count("hep.packets.forwarded")).isEqualTo(580);
                assertThat(c.count("hep.packets.dropped")).isZero();
                try (Connection j = db.openJdbc(); Statement s = j.createStatement();
                     ResultSet r = s.executeQuery("select count(*) from messages")) {
                    r.next();
                    assertThat(r.getLong(1)).isEqualTo(580);
                }
                List<HepPacket> expected = sent.stream().map(b -> decode(b, b.length)).toList();
                assertThat(forwarded).containsExactlyInAnyOrderElementsOf(expected);
            } finally {
                receiver.interrupt();
                receiver.join(2000);
            }
        }
    }

    @Test
    void dedupCollapsesTheCopiesKamailioMirrorsKeepingEveryCallId() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (TestCollector c = new TestCollector(sink, Map.of("homer.ingest.dedup.enabled", "true",
                "homer.ingest.dedup.window", "1m"))) {
            send(c.udp(), KamailioCapture.hepDatagrams());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    c.count("hep.messages.stored") + c.count("hep.messages.discarded") == 580);
            double duplicates = c.count("hep.messages.discarded", "reason", "duplicate");
            assertThat(duplicates).isPositive();
            assertThat(sink.rows()).hasSize(580 - (int) duplicates);
            assertThat(sink.callIds()).hasSize(KamailioCapture.CALL_IDS);
            long distinct = sink.rows().stream().map(m -> m.captureId() + new String(m.payload(),
                    StandardCharsets.ISO_8859_1)).distinct().count();
            assertThat(distinct).isEqualTo(sink.rows().size());
        }
    }

    @Test
    void censoredBodiesAreStoredAsTheirLengthWhileSdpStays() throws Exception {
        InMemorySink sink = new InMemorySink();
        List<byte[]> datagrams = KamailioCapture.hepDatagrams();
        try (TestCollector c = new TestCollector(sink, Map.of("homer.ingest.privacy.censor-bodies", "true",
                "homer.ingest.privacy.keep-content-types", ""))) {
            send(c.udp(), datagrams);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.count("hep.messages.stored") == 580);
            List<CapturedMessage> rows = sink.rows();
            assertThat(c.count("hep.messages.censored")).isPositive();
            assertThat(rows).noneMatch(m -> new String(m.payload(), StandardCharsets.ISO_8859_1).contains("\r\n\r\nv=0"));
            // a censored SDP body still names application/sdp: its extras hold an empty SDP, no media, no address
            assertThat(rows).noneMatch(m -> m.extra() != null && m.extra().contains("\"codecs\""));
            assertThat(rows).noneMatch(m -> m.extra() != null && m.extra().contains("127.0.0.1"));
            assertThat(rows).allMatch(CapturedMessage::parsed);
            assertThat(sink.callIds()).hasSize(KamailioCapture.CALL_IDS);
        }
        InMemorySink kept = new InMemorySink();
        try (TestCollector c = new TestCollector(kept, Map.of("homer.ingest.privacy.censor-bodies", "true"))) {
            send(c.udp(), datagrams);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.count("hep.messages.stored") == 580);
            assertThat(kept.rows()).anyMatch(m -> m.extra() != null && m.extra().contains("\"codecs\"")
                    && m.extra().contains("127.0.0.1"));
        }
    }
}
