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

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registration records from real peers: SIPp ({@code sip-tester}) registering with Kamailio ({@code kamailio}) as a
 * registrar that asks for digest credentials ({@link KamailioSiptrace#registrar}), its {@code siptrace} mirroring
 * every REGISTER and answer as HEPv3 to the collector, whose call records' passes keep the records: a phone that
 * answers the challenge and is registered, one with a wrong password challenged three times (a challenge loop), and
 * one that registers then unregisters (Expires: 0). Each record is compared field by field with what the stored
 * messages say (their capture times, the 200's granted expiry).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "homer.ingest.udp.host=127.0.0.1", "homer.ingest.udp.port=0", "homer.ingest.tcp.host=127.0.0.1", "homer.ingest.tcp.port=0",
        "homer.ingest.pipeline.batch-age=50ms", "homer.ingest.calls.enabled=true"})
class KamailioRegistrarIT {

    /** What the SIPp scenarios ask for ({@code Expires: 120}); Kamailio's registrar grants it. */
    static final long EXPIRES_SECONDS = 120;
    static final String USER_AGENT = "sipp-registrar-test";

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
    void aRegistrationAChallengeLoopAndAnUnregisterGiveTheirExactRecords() throws Exception {
        String kamailio = Peer.require("kamailio", "kamailio");
        String sipp = Peer.require("sipp", "sip-tester");
        int proxyPort = Peer.freePort();
        Path cfg = tmp.resolve("kamailio.cfg");
        Files.writeString(cfg, KamailioSiptrace.registrar(proxyPort, "sip:127.0.0.1:" + listeners.udpAddress().getPort()));
        for (String scenario : List.of("register", "loop", "unregister")) {
            try (InputStream in = getClass().getResourceAsStream("/sipp/" + scenario + ".xml")) {
                Files.copy(in, tmp.resolve(scenario + ".xml"));
            }
        }
        try (Peer k = Peer.start("kamailio", tmp, List.of(kamailio, "-DD", "-E", "-f", cfg.toString(),
                "-w", tmp.toString(), "-Y", tmp.toString(), "-m", "64", "-M", "8"))) {
            awaitListening(k);
            warmUp(proxyPort);
            int alice = phone(sipp, "register", "alice", KamailioSiptrace.REGISTRAR_PASSWORD, proxyPort, k);
            int bob = phone(sipp, "loop", "bob", "wrong-password", proxyPort, k);
            int carol = phone(sipp, "unregister", "carol", KamailioSiptrace.REGISTRAR_PASSWORD, proxyPort, k);

            // every REGISTER and answer stored (received and answered by the registrar itself: one copy each)
            awaitCount("select count(*) from messages where call_id like 'reg-%'", 4 + 6 + 8);
            awaitCount("select count(*) from registration_records", 3);
            awaitCount("select count(*) from registration_records where state = 'unregistered'", 1);

            String registrar = "127.0.0.1:" + proxyPort;
            // alice: REGISTER 401, REGISTER 200 granting 120 s
            assertThat(record("alice")).isEqualTo(expected("alice", alice, "registered",
                    at("status = 200") + EXPIRES_SECONDS * 1_000_000L, "cseq = 1 and method = 'REGISTER'",
                    "cseq = 2 and method = 'REGISTER'", at("status = 200", "alice"), 2, 1, 0, registrar, 4));
            // bob: three REGISTERs, each answered 401: a challenge loop, never registered
            assertThat(record("bob")).isEqualTo(expected("bob", bob, "challenge_loop", null,
                    "cseq = 1 and method = 'REGISTER'", "cseq = 3 and method = 'REGISTER'", null, 3, 3, 0, registrar, 6));
            // carol: registered (401, 200), then removed with Expires: 0 (401, 200)
            assertThat(record("carol")).isEqualTo(expected("carol", carol, "unregistered", null,
                    "cseq = 1 and method = 'REGISTER'", "cseq = 4 and method = 'REGISTER'",
                    at("status = 200 and cseq = 4", "carol"), 4, 2, 0, registrar, 8));
            // the passes counted what they wrote: each binding at least once, again for each later batch of its AoR's
            // REGISTER rows (one binding per AoR here: at most one write per stored row, 18)
            assertThat(registry.find("hep.registration.records.written").counter().count()).isBetween(3.0, 18.0);
        }
    }

    /** Runs one SIPp scenario of {@code user} against the registrar; returns its SIP port. */
    private int phone(String sipp, String scenario, String user, String password, int proxyPort, Peer k) throws Exception {
        int port = Peer.freePort();
        try (Peer p = Peer.start("sipp-" + user, tmp, List.of(sipp, "-sf", tmp.resolve(scenario + ".xml").toString(),
                "127.0.0.1:" + proxyPort, "-i", "127.0.0.1", "-p", Integer.toString(port), "-m", "1", "-s", user,
                "-au", user, "-ap", password, "-cid_str", "reg-" + user + "-%u-%p@%s", "-nostdin"))) {
            assertThat(p.await(30)).as("SIPp " + scenario + ":\n" + p.output() + "\nKamailio:\n" + k.output()).isZero();
        }
        return port;
    }

    /**
     * The record as {@link #record} reads it, of a binding of {@code user} from SIPp's port, its times those of the
     * stored messages the conditions name.
     */
    private static String expected(String user, int port, String state, Long expiresAt, String first, String last,
                                   Long lastSuccess, int registers, int challenges, int failures, String registrar, int rows)
            throws Exception {
        return String.join(" | ", "sip:" + user + "@127.0.0.1:" + port, "127.0.0.1:" + port, USER_AGENT, state,
                String.valueOf(expiresAt), String.valueOf(at(first, user)), String.valueOf(at(last, user)),
                String.valueOf(lastSuccess), "null", "null", String.valueOf(registers), String.valueOf(challenges),
                String.valueOf(failures), registrar, "{2001}", String.valueOf(rows));
    }

    private static String record(String user) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.openJdbc(); PreparedStatement s = c.prepareStatement("select contact, host(src_ip) || ':' || src_port, "
                + "user_agent, state, " + micros("expires_at") + ", " + micros("first_register_at") + ", " + micros("last_register_at")
                + ", " + micros("last_success_at") + ", " + micros("last_failure_at") + ", last_failure_status, registers, challenges, "
                + "failures, host(dst_ip) || ':' || dst_port, nodes::text, stored_rows from registration_records where aor = ?")) {
            s.setString(1, user + "@127.0.0.1");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= 16; i++) {
                        values.add(String.valueOf(r.getObject(i)));
                    }
                    rows.add(String.join(" | ", values));
                }
            }
        }
        assertThat(rows).as("the bindings of " + user).hasSize(1);
        return rows.get(0);
    }

    /** The capture time of the one stored message of the scenario of the user in the statement's condition. */
    private static Long at(String condition) throws Exception {
        return at(condition, "alice");
    }

    private static Long at(String condition, String user) throws Exception {
        try (Connection c = db.openJdbc(); PreparedStatement s = c.prepareStatement("select " + micros("ts")
                + ", count(*) over () from messages where call_id like ? and " + condition)) {
            s.setString(1, "reg-" + user + "-%");
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as(condition).isTrue();
                assertThat(r.getLong(2)).as("one message: " + condition).isEqualTo(1);
                return r.getLong(1);
            }
        }
    }

    private static String micros(String column) {
        return "(extract(epoch from " + column + ") * 1000000)::bigint";
    }

    private static void awaitCount(String sql, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long n;
        while ((n = count(sql)) < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(300); // nothing more arrives
        assertThat(count(sql)).as(sql).isEqualTo(expected);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.openJdbc(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Kamailio listening, its worker forked and reading (as in {@code KamailioSiptraceIT}). */
    private static void awaitListening(Peer k) throws Exception {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!k.output().contains("Listening on") || !k.output().contains("SO_RCVBUF is finally")) {
            assertThat(k.isAlive()).as("Kamailio exited:\n" + k.output()).isTrue();
            assertThat(System.nanoTime()).as("Kamailio not listening:\n" + k.output()).isLessThan(end);
            Thread.sleep(100);
        }
        Thread.sleep(300);
    }

    /** OPTIONS answered by Kamailio itself until one is stored: its trace socket is up before the counted REGISTERs. */
    private static void warmUp(int proxyPort) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket socket = new DatagramSocket(0, loopback)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
                byte[] options = ("OPTIONS sip:warmup@127.0.0.1:" + proxyPort + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-warmup-reg-" + attempt + "\r\n"
                        + "From: <sip:warmup@127.0.0.1>;tag=w" + attempt + "\r\nTo: <sip:warmup@127.0.0.1>\r\n"
                        + "Call-ID: warmup-reg-" + attempt + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(options, options.length, loopback, proxyPort));
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < until) {
                    if (count("select count(*) from messages where call_id like 'warmup-reg-%'") > 0) {
                        return;
                    }
                    Thread.sleep(100);
                }
            }
        }
        throw new AssertionError("no warm-up OPTIONS mirrored by Kamailio reached the collector within 20 s");
    }
}
