package io.hepstack.ingest.peers;

import io.hepstack.ingest.CollectorDatabase;
import io.hepstack.ingest.listen.HepListeners;
import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.media.Codec;
import io.hepstack.proto.media.MediaThresholds;
import io.hepstack.proto.media.ReportBlock;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.sip.SdpMedia;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParser;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A real media relay into the collector: Debian's rtpengine (userspace, no kernel module) relays RTP and RTCP
 * between endpoints the test runs ({@link MediaEndpoint}), controlled by Kamailio's {@code rtpengine} module
 * ({@code rtpengine_offer}/{@code answer}/{@code delete} rewriting the SDP of calls the test places through
 * Kamailio), and mirrors every RTCP report it relays as HEP ({@code --homer}) to hep-ingest, which runs as the
 * application against a real PostgreSQL. Kamailio's {@code siptrace} mirrors the SIP to the same collector.
 *
 * <p>Two calls at once, each {@value #REPORTS} reports a side, one a second: a two-way call whose endpoints
 * report known loss and jitter, and a call whose callee sends no RTP (one direction silenced). The stored
 * reports are summed up by common-proto's {@link CallMedia}, as {@code GET /api/v1/calls/{callId}/qos} does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "homer.ingest.udp.host=127.0.0.1", "homer.ingest.udp.port=0",
        "homer.ingest.tcp.host=127.0.0.1", "homer.ingest.tcp.port=0",
        "homer.ingest.pipeline.batch-age=50ms"})
class RtpengineQosIT {

    /** rtpengine's {@code --homer-id}; Kamailio's siptrace sends 2001. */
    static final int RTPENGINE_CAPTURE_ID = 2002;
    static final int REPORTS = 3;
    /** RTP packets between two reports: one second at 20 ms a packet. */
    static final int PACKETS_PER_REPORT = 50;
    /** rtpengine's media ports: a range this size, checked free. */
    static final int MEDIA_PORTS = 40;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        CollectorDatabase.register(db, r);
    }

    @Autowired
    HepListeners listeners;

    // the two calls, placed once for every test of the class (the first test's @BeforeEach)
    private static final String run = UUID.randomUUID().toString().substring(0, 8);
    private static Call twoWay;
    private static Call oneWay;
    private static String peersOutput = "";

    /**
     * What one report block says.
     *
     * @param fractionLost   lost since the last report, in 1/256
     * @param cumulativeLost lost since the start (negative: more received than expected, some twice)
     * @param jitter         interarrival jitter in RTP units (8 kHz: 8 a ms)
     */
    record Says(int fractionLost, int cumulativeLost, int jitter) {
        double lossPercent() {
            return fractionLost * 100.0 / 256;
        }

        double jitterMs() {
            return jitter / 8.0;
        }
    }

    /** The two-way call's caller about the callee's stream, report by report (the first below zero: -2, packets received twice). */
    static final List<Says> CALLER_SAYS = List.of(new Says(0, -2, 40), new Says(5, 1, 80), new Says(10, 3, 120));
    /** The two-way call's callee about the caller's stream: 2.3 %, 3.5 %, 4.7 % lost; 20, 25, 30 ms of jitter. */
    static final List<Says> CALLEE_SAYS = List.of(new Says(6, 4, 160), new Says(9, 10, 200), new Says(12, 17, 240));
    /** The one-way call's callee receives the caller's stream cleanly, 2 ms of jitter. */
    static final List<Says> SILENT_CALLEE_SAYS = List.of(new Says(0, 0, 16), new Says(0, 0, 16), new Says(0, 0, 16));

    private static final OncePerClass once = new OncePerClass();

    @BeforeEach
    void twoCallsThroughKamailioAndRtpengine() throws Throwable {
        once.run(this::placeCalls);
    }

    private void placeCalls() throws Exception {
        String rtpengine = Peer.require("rtpengine", "rtpengine-daemon");
        Path dir = Files.createDirectories(Path.of("target", "peers", "rtpengine-qos").toAbsolutePath());
        int hepPort = listeners.udpAddress().getPort();
        List<Integer> taken = new ArrayList<>();
        int ngPort = Peer.freePort(taken);
        int proxyPort = Peer.freePort(taken);
        int mediaFrom = freeRange(MEDIA_PORTS);
        try (Peer relay = Peer.start("rtpengine", dir, List.of(rtpengine, "--config-file=none", "--table=-1",
                "--foreground", "--log-stderr", "--log-level=7", "--interface=127.0.0.1",
                "--listen-ng=127.0.0.1:" + ngPort, "--port-min=" + mediaFrom, "--port-max=" + (mediaFrom + MEDIA_PORTS - 1),
                "--homer=127.0.0.1:" + hepPort, "--homer-protocol=udp", "--homer-id=" + RTPENGINE_CAPTURE_ID,
                "--num-threads=2", "--delete-delay=0"))) {
            awaitOutput(relay, "Startup complete");
            try (Peer k = Peer.kamailio(dir, kamailioConfig(proxyPort, ngPort, hepPort));
                 MediaEndpoint a1 = MediaEndpoint.open(0x1111_0001L); MediaEndpoint b1 = MediaEndpoint.open(0x2222_0001L);
                 MediaEndpoint a2 = MediaEndpoint.open(0x1111_0002L); MediaEndpoint b2 = MediaEndpoint.open(0x2222_0002L)) {
                twoWay = Call.place("two-way-" + run + "@hepstack.test", proxyPort, a1, b1, relay, k);
                oneWay = Call.place("one-way-" + run + "@hepstack.test", proxyPort, a2, b2, relay, k);
                talk();
                twoWay.hangUp();
                oneWay.hangUp();
                twoWay.close();
                oneWay.close();
                peersOutput = "\nrtpengine:\n" + relay.output() + "\nKamailio:\n" + k.output();
            }
        }
    }

    @AfterAll
    static void closeCalls() {
        for (Call c : new Call[] {twoWay, oneWay}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /**
     * {@value #REPORTS} seconds of media on both calls at 20 ms a packet, each side reporting once a second; the
     * one-way call's callee sends no RTP (its RTCP still goes, as a muted phone's does).
     */
    private static void talk() throws IOException {
        MediaEndpoint a1 = twoWay.caller, b1 = twoWay.callee, a2 = oneWay.caller, b2 = oneWay.callee;
        long start = System.nanoTime();
        int packets = REPORTS * PACKETS_PER_REPORT;
        for (int i = 1; i <= packets; i++) {
            LockSupport.parkNanos(start + i * 20_000_000L - System.nanoTime());
            for (MediaEndpoint e : List.of(a1, b1, a2, b2)) {
                e.drain();
                if (e != b2) {
                    e.sendRtp();
                }
            }
            if (i % PACKETS_PER_REPORT == 0) {
                int n = i / PACKETS_PER_REPORT - 1;
                long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
                a1.sendRtcp(block(b1.ssrc, CALLER_SAYS.get(n), a1), "alice-" + run, now);
                b1.sendRtcp(block(a1.ssrc, CALLEE_SAYS.get(n), b1), "bob-" + run, now);
                // the one-way call's caller receives nothing: a sender report without a block
                a2.sendRtcp(a2.packetsReceived() == 0 ? null : block(b2.ssrc, new Says(0, 0, 0), a2), "carol-" + run, now);
                b2.sendRtcp(block(a2.ssrc, SILENT_CALLEE_SAYS.get(n), b2), "dave-" + run, now);
            }
        }
        // the last reports relayed to the far side (or 5 s, and the relay test says what is missing), then 100 ms more
        long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < settle
                && List.of(a1, b1, a2, b2).stream().anyMatch(e -> e.rtcpReceived().size() < REPORTS)) {
            drain(a1, b1, a2, b2);
            LockSupport.parkNanos(10_000_000L);
        }
        LockSupport.parkNanos(100_000_000L);
        drain(a1, b1, a2, b2);
    }

    private static void drain(MediaEndpoint... endpoints) throws IOException {
        for (MediaEndpoint e : endpoints) {
            e.drain();
        }
    }

    private static ReportBlock block(long source, Says says, MediaEndpoint reporter) {
        return new ReportBlock(source, says.fractionLost(), says.cumulativeLost(), reporter.highestSeqReceived(),
                says.jitter(), 0, 0);
    }

    @Test
    void rtpengineRelaysTheMediaAndTheReportsUntouched() {
        for (Call c : List.of(twoWay, oneWay)) {
            assertThat(c.caller.rtcpReceived()).as(c.callId + ": the callee's reports at the caller" + peersOutput)
                    .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(c.callee.rtcpSent());
            assertThat(c.callee.rtcpReceived()).as(c.callId + ": the caller's reports at the callee" + peersOutput)
                    .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(c.caller.rtcpSent());
            assertThat(c.callee.packetsReceived()).as(c.callId + ": RTP at the callee" + peersOutput).isPositive();
            assertThat(c.callee.rtpFrom()).as("the callee's RTP comes from the relay")
                    .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), c.calleeSideRtp));
        }
        assertThat(twoWay.caller.packetsReceived()).as("RTP at the two-way call's caller" + peersOutput).isPositive();
        assertThat(oneWay.caller.packetsReceived()).as("the one-way call's callee sent nothing").isZero();
    }

    @Test
    void rtpengineMirrorsEachReportItRelaysAsJsonUnderTheCallsCallId() throws Exception {
        for (Call c : List.of(twoWay, oneWay)) {
            List<Row> rows = reportRows(c.callId);
            assertThat(rows).as(c.callId + ": stored " + stored() + peersOutput).hasSize(2 * REPORTS);
            // each reporter's reports come from its RTCP port, to the relay's RTCP port facing it
            assertThat(rows).filteredOn(r -> r.srcPort == c.caller.rtcpPort()).hasSize(REPORTS)
                    .allSatisfy(r -> assertThat(r.dstPort).isEqualTo(c.callerSideRtcp));
            assertThat(rows).filteredOn(r -> r.srcPort == c.callee.rtcpPort()).hasSize(REPORTS)
                    .allSatisfy(r -> assertThat(r.dstPort).isEqualTo(c.calleeSideRtcp));
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.payload[0]).as("rtpengine renders RTCP as JSON").isEqualTo((byte) '{');
                assertThat(r.correlationId).isEqualTo(c.callId);
                assertThat(r.transport).as("IP protocol chunk: UDP").isEqualTo(17);
                assertThat(r.node).as("no node name chunk").isNull();
                assertThat(r.extra).contains("\"rtcp\"").doesNotContain("rtcpError");
            });
            assertThat(sipRows(c.callId)).as("Kamailio's siptrace of the same call").isPositive();
        }
        // the caller's first report said -2 (packets received twice); rtpengine prints the 24-bit field unsigned (16777214)
        CallMedia.Report first = reports(twoWay.callId).stream()
                .filter(r -> r.reporter().endsWith(":" + twoWay.caller.rtcpPort())).findFirst().orElseThrow();
        assertThat(first.report().reports().get(0).blocks().get(0).cumulativeLost()).isEqualTo(-2);
        assertThat(first.report().cname()).isEqualTo("alice-" + run);
    }

    @Test
    void theTwoWayCallsStreamsCarryTheLossAndJitterItsEndpointsReported() throws Exception {
        CallMedia.Summary s = CallMedia.summarize(reports(twoWay.callId), twoWay.codec, MediaThresholds.DEFAULTS);
        assertThat(s.codec()).isEqualTo(Codec.PCMA);
        assertThat(s.reports()).isEqualTo(2 * REPORTS);
        assertThat(s.verdicts()).as("nothing wrong: %s", s.verdicts()).isEmpty();
        assertThat(s.streams()).hasSize(2);
        CallMedia.Stream atCallee = stream(s, twoWay.caller.ssrc);
        assertThat(atCallee.reporterSsrc()).isEqualTo(twoWay.callee.ssrc);
        assertThat(atCallee.to()).isEqualTo("127.0.0.1:" + twoWay.callee.rtcpPort());
        assertThat(atCallee.from()).as("the relay's port facing the reporter").isEqualTo("127.0.0.1:" + twoWay.calleeSideRtcp);
        assertThat(atCallee.leg()).isEqualTo(twoWay.callId);
        expect(atCallee, CALLEE_SAYS);
        CallMedia.Stream atCaller = stream(s, twoWay.callee.ssrc);
        assertThat(atCaller.to()).isEqualTo("127.0.0.1:" + twoWay.caller.rtcpPort());
        expect(atCaller, CALLER_SAYS);
    }

    @Test
    void aCallWithOneDirectionSilencedIsOneWayAudio() throws Exception {
        CallMedia.Summary s = CallMedia.summarize(reports(oneWay.callId), oneWay.codec, MediaThresholds.DEFAULTS);
        assertThat(s.streams()).singleElement().satisfies(st -> {
            assertThat(st.sourceSsrc()).isEqualTo(oneWay.caller.ssrc);
            expect(st, SILENT_CALLEE_SAYS);
        });
        assertThat(s.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.code()).isEqualTo("one_way_audio");
            // the reporter is the caller's RTCP port; its peer is the relay's port facing it, where its media would come from
            assertThat(v.text()).startsWith("127.0.0.1:" + oneWay.caller.rtcpPort() + " received no media from 127.0.0.1:"
                    + oneWay.callerSideRtcp + " (" + REPORTS + " reports over ").endsWith(" s), while media flowed the other way: one-way audio");
            assertThat(v.stream()).isNull();
        });
    }

    /** The stream's figures are the reports' own: mean and worst loss and jitter, the last cumulative loss. */
    private static void expect(CallMedia.Stream st, List<Says> says) {
        assertThat(st.reports()).isEqualTo(says.size());
        assertThat(st.series()).extracting(CallMedia.Point::lossPercent)
                .containsExactlyElementsOf(says.stream().map(Says::lossPercent).toList());
        assertThat(st.series()).extracting(CallMedia.Point::jitterMs)
                .containsExactlyElementsOf(says.stream().map(Says::jitterMs).toList());
        assertThat(st.lossPercent()).isCloseTo(says.stream().mapToDouble(Says::lossPercent).average().orElseThrow(), within(1e-9));
        assertThat(st.maxLossPercent()).isCloseTo(says.stream().mapToDouble(Says::lossPercent).max().orElseThrow(), within(1e-9));
        assertThat(st.jitterMs()).isCloseTo(says.stream().mapToDouble(Says::jitterMs).average().orElseThrow(), within(1e-9));
        assertThat(st.maxJitterMs()).isCloseTo(says.stream().mapToDouble(Says::jitterMs).max().orElseThrow(), within(1e-9));
        assertThat(st.packetsLost()).as("cumulative loss at the last report").isEqualTo(says.get(says.size() - 1).cumulativeLost());
    }

    private static CallMedia.Stream stream(CallMedia.Summary s, long sourceSsrc) {
        return s.streams().stream().filter(st -> st.sourceSsrc() == sourceSsrc).findFirst()
                .orElseThrow(() -> new AssertionError("no stream of " + sourceSsrc + " in " + s.streams()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // the stored rows

    record Row(long micros, String src, int srcPort, String dst, int dstPort, String correlationId, byte[] payload,
               String extra, int transport, String node) {
    }

    /** rtpengine's rows of {@code callId}, once every report sent is stored (or after 20 s). */
    private List<Row> reportRows(String callId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Row> rows = rows(callId);
        while (rows.size() < 2 * REPORTS && System.nanoTime() < deadline) {
            Thread.sleep(100);
            rows = rows(callId);
        }
        Thread.sleep(200); // nothing more arrives
        return rows(callId);
    }

    private List<CallMedia.Report> reports(String callId) throws Exception {
        List<CallMedia.Report> out = new ArrayList<>();
        for (Row r : reportRows(callId)) {
            out.add(new CallMedia.Report(r.micros, r.src + ":" + r.srcPort, r.dst + ":" + r.dstPort, r.correlationId,
                    RtcpReport.read(r.payload)));
        }
        return out;
    }

    private static List<Row> rows(String callId) throws Exception {
        List<Row> out = new ArrayList<>();
        try (Connection c = db.openJdbc(); PreparedStatement st = c.prepareStatement("select (extract(epoch from ts) * 1e6)::bigint,"
                + " host(src_ip), src_port, host(dst_ip), dst_port, correlation_id, coalesce(payload_bytes, convert_to(payload_text, 'UTF8')),"
                + " extra::text, transport, node from messages where correlation_id = ? and proto_type = 5 and capture_id = ?"
                + " order by ts")) {
            st.setString(1, callId);
            st.setInt(2, RTPENGINE_CAPTURE_ID);
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    out.add(new Row(r.getLong(1), r.getString(2), r.getInt(3), r.getString(4), r.getInt(5), r.getString(6),
                            r.getBytes(7), r.getString(8), r.getInt(9), r.getString(10)));
                }
            }
        }
        return out;
    }

    /** What the collector stored, by kind, type, capture id and correlation, for failure messages. */
    private static List<String> stored() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.openJdbc(); PreparedStatement st = c.prepareStatement("select kind, proto_type, capture_id,"
                + " call_id, correlation_id, count(*), min(extra::text) from messages group by 1, 2, 3, 4, 5");
             ResultSet r = st.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1) + " type " + r.getInt(2) + " capture " + r.getLong(3) + " call " + r.getString(4)
                        + " correlation " + r.getString(5) + ": " + r.getLong(6) + " " + r.getString(7));
            }
        }
        return out;
    }

    private static long sipRows(String callId) throws Exception {
        try (Connection c = db.openJdbc(); PreparedStatement st = c.prepareStatement(
                "select count(*) from messages where call_id = ? and proto_type = 1")) {
            st.setString(1, callId);
            try (ResultSet r = st.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the peers

    /**
     * A stateful proxy on 127.0.0.1 that has rtpengine rewrite every SDP (offer in the INVITE, answer in its 2xx,
     * the session deleted at BYE) and mirrors every SIP message with siptrace to the collector.
     */
    static String kamailioConfig(int proxyPort, int ngPort, int hepPort) {
        return """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=1
                auto_aliases=no
                listen=udp:127.0.0.1:%1$d
                mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "textops.so"
                loadmodule "siputils.so"
                loadmodule "siptrace.so"
                loadmodule "rtpengine.so"
                modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:%2$d")
                modparam("siptrace", "duplicate_uri", "sip:127.0.0.1:%3$d")
                modparam("siptrace", "hep_mode_on", 1)
                modparam("siptrace", "hep_version", 3)
                modparam("siptrace", "hep_capture_id", 2001)
                modparam("siptrace", "trace_to_database", 0)
                modparam("siptrace", "trace_mode", 1)
                modparam("siptrace", "trace_on", 1)
                request_route {
                    if (is_method("INVITE") && has_body("application/sdp")) {
                        rtpengine_offer();
                        t_on_reply("MEDIA");
                    } else if (is_method("BYE")) {
                        rtpengine_delete();
                    }
                    if (is_method("ACK") && !t_check_trans()) {
                        forward();
                        exit;
                    }
                    if (!t_relay()) { sl_reply_error(); }
                }
                onreply_route[MEDIA] {
                    if (status =~ "^2" && has_body("application/sdp")) {
                        rtpengine_answer();
                    }
                }
                """.formatted(proxyPort, ngPort, hepPort);
    }

    /**
     * The first of {@code size} consecutive ports free for UDP on 127.0.0.1, from a random even start between
     * 20000 and 32000: below Linux's default ephemeral ports (32768-60999), where the endpoints, Kamailio and
     * other tests' sockets get theirs.
     */
    private static int freeRange(int size) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int from = 20_000 + 2 * random.nextInt(6_000);
            List<DatagramSocket> held = new ArrayList<>();
            try {
                for (int p = from; p < from + size; p++) {
                    held.add(new DatagramSocket(p, lo));
                }
                return from;
            } catch (IOException taken) {
                // try another start
            } finally {
                for (DatagramSocket s : held) {
                    s.close();
                }
            }
        }
        throw new IOException("no " + size + " consecutive free UDP ports on 127.0.0.1 in 50 attempts");
    }

    private static void awaitOutput(Peer p, String line) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!p.output().contains(line)) {
            assertThat(p.isAlive()).as("exited:\n" + p.output()).isTrue();
            assertThat(System.nanoTime()).as("no '" + line + "' in 15 s:\n" + p.output()).isLessThan(end);
            Thread.sleep(100);
        }
    }

    /**
     * One call placed through Kamailio by a minimal caller and callee written here: INVITE with the caller's SDP
     * offer, 200 with the callee's answer, ACK, and later BYE and its 200. Each side's media goes where the SDP it
     * received (rewritten by rtpengine) says.
     */
    static final class Call implements AutoCloseable {
        static final Pattern RTCP_ATTRIBUTE = Pattern.compile("a=rtcp:(\\d+)");

        final String callId;
        final MediaEndpoint caller;
        final MediaEndpoint callee;
        final DatagramSocket callerSip;
        final DatagramSocket calleeSip;
        final int proxyPort;
        final Peer relay;
        final Peer kamailio;
        Codec codec;
        int callerSideRtp;
        int callerSideRtcp;
        int calleeSideRtp;
        int calleeSideRtcp;

        private Call(String callId, int proxyPort, MediaEndpoint caller, MediaEndpoint callee, Peer relay, Peer kamailio)
                throws IOException {
            this.callId = callId;
            this.proxyPort = proxyPort;
            this.caller = caller;
            this.callee = callee;
            this.relay = relay;
            this.kamailio = kamailio;
            InetAddress lo = InetAddress.getLoopbackAddress();
            this.callerSip = new DatagramSocket(0, lo);
            this.calleeSip = new DatagramSocket(0, lo);
            callerSip.setSoTimeout(5_000);
            calleeSip.setSoTimeout(5_000);
        }

        static Call place(String callId, int proxyPort, MediaEndpoint caller, MediaEndpoint callee, Peer relay, Peer kamailio)
                throws Exception {
            Call c = new Call(callId, proxyPort, caller, callee, relay, kamailio);
            c.setUp();
            return c;
        }

        private String dialog(String toTag, int cseq, String method, String branch) {
            return "Via: SIP/2.0/UDP 127.0.0.1:" + callerSip.getLocalPort() + ";branch=z9hG4bK-" + branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:alice@127.0.0.1>;tag=a-" + callId.hashCode() + "\r\n"
                    + "To: <sip:bob@127.0.0.1>" + toTag + "\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + cseq + " " + method + "\r\n";
        }

        private String calleeUri() {
            return "sip:bob@127.0.0.1:" + calleeSip.getLocalPort();
        }

        private static String sdp(String user, int rtpPort) {
            return "v=0\r\no=" + user + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + rtpPort + " RTP/AVP 8 0\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\n"
                    + "a=sendrecv\r\n";
        }

        private void setUp() throws Exception {
            String offer = sdp("alice", caller.rtpPort());
            send(callerSip, proxyPort, "INVITE " + calleeUri() + " SIP/2.0\r\n" + dialog("", 1, "INVITE", "inv")
                    + "Contact: <sip:alice@127.0.0.1:" + callerSip.getLocalPort() + ">\r\n"
                    + "Content-Type: application/sdp\r\nContent-Length: " + offer.length() + "\r\n\r\n" + offer);
            Received invite = receive(calleeSip, m -> m.isRequest() && "INVITE".equals(m.method()), "the INVITE at the callee");
            int[] toCallee = media(invite.message, "the offer rtpengine rewrote");
            calleeSideRtp = toCallee[0];
            calleeSideRtcp = toCallee[1];
            callee.sendTo(calleeSideRtp, calleeSideRtcp);
            String answer = sdp("bob", callee.rtpPort());
            respond(invite, "200 OK", "Contact: <" + calleeUri() + ">\r\nContent-Type: application/sdp\r\n", answer);
            Received ok = receive(callerSip, m -> !m.isRequest() && m.statusCode() == 200, "the 200 at the caller");
            int[] toCaller = media(ok.message, "the answer rtpengine rewrote");
            callerSideRtp = toCaller[0];
            callerSideRtcp = toCaller[1];
            caller.sendTo(callerSideRtp, callerSideRtcp);
            codec = Codec.ofSdp(ok.message.sdp().media().get(0).codecs().get(0));
            send(callerSip, proxyPort, "ACK " + calleeUri() + " SIP/2.0\r\n" + dialog(";tag=b", 1, "ACK", "ack")
                    + "Content-Length: 0\r\n\r\n");
            receive(calleeSip, m -> m.isRequest() && "ACK".equals(m.method()), "the ACK at the callee");
        }

        void hangUp() throws Exception {
            send(callerSip, proxyPort, "BYE " + calleeUri() + " SIP/2.0\r\n" + dialog(";tag=b", 2, "BYE", "bye")
                    + "Content-Length: 0\r\n\r\n");
            Received bye = receive(calleeSip, m -> m.isRequest() && "BYE".equals(m.method()), "the BYE at the callee");
            respond(bye, "200 OK", "", "");
            receive(callerSip, m -> !m.isRequest() && m.statusCode() == 200 && m.cseq() != null
                    && "BYE".equals(m.cseq().method()), "the 200 to BYE at the caller");
        }

        /** The RTP and RTCP ports of the first audio line of {@code m}'s SDP. */
        private int[] media(SipMessage m, String what) {
            assertThat(m.sdp()).as(what + ":\n" + text(m)).isNotNull();
            SdpMedia audio = m.sdp().media().get(0);
            assertThat(audio.connectionAddress() != null ? audio.connectionAddress() : m.sdp().connectionAddress())
                    .as(what).isEqualTo("127.0.0.1");
            assertThat(audio.port()).as(what + ": the relay's port, not the endpoint's:\n" + text(m))
                    .isNotIn(caller.rtpPort(), callee.rtpPort());
            Matcher rtcp = RTCP_ATTRIBUTE.matcher(text(m));
            return new int[] {audio.port(), rtcp.find() ? Integer.parseInt(rtcp.group(1)) : audio.port() + 1};
        }

        private static String text(SipMessage m) {
            return new String(m.buffer(), m.offset(), m.length(), StandardCharsets.UTF_8);
        }

        private record Received(SipMessage message, InetSocketAddress from) {
        }

        private Received receive(DatagramSocket socket, java.util.function.Predicate<SipMessage> wanted, String what)
                throws Exception {
            byte[] buf = new byte[8192];
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < end) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                SipMessage m = SipParser.parse(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                if (wanted.test(m)) {
                    return new Received(m, (InetSocketAddress) p.getSocketAddress());
                }
            }
            throw new AssertionError("no " + what + " in 10 s (" + callId + ")\nrtpengine:\n" + relay.output()
                    + "\nKamailio:\n" + kamailio.output());
        }

        /** A response to {@code request}, with its Via headers, From, To (tagged), Call-ID and CSeq. */
        private void respond(Received request, String status, String headers, String body) throws IOException {
            SipMessage r = request.message;
            StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
            for (String via : r.headers("Via")) {
                b.append("Via: ").append(via).append("\r\n");
            }
            b.append("From: ").append(r.header("From")).append("\r\n")
                    .append("To: ").append(r.header("To")).append(r.header("To").contains("tag=") ? "" : ";tag=b").append("\r\n")
                    .append("Call-ID: ").append(r.callId()).append("\r\n")
                    .append("CSeq: ").append(r.header("CSeq")).append("\r\n")
                    .append(headers)
                    .append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
            byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
            calleeSip.send(new DatagramPacket(bytes, bytes.length, request.from));
        }

        private static void send(DatagramSocket socket, int port, String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }

        @Override
        public void close() {
            callerSip.close();
            calleeSip.close();
        }
    }
}
