package io.hepstack.ingest.peers;

import io.hepstack.ingest.CollectorDatabase;
import io.hepstack.ingest.listen.HepListeners;
import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.proto.testing.KamailioSiptrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real peers into the collector: Kamailio (Debian package {@code kamailio}) as a stateful proxy whose
 * {@code siptrace} module mirrors every message as HEP (v3 and v2 over UDP, v3 over TCP), SIPp
 * ({@code sip-tester}) placing calls through it, and sngrep ({@code sngrep}) replaying a capture as HEP.
 * hep-ingest runs as the application (Spring context on free ports) against a real PostgreSQL.
 *
 * <p>Through a stateful proxy, siptrace mirrors each relayed message twice (received, sent) and the
 * proxy's own 100 Trying once: a SIPp {@code uac}/{@code uas} call (INVITE, 180, 200, ACK, BYE, 200)
 * is stored as 6 × 2 + 1 = 13 rows under its Call-ID.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "homer.ingest.udp.host=127.0.0.1", "homer.ingest.udp.port=0",
        "homer.ingest.tcp.host=127.0.0.1", "homer.ingest.tcp.port=0",
        "homer.ingest.pipeline.batch-age=50ms", "homer.ingest.calls.enabled=true"})
class KamailioSiptraceIT {

    static final int CALLS = 10;
    static final int ROWS_PER_CALL = 13;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        CollectorDatabase.register(db, r);
    }

    @Autowired
    HepListeners listeners;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    @TempDir
    Path tmp;

    @Test
    void storesEveryMessageKamailioMirrorsAsHepv3OverUdp() throws Exception {
        callsThroughKamailio("v3udp", 3, "");
    }

    @Test
    void storesEveryMessageKamailioMirrorsAsHepv2OverUdp() throws Exception {
        callsThroughKamailio("v2udp", 2, "");
    }

    @Test
    void storesEveryMessageKamailioMirrorsAsHepv3OverTcp() throws Exception {
        callsThroughKamailio("v3tcp", 3, ";transport=tcp");
    }

    @Test
    void storesEverySipPacketSngrepReplaysFromACaptureAsHep() throws Exception {
        String sngrep = Peer.require("sngrep", "sngrep");
        Path pcap = tmp.resolve("sip.pcap");
        try (var in = getClass().getResourceAsStream("/fixtures/kamailio-siptrace/sip.pcap")) {
            Files.copy(in, pcap);
        }
        int port = listeners.udpAddress().getPort();
        try (Peer s = Peer.start("sngrep", tmp, List.of(sngrep, "-N", "-q", "-I", pcap.toString(),
                "-H", "udp:127.0.0.1:" + port))) {
            assertThat(s.await(30)).as(s.output()).isZero();
        }
        // sngrep sends the 580 plain SIP packets of the capture (not the HEP copies in it) as HEPv3: 80
        // Call-IDs (30 calls, 10 busy calls, 20 REGISTERs, 20 OPTIONS). sngrep 1.6.0 writes its capture
        // id 2002 (0x07d2) as a u16 followed by two zero bytes in a 4-byte chunk 0x000c, so the id read
        // per HEP3 (u32, big-endian) is 0x07d20000.
        String sngrepRows = "from messages where capture_id = " + 0x07d2_0000L;
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) " + sngrepRows) >= 580);
        Thread.sleep(300);
        assertThat(count("select count(*) " + sngrepRows)).isEqualTo(580);
        assertThat(count("select count(distinct call_id) " + sngrepRows)).isEqualTo(80);
        assertThat(count("select count(*) " + sngrepRows + " and parsed and src_ip = '127.0.0.1'")).isEqualTo(580);
    }

    /** {@value #CALLS} SIPp calls through Kamailio tracing to the collector; 13 rows per Call-ID. */
    /**
     * Runs {@link #runCalls} and, when a run comes up short, retries it once with new Call-IDs, but only
     * after proving the shortfall is the sender's: the collector stored every packet it received
     * (received − rejected = rows) and the kernel reported no UDP receive-buffer error meanwhile. Kamailio
     * has now and then not mirrored one message out of 130 (seen with the collector's received counter
     * also one short). The same when SIPp or Kamailio retransmitted a message (a CI run's busy machine
     * delayed an answer past SIP's timer: 14 rows for one call), shown by every distinct message having been
     * stored. Any loss on the collector's side still fails here.
     */
    private void callsThroughKamailio(String tag, int hepVersion, String uriParams) throws Exception {
        long rcvbufErrorsBefore = udpRcvbufErrors();
        String shortfall = runCalls(tag, hepVersion, uriParams);
        if (shortfall == null) {
            return;
        }
        assertThat(sum("hep.packets.received") - sum("hep.packets.rejected"))
                .as("the collector stored every packet it received; " + shortfall)
                .isEqualTo(count("select count(*) from messages"));
        assertThat(udpRcvbufErrors()).as("kernel UDP receive-buffer errors; " + shortfall).isEqualTo(rcvbufErrorsBefore);
        System.err.println("KamailioSiptraceIT: sender-side shortfall or retransmission, retrying once: " + shortfall);
        String again = runCalls(tag + "r", hepVersion, uriParams);
        assertThat(again).as("second run after: " + shortfall).isNull();
    }

    /** The calls of one run; {@code null} when every expected row arrived, else what was missing. */
    private String runCalls(String tag, int hepVersion, String uriParams) throws Exception {
        String sipp = Peer.require("sipp", "sip-tester");
        int hepPort = uriParams.contains("tcp") ? listeners.tcpAddress().getPort() : listeners.udpAddress().getPort();
        int proxyPort = Peer.freePort();
        int uasPort = Peer.freePort();
        int uacPort = Peer.freePort();
        Path dir = Files.createDirectories(tmp.resolve(tag));
        try (Peer k = Peer.kamailio(dir, KamailioSiptrace.config(proxyPort, uasPort, "sip:127.0.0.1:" + hepPort + uriParams,
                hepVersion))) {
            warmUp(tag, proxyPort);
            try (Peer uas = Peer.start("sipp-uas", dir, List.of(sipp, "-sn", "uas", "-i", "127.0.0.1",
                    "-p", Integer.toString(uasPort), "-m", Integer.toString(CALLS), "-nostdin"));
                 Peer uac = Peer.start("sipp-uac", dir, List.of(sipp, "-sn", "uac", "127.0.0.1:" + proxyPort,
                         "-i", "127.0.0.1", "-p", Integer.toString(uacPort), "-m", Integer.toString(CALLS),
                         "-r", "20", "-d", "100", "-cid_str", tag + "-%u-%p@%s", "-nostdin"))) {
                assertThat(uac.await(40)).as("SIPp uac:\n" + uac.output() + "\nKamailio:\n" + k.output()).isZero();
                assertThat(uas.await(10)).as(uas.output()).isZero();
            }
            String like = "call_id like '" + tag + "-%'";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long stored;
            while ((stored = count("select count(*) from messages where " + like)) < CALLS * ROWS_PER_CALL
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (stored < CALLS * ROWS_PER_CALL) {
                return String.format("rows stored for %s after 60 s: %d; per Call-ID %s; collector counters %s;%nKamailio:%n%s",
                        tag, stored, perCallId(like), counters(), k.output());
            }
            Thread.sleep(300); // nothing more arrives
            Map<String, Long> perCall = perCallId(like);
            if (perCall.size() == CALLS && perCall.values().stream().anyMatch(n -> n > ROWS_PER_CALL)
                    && count("select count(*) from (select distinct call_id, method, status, cseq, cseq_method, src_port,"
                    + " dst_port, via_branch from messages where " + like + ") d") == (long) CALLS * ROWS_PER_CALL) {
                // every message of every call stored once, and some twice: a peer retransmitted (a loaded machine
                // delayed an answer past SIP's 500 ms timer), which the exact counts below do not allow for
                return String.format("a peer retransmitted: rows per Call-ID %s, each distinct message stored", perCall);
            }
            assertThat(perCall).as("Kamailio:\n" + k.output()).hasSize(CALLS);
            assertThat(perCall.values()).containsOnly((long) ROWS_PER_CALL);
            assertThat(count("select count(*) from messages where " + like + " and capture_id = 2001 and parsed"
                    + " and src_ip = '127.0.0.1' and transport = 17")).isEqualTo(CALLS * ROWS_PER_CALL);
            assertThat(count("select count(*) from messages where " + like + " and method = 'INVITE'"))
                    .isEqualTo(2L * CALLS);
            assertThat(count("select count(*) from messages where " + like + " and status = 100"))
                    .isEqualTo(CALLS);
            // the collector's call records: each call completed by the caller's BYE, its copies at the proxy
            // counted once (INVITE, 100, 180, 200, ACK, BYE, 200), its 100 ms of talk (sipp -d 100) measured: at
            // least 90 ms, as SIPp's pause timer may fire before the full 100 ms have passed (one call of a CI run
            // measured 99 ms, the answer's and the BYE's capture times cut to whole ms)
            long recordsDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count("select count(*) from call_records where " + like + " and state = 'completed'") < CALLS
                    && System.nanoTime() < recordsDeadline) {
                Thread.sleep(100);
            }
            assertThat(count("select count(*) from call_records where " + like + " and state = 'completed'"
                    + " and hangup_by = 'caller' and final_status = 200 and messages = 7 and retransmissions = 0"
                    + " and stored_rows = " + ROWS_PER_CALL + " and duration_ms >= 90 and pdd_ms >= 0"
                    + " and caller_user = 'sipp' and nodes = '{2001}'"))
                    .as("call records: %s", perCallRecord(like)).isEqualTo(CALLS);
        }
        return null;
    }

    private List<String> perCallRecord(String like) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet r = st.executeQuery("select call_id, state, hangup_by, final_status, messages, retransmissions,"
                     + " stored_rows, duration_ms, pdd_ms, caller_user, nodes from call_records where " + like)) {
            while (r.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 11; i++) {
                    b.append(r.getString(i)).append(' ');
                }
                out.add(b.toString().trim());
            }
        }
        return out;
    }

    /**
     * Makes Kamailio open its connection to the collector before the counted calls. Once, over TCP,
     * the first message Kamailio mirrored on a fresh connection never reached the collector (129 of
     * 130 rows, and the collector's TCP received counter also said 129). So OPTIONS with their own
     * Call-IDs, answered by Kamailio itself (never relayed to SIPp), are sent until one is stored;
     * the counts below only look at the calls' Call-IDs.
     */
    private void warmUp(String tag, int proxyPort) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
                byte[] options = ("OPTIONS sip:warmup@127.0.0.1:" + proxyPort + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-warmup-"
                        + tag + "-" + attempt + "\r\n"
                        + "From: <sip:warmup@127.0.0.1>;tag=w" + attempt + "\r\n"
                        + "To: <sip:warmup@127.0.0.1>\r\n"
                        + "Call-ID: warmup-" + tag + "-" + attempt + "\r\n"
                        + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(options, options.length, loopback, proxyPort));
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < until) {
                    if (count("select count(*) from messages where call_id like 'warmup-" + tag + "-%'") > 0) {
                        return;
                    }
                    Thread.sleep(100);
                }
            }
        }
        throw new AssertionError("no warm-up OPTIONS mirrored by Kamailio reached the collector within 20 s");
    }


    private static long count(String sql) throws Exception {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Map<String, Long> perCallId(String where) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select call_id, count(*) from messages where " + where + " group by call_id")) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }

    /** The collector's received, rejected and dropped counters, for failure messages. */
    private String counters() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("hep.packets.received", "hep.packets.rejected", "hep.packets.dropped",
                "hep.messages.stored")) {
            registry.find(name).counters().forEach(c -> sb.append(name).append(c.getId().getTags())
                    .append('=').append((long) c.count()).append(' '));
        }
        return sb.toString();
    }

    private double sum(String counter) {
        return registry.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** {@code Udp: RcvbufErrors} of /proc/net/snmp: datagrams the kernel dropped for a full receive buffer. */
    private static long udpRcvbufErrors() throws java.io.IOException {
        List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream().filter(l -> l.startsWith("Udp:")).toList();
        List<String> names = List.of(udp.get(0).split("\\s+"));
        return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("RcvbufErrors")]);
    }
}
