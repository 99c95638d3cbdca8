package io.hepstack.ingest;

import io.hepstack.proto.model.CapturedMessage;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dedup and body censoring with the Kamailio capture through the UDP listener (forwarding: {@link ForwardApplicationIT}). */
class PipelineOptionsIT {

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
            long distinct = sink.rows().stream().map(m -> m.envelope().captureId() + new String(m.payload(),
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
