package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HepForwarderTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static HepPacket packet(String authKey) throws Exception {
        return new HepPacket(2, 2, 17, InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"),
                5060, 5080, 1_700_000_000L, 42, 1, 2001, authKey, null, null, "node-1",
                "OPTIONS sip:x SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false, List.of());
    }

    private static IngestProperties.Forward props(List<String> targets, int capacity, String key) {
        return new IngestProperties.Forward(targets, capacity, key, Duration.ofSeconds(1));
    }

    @Test
    void sendsEachPacketAsHepV3WithTheAgentsKeyReplacedByTheConfiguredOne() throws Exception {
        try (DatagramSocket target = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             HepForwarder f = new HepForwarder(props(List.of("udp:127.0.0.1:" + target.getLocalPort()), 100,
                     "collector-key"), new IngestMetrics(registry))) {
            target.setSoTimeout(5000);
            f.forward(packet("agent-key"));
            DatagramPacket d = new DatagramPacket(new byte[65535], 65535);
            target.receive(d);
            HepPacket got = new HepDecoder().decode(Unpooled.wrappedBuffer(d.getData(), 0, d.getLength()));
            assertThat(got.version()).isEqualTo(3);
            assertThat(got.authKey()).isEqualTo("collector-key");
            assertThat(got.payload()).isEqualTo(packet(null).payload());
            assertThat(got.captureId()).isEqualTo(2001);
            assertThat(got.node()).isEqualTo("node-1");
        }
    }

    @Test
    void forwardsNoKeyWhenNoneIsConfigured() throws Exception {
        byte[] encoded = HepEncoder.encode(packet("agent-key").withAuthKey(null));
        assertThat(new HepDecoder().decode(Unpooled.wrappedBuffer(encoded)).authKey()).isNull();
    }

    @Test
    void dropsAndCountsWhatFindsTheQueueFullWithoutBlocking() throws Exception {
        // a TCP target nobody listens on: the sender retries the first packet, the queue of 2 fills
        try (HepForwarder f = new HepForwarder(props(List.of("tcp:127.0.0.1:1"), 2, null), new IngestMetrics(registry))) {
            for (int i = 0; i < 10; i++) {
                f.forward(packet(null));
            }
            double full = registry.find("hep.packets.dropped").tags("stage", "forward", "reason", "full")
                    .counter().count();
            assertThat(full).isBetween(7.0, 8.0);
        }
    }
}
