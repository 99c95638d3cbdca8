package io.hepstack.ingest;

import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Issue 20: an agent whose clock is 3 hours behind and one 2 days ahead, each over UDP and over TCP, through
 * the listeners into a real PostgreSQL. Every message of a source is stored at the collector's time of it
 * with the agent's order and spacing (one offset per source, every kind alike), the agent's own time in
 * {@code agent_ts_us}, and the skew is exported per capture id.
 */
class AgentClockIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    private static final long BEHIND = 3001;
    private static final long AHEAD = 3002;
    private static final long STEP_MICROS = 250_000;

    @Test
    void storesSkewedAgentsAtTheCollectorsTimeWithTheirOrderAndDeltasOverUdpAndTcp() throws Exception {
        BatchSink sink = new PostgresSink(new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(),
                Clock.systemUTC()));
        Instant sentFrom;
        Instant sentTo;
        try (TestCollector c = new TestCollector(sink, Map.of())) {
            sentFrom = Instant.now();
            Instant behind = sentFrom.minus(Duration.ofHours(3));
            Instant ahead = sentFrom.plus(Duration.ofDays(2));
            try (DatagramSocket udp = new DatagramSocket()) {
                for (byte[] d : ladder("behind-udp", BEHIND, behind)) {
                    udp.send(new DatagramPacket(d, d.length, c.udp()));
                }
                for (byte[] d : ladder("ahead-udp", AHEAD, ahead)) {
                    udp.send(new DatagramPacket(d, d.length, c.udp()));
                }
            }
            try (Socket a = new Socket(c.tcp().getAddress(), c.tcp().getPort());
                 Socket b = new Socket(c.tcp().getAddress(), c.tcp().getPort())) {
                write(a.getOutputStream(), ladder("behind-tcp", BEHIND, behind));
                write(b.getOutputStream(), ladder("ahead-tcp", AHEAD, ahead));
                await().atMost(Duration.ofSeconds(30)).until(() -> c.count("hep.messages.stored") == 4 * 9);
            }
            sentTo = Instant.now();

            assertThat(c.gauge("hep.agent.clock.skew", "capture_id", Long.toString(BEHIND)))
                    .isCloseTo(-3 * 3600, within(60.0));
            assertThat(c.gauge("hep.agent.clock.skew", "capture_id", Long.toString(AHEAD)))
                    .isCloseTo(2 * 86400, within(60.0));
        }

        for (String call : List.of("behind-udp", "behind-tcp", "ahead-udp", "ahead-tcp")) {
            List<long[]> rows = rows(call); // {ts, agent_ts_us} in stored order
            assertThat(rows).as(call).hasSize(9);
            assertThat(kinds(call)).as("%s: call, registration, sip_other, log: one rule", call).isEqualTo(4);
            long offset = rows.get(0)[0] - rows.get(0)[1];
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i)[0] - rows.get(i)[1]).as("%s #%d: one offset for the source", call, i).isEqualTo(offset);
                if (i > 0) {
                    assertThat(rows.get(i)[1] - rows.get(i - 1)[1]).as("%s #%d: the agent's spacing", call, i)
                            .isEqualTo(STEP_MICROS);
                    assertThat(rows.get(i)[0] - rows.get(i - 1)[0]).as("%s #%d: kept in storage", call, i)
                            .isEqualTo(STEP_MICROS);
                }
            }
            assertThat(rows.get(0)[0]).as("%s: the first message at its arrival", call)
                    .isBetween(micros(sentFrom) - 1_000_000, micros(sentTo));
        }
    }

    /** A call's messages from one agent, 250 ms apart on its clock: SIP of three kinds and a log line. */
    private static List<byte[]> ladder(String callId, long captureId, Instant start) throws Exception {
        List<byte[]> out = new ArrayList<>();
        String[] sip = {"INVITE", "100", "180", "200", "ACK", "REGISTER", "OPTIONS", "BYE"};
        long t = micros(start);
        for (int i = 0; i < sip.length; i++) {
            out.add(hep(captureId, t + i * STEP_MICROS, HepPayloadType.SIP.number(), callId, sip(sip[i], callId)));
        }
        out.add(hep(captureId, t + sip.length * STEP_MICROS, HepPayloadType.LOG.number(), callId,
                "ERROR: <core> call " + callId + " without route"));
        return out;
    }

    private static byte[] hep(long captureId, long micros, int protoType, String correlationId, String payload)
            throws Exception {
        return HepEncoder.encode(HepPacket.builder().addresses(InetAddress.getByName("192.0.2.1"), 5060,
                        InetAddress.getByName("192.0.2.2"), 5060).ipProto(17).timestampMicros(micros)
                .protoType(protoType).captureId(captureId).correlationId(correlationId)
                .payload(payload.getBytes(StandardCharsets.US_ASCII)).build());
    }

    private static String sip(String what, String callId) {
        boolean reply = Character.isDigit(what.charAt(0));
        String method = reply ? "INVITE" : what;
        String start = reply ? "SIP/2.0 " + what + " OK" : what + " sip:bob@192.0.2.2 SIP/2.0";
        return start + "\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-" + what + "\r\nFrom: <sip:alice@192.0.2.1>;tag=a1"
                + "\r\nTo: <sip:bob@192.0.2.2>" + (reply ? ";tag=b1" : "") + "\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
    }

    private static void write(OutputStream out, List<byte[]> frames) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.write(f);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    private static List<long[]> rows(String callId) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Connection c = db.openJdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT (extract(epoch FROM ts) * 1000000)::bigint, agent_ts_us FROM messages WHERE correlation_id = '"
                        + callId + "' OR call_id = '" + callId + "' ORDER BY agent_ts_us")) {
            while (r.next()) {
                out.add(new long[] {r.getLong(1), r.getLong(2)});
            }
        }
        return out;
    }

    private static long kinds(String callId) throws Exception {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT count(DISTINCT kind) FROM messages WHERE correlation_id = '" + callId + "' OR call_id = '" + callId + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
