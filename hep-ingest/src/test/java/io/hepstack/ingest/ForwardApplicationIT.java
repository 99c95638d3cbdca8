package io.hepstack.ingest;

import io.hepstack.ingest.listen.HepListeners;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.store.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application (Spring context on free ports, real PostgreSQL) forwarding the Kamailio capture as
 * HEPv3 to a UDP target played by this test, while storing it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "homer.ingest.udp.host=127.0.0.1", "homer.ingest.udp.port=0",
        "homer.ingest.tcp.host=127.0.0.1", "homer.ingest.tcp.port=0",
        "homer.ingest.pipeline.batch-age=50ms"})
class ForwardApplicationIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    private static final DatagramSocket target = open();
    private static final List<HepPacket> forwarded = Collections.synchronizedList(new ArrayList<>());
    private static final Thread receiver = receive();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        CollectorDatabase.register(db, r);
        r.add("homer.ingest.forward.targets", () -> "udp:127.0.0.1:" + target.getLocalPort());
    }

    @Autowired
    HepListeners listeners;
    @Autowired
    MeterRegistry registry;

    private static DatagramSocket open() {
        try {
            DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            s.setReceiveBufferSize(4 << 20);
            return s;
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread receive() {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65535];
            while (true) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                try {
                    target.receive(d);
                    forwarded.add(decode(d.getData(), d.getLength()));
                } catch (Exception e) {
                    return; // closed
                }
            }
        }, "forward-target");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @AfterAll
    static void close() {
        target.close();
    }

    private static HepPacket decode(byte[] b, int length) {
        try {
            return new HepDecoder().decode(Unpooled.wrappedBuffer(b, 0, length));
        } catch (HepDecodeException e) {
            throw new AssertionError(e);
        }
    }

    private double count(String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void forwardsThe580KamailioPacketsUnchangedAsHepv3WhileStoringThem() throws Exception {
        List<byte[]> sent = KamailioCapture.hepDatagrams();
        try (DatagramSocket s = new DatagramSocket()) {
            int n = 0;
            for (byte[] d : sent) {
                s.send(new DatagramPacket(d, d.length, listeners.udpAddress()));
                if (++n % 50 == 0) {
                    Thread.sleep(2);
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("hep.messages.stored") == 580);
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarded.size() == 580);
        try (Connection c = db.openJdbc(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("select count(*) from messages")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(580);
        }
        assertThat(count("hep.packets.forwarded")).isEqualTo(580);
        assertThat(count("hep.packets.dropped")).isZero();
        assertThat(forwarded).containsExactlyInAnyOrderElementsOf(sent.stream().map(b -> decode(b, b.length)).toList());
        assertThat(receiver.isAlive()).isTrue();
    }
}
