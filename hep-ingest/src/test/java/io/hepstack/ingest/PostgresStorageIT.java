package io.hepstack.ingest;

import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Kamailio capture through the listeners into a real PostgreSQL, with common-proto's writer. */
class PostgresStorageIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    private long query(String sql) throws SQLException {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void storesEveryKamailioMessageIn80CallIdsOverUdpThenAgainOverTcp() throws Exception {
        BatchSink sink = new PostgresSink(new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(),
                Clock.systemUTC()));
        try (TestCollector c = new TestCollector(sink, Map.of())) {
            try (DatagramSocket s = new DatagramSocket()) {
                int n = 0;
                for (byte[] d : KamailioCapture.hepDatagrams()) {
                    s.send(new DatagramPacket(d, d.length, c.udp()));
                    if (++n % 50 == 0) {
                        Thread.sleep(2);
                    }
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> c.count("hep.messages.stored") == 580);
            assertThat(query("select count(*) from messages")).isEqualTo(580);
            assertThat(query("select count(distinct call_id) from messages")).isEqualTo(80);

            try (Socket s = new Socket(c.tcp().getAddress(), c.tcp().getPort())) {
                OutputStream out = s.getOutputStream();
                byte[] stream = KamailioCapture.stream();
                for (int pos = 0; pos < stream.length; pos += 1000) {
                    out.write(stream, pos, Math.min(1000, stream.length - pos));
                }
                out.flush();
                await().atMost(Duration.ofSeconds(30)).until(() -> c.count("hep.messages.stored") == 1160);
            }
            assertThat(query("select count(*) from messages")).isEqualTo(1160);
            assertThat(query("select count(distinct call_id) from messages")).isEqualTo(80);
            assertThat(c.count("hep.packets.dropped")).isZero();
        }
    }
}
