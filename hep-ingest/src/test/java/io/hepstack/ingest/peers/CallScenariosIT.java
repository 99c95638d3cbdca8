package io.hepstack.ingest.peers;

import io.hepstack.ingest.CollectorDatabase;
import io.hepstack.ingest.listen.HepListeners;
import io.hepstack.proto.call.CallRecord;
import io.hepstack.proto.call.DialogsColumn;
import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.proto.testing.KamailioSiptrace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Call records of calls between real SIP user agents: for each scenario a SIPp ({@code sip-tester}) caller and
 * callee, each running its side from {@code src/test/resources/sipp/NAME.uac.xml} and {@code NAME.uas.xml},
 * call each other through Kamailio ({@code kamailio}), a record-routing stateful proxy whose {@code siptrace}
 * mirrors every message it receives and sends as HEP to hep-ingest, which runs as the application with call
 * records on against a real PostgreSQL. Each call's record, as the collector's passes keep it in
 * {@code call_records}, is checked field by field: state, who hung up, final answer, Reason, codecs, counts, and
 * that its PDD, setup time, ringing and talk time are there when they should be and within the scenario's
 * pauses (a range on a value, with room for a busy machine, not a timing of this machine).
 *
 * <p>All scenarios run at once, each pair of SIPp processes on its own ports and Call-ID, through one Kamailio.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "homer.ingest.udp.host=127.0.0.1", "homer.ingest.udp.port=0",
        "homer.ingest.tcp.host=127.0.0.1", "homer.ingest.tcp.port=0",
        "homer.ingest.pipeline.batch-age=50ms", "homer.ingest.calls.enabled=true",
        "homer.ingest.calls.interval=200ms", "homer.ingest.calls.ring-timeout=" + CallScenariosIT.COLLECTOR_RING_TIMEOUT_MS + "ms"})
class CallScenariosIT {

    /** The collector's ring timeout ({@code homer.ingest.calls.ring-timeout}): a call ringing this long is not answered. */
    static final long COLLECTOR_RING_TIMEOUT_MS = 4_000;
    /** Kamailio's INVITE timer for the {@code ring-timeout} scenario's callee (its default: 120 s). */
    static final Duration PROXY_RING_TIMEOUT = Duration.ofMillis(1_500);
    /** Room above a scenario's pauses for a busy machine: a time is checked within [pause - EARLY_MS, pause + this]. */
    static final long SLACK_MS = 3_000;
    /**
     * Room below a pause or timer: SIPp's pauses can end a little early, and Kamailio's timers run on ticks of 1/16 s
     * (its INVITE timer of 1,500 ms once ended the call 1,446 ms after the INVITE's capture).
     */
    static final long EARLY_MS = 100;

    /** The scenarios, by their file names under {@code sipp/}; each is also the Request-URI user of its call. */
    static final List<String> SCENARIOS = List.of("caller-hangup", "callee-hangup", "busy", "unavailable",
            "ring-timeout", "cancel", "congestion", "auth", "reinvite", "unanswered", "fork");
    /** The one scenario whose call never ends: it rings until the collector's ring timeout makes it not answered. */
    static final String UNANSWERED = "unanswered";
    /**
     * The scenario whose INVITE the proxy forks to two devices: {@code fork.uas.xml} answers, a second callee running
     * {@code cancel.uas.xml} rings until the proxy cancels it.
     */
    static final String FORK = "fork";

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        CollectorDatabase.register(db, r);
    }

    @Autowired
    HepListeners listeners;

    private static final String run = UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, Record> records = new LinkedHashMap<>();
    private static String peersOutput = "";
    private static final OncePerClass once = new OncePerClass();
    /** Kamailio's SIP port: a reply from it is the proxy's own. */
    private static int proxyPort;

    /** A call record as stored, the columns the scenarios check. */
    record Record(String callId, Outcome outcome, String callerUser, String callerAgent, String calleeUser,
                  String calleeAgent, String ruriUser, List<String> codecs, Counts counts, int storedRows,
                  Long pddMs, Long setupMs, Long ringMs, Long durationMs, List<String> nodes, CallRecord.Dialogs dialogs) {
    }

    /** How a call ended: state, who ended it, the final answer and the Reason of the ending message. */
    record Outcome(String state, String hangupBy, Integer finalStatus, String finalPhrase, String reasonProtocol,
                   Integer reasonCause, String reasonText) {
    }

    /** Distinct messages, retransmissions and re-INVITEs. */
    record Counts(int messages, int retransmissions, int reInvites) {
    }

    static final Outcome NORMAL_CLEARING_BY_CALLER = new Outcome("completed", "caller", 200, "OK", "Q.850", 16,
            "Normal call clearing");

    @BeforeEach
    void callsOfEveryScenario() throws Throwable {
        once.run(this::placeCalls);
    }

    @Test
    void theCallerHangsUpAnAnsweredCall() {
        Record r = record("caller-hangup");
        assertThat(r.outcome()).isEqualTo(NORMAL_CLEARING_BY_CALLER);
        assertThat(r.codecs()).containsExactly("PCMU/8000", "telephone-event/8000");
        // INVITE, 100 (the proxy's), 180, 200, ACK, BYE, 200: each mirrored as received and as sent, counted once.
        // The caller sends its INVITE twice at once; the proxy absorbs the second (it relays one INVITE) and answers
        // it with its 100 again (the callee's 180 cannot be there yet): the INVITE and the 100 sent again, once each
        assertThat(r.counts()).isEqualTo(new Counts(7, 2, 0));
        assertThat(r.storedRows()).as("13 rows of a call and the 2 copies sent again").isEqualTo(15);
        assertAnswered(r, 300, 1_000);
    }

    @Test
    void theCalleeHangsUpAnAnsweredCall() {
        Record r = record("callee-hangup");
        assertThat(r.outcome()).isEqualTo(new Outcome("completed", "callee", 200, "OK", "Q.850", 16, "Normal call clearing"));
        assertThat(r.codecs()).containsExactly("PCMA/8000", "telephone-event/8000");
        assertThat(r.counts()).isEqualTo(new Counts(7, 0, 0));
        assertAnswered(r, 300, 1_000);
    }

    @Test
    void aBusyCalleeIsBusy() {
        Record r = record("busy");
        assertThat(r.outcome()).isEqualTo(new Outcome("busy", "callee", 486, "Busy Here", null, null, null));
        assertThat(r.codecs()).isEmpty();
        // INVITE, 100, 180, 486, ACK (the proxy's to the callee and the caller's to the proxy: one ACK of one 486)
        assertThat(r.counts()).isEqualTo(new Counts(5, 0, 0));
        assertRangOnly(r, 200);
    }

    @Test
    void aCalleeUnavailableIsNotAnswered() {
        Record r = record("unavailable");
        assertThat(r.outcome()).isEqualTo(new Outcome("no_answer", "callee", 480, "Temporarily Unavailable", null, null, null));
        assertThat(r.counts()).isEqualTo(new Counts(5, 0, 0));
        assertRangOnly(r, 200);
    }

    @Test
    void theProxysRingTimeoutIsNoAnswerByTheNetwork() {
        Record r = record("ring-timeout");
        // Kamailio's INVITE timer fires: it answers 408 to the caller and cancels the callee (CANCEL, 200, 487, ACK)
        assertThat(r.outcome()).isEqualTo(new Outcome("no_answer", "network", 408, "Request Timeout", null, null, null));
        // INVITE, 100, 180, 408 (the proxy's), CANCEL (the proxy's), its 200, 487, the proxy's ACK of it, the caller's ACK of the 408
        assertThat(r.counts()).isEqualTo(new Counts(9, 0, 0));
        assertRangOnly(r, PROXY_RING_TIMEOUT.toMillis()); // the timer runs from the INVITE the proxy relayed
    }

    @Test
    void theCollectorsRingTimeoutIsNoAnswerByTimeout() {
        Record r = record(UNANSWERED);
        assertThat(r.outcome()).isEqualTo(new Outcome("no_answer", "timeout", null, null, null, null, null));
        assertThat(r.counts()).isEqualTo(new Counts(3, 0, 0));
        assertThat(r.pddMs()).isNotNull();
        // ended at the ring timeout after the INVITE (each of the two cut to whole ms: their sum may be 1 short)
        assertThat(r.pddMs() + r.ringMs()).as("ended at the ring timeout").isBetween(COLLECTOR_RING_TIMEOUT_MS - 1,
                COLLECTOR_RING_TIMEOUT_MS);
        assertThat(r.setupMs()).isNull();
        assertThat(r.durationMs()).isNull();
    }

    @Test
    void aCallerCancellingIsCancelledByTheCaller() {
        Record r = record("cancel");
        assertThat(r.outcome()).isEqualTo(new Outcome("cancelled", "caller", 487, "Request Terminated", "Q.850", 16,
                "Normal call clearing"));
        // INVITE, 100, 180, CANCEL, its 200 from the proxy and its 200 from the callee, 487, ACK
        assertThat(r.counts()).isEqualTo(new Counts(8, 0, 0));
        assertRangOnly(r, 500);
    }

    @Test
    void congestionKeepsTheCalleesCauseThoughTheProxyRelaysA500() {
        Record r = record("congestion");
        assertThat(r.outcome()).isEqualTo(new Outcome("failed", "callee", 503, "Service Unavailable", "Q.850", 34,
                "No circuit/channel available"));
        // INVITE, 100, 180, 503 (the callee's), 500 (Kamailio answers a 503 with a 500 of its own, its own To tag:
        // RFC 3261 16.7), the proxy's ACK of the 503, the caller's ACK of the 500
        assertThat(r.counts()).isEqualTo(new Counts(7, 0, 0));
        assertRangOnly(r, 200);
    }

    @Test
    void aChallengedCallAnsweredWithCredentialsIsOneCompletedCall() {
        Record r = record("auth");
        assertThat(r.outcome()).isEqualTo(NORMAL_CLEARING_BY_CALLER);
        assertThat(r.codecs()).containsExactly("PCMU/8000", "telephone-event/8000");
        // INVITE, 100, 407, ACK; INVITE (CSeq 2, credentials), 100, 180, 200, ACK; BYE, 200
        assertThat(r.counts()).isEqualTo(new Counts(11, 0, 0));
        assertAnswered(r, 300, 500);
    }

    @Test
    void reInvitesForACodecChangeAndAHoldAreCounted() {
        Record r = record("reinvite");
        assertThat(r.outcome()).isEqualTo(NORMAL_CLEARING_BY_CALLER);
        assertThat(r.codecs()).as("the answer's codecs").containsExactly("PCMU/8000", "telephone-event/8000");
        // INVITE, 100, 180, 200, ACK; the caller's re-INVITE (PCMA), 100, 200, ACK; the callee's (sendonly), 100, 200, ACK; BYE, 200
        assertThat(r.counts()).isEqualTo(new Counts(15, 0, 2));
        assertAnswered(r, 300, 700); // 300 ms, the callee's 100 ms before its hold, 300 ms
    }

    @Test
    void aForkedInviteAnsweredByOneDeviceHasBothDevicesEarlyDialogs() {
        Record r = record(FORK);
        assertThat(r.outcome()).isEqualTo(NORMAL_CLEARING_BY_CALLER);
        assertThat(r.codecs()).containsExactly("PCMU/8000", "telephone-event/8000");
        // INVITE (relayed to both devices: one message), 100, each device's 180, the 200, the proxy's CANCEL of the other
        // device, its 200 and 487, the proxy's ACK of the 487, the caller's ACK of the 200, BYE, 200
        assertThat(r.counts()).isEqualTo(new Counts(12, 0, 0));
        assertThat(dialogs(r)).containsExactlyInAnyOrder("200 answered from callee", "487 cancelled from callee");
        assertThat(r.dialogs().kept()).extracting(CallRecord.Dialog::source).doesNotHaveDuplicates();
        assertThat(r.dialogs().kept()).allSatisfy(d -> assertThat(d.ringingAt()).as("both rang").isEqualTo(d.firstReplyAt()));
        assertAnswered(r, 300, 1_000);
    }

    @Test
    void eachDeviceOrProxyThatRepliedWithATagIsAnEarlyDialog() {
        // one device behind the proxy: one early dialog, unless the proxy answered with a To tag of its own
        assertThat(dialogs(record("caller-hangup"))).containsExactly("200 answered from callee");
        assertThat(dialogs(record("busy"))).containsExactly("486 from callee");
        assertThat(dialogs(record("unavailable"))).containsExactly("480 from callee");
        assertThat(dialogs(record("cancel"))).containsExactly("487 cancelled from callee");
        assertThat(dialogs(record(UNANSWERED))).containsExactly("180 from callee");
        // the INVITE challenged by the 407 is not the call's: its answered INVITE (CSeq 2) has one dialog
        assertThat(dialogs(record("auth"))).containsExactly("200 answered from callee");
        // the callee's re-INVITE (the caller answers it, From the callee's tag) is not an early dialog
        assertThat(dialogs(record("reinvite"))).containsExactly("200 answered from callee");
        // Kamailio's own 408 and its own 500 in place of the callee's 503: their To tags are the proxy's
        assertThat(dialogs(record("ring-timeout"))).containsExactly("487 cancelled from callee", "408 from proxy");
        assertThat(dialogs(record("congestion"))).containsExactly("503 from callee", "500 from proxy");
        records.forEach((scenario, r) -> {
            assertThat(r.dialogs().dropped()).as(scenario).isZero();
            assertThat(r.dialogs().kept()).as(scenario).allSatisfy(d -> assertThat(d.ringingAt() == null
                    || d.ringingAt() >= d.firstReplyAt()).isTrue());
        });
    }

    /** Each early dialog of {@code r}: its status, answered, cancelled, and whether the callee or the proxy replied. */
    private static List<String> dialogs(Record r) {
        return r.dialogs().kept().stream().map(d -> d.lastStatus() + (d.answered() ? " answered" : "")
                + (d.cancelled() ? " cancelled" : "") + " from " + (d.source().getPort() == proxyPort ? "proxy" : "callee")).toList();
    }

    @Test
    void everyRecordNamesItsPartiesAndTheProxy() {
        assertThat(records.keySet()).containsExactlyInAnyOrderElementsOf(SCENARIOS);
        records.forEach((scenario, r) -> {
            assertThat(r.callerUser()).as(scenario).isEqualTo("alice");
            assertThat(r.callerAgent()).as(scenario).isEqualTo("hepstack-caller");
            assertThat(r.calleeUser()).as(scenario).isEqualTo(scenario);
            assertThat(r.ruriUser()).as(scenario).isEqualTo(scenario);
            assertThat(r.nodes()).as(scenario).containsExactly("2001");
        });
        assertThat(records.values().stream().filter(r -> !r.outcome().hangupBy().equals("network")
                && !r.outcome().hangupBy().equals("timeout")).map(Record::calleeAgent)).containsOnly("hepstack-callee");
    }

    /**
     * Answered after the callee rang {@code ringMs}, talked {@code talkMs}: PDD, setup, ring and talk time there and
     * within range. The lower bounds hold whatever the load: the proxy captured the INVITE before the callee got it
     * and the answer after the callee's pause; the talk likewise. Only the 180's capture may come late (the proxy's
     * one worker busy), so the ringing is checked as the rest of the setup time.
     */
    private static void assertAnswered(Record r, long ringMs, long talkMs) {
        assertThat(r.pddMs()).as("PDD").isNotNull().isBetween(0L, SLACK_MS);
        assertThat(r.setupMs()).as("setup").isNotNull().isBetween(ringMs - EARLY_MS, ringMs + SLACK_MS);
        assertThat(r.ringMs()).as("ringing: setup less PDD, each cut to whole ms")
                .isBetween(r.setupMs() - r.pddMs() - 1, r.setupMs() - r.pddMs());
        assertThat(r.durationMs()).as("talk").isNotNull().isBetween(talkMs - EARLY_MS, talkMs + SLACK_MS);
    }

    /** Ended {@code endMs} after the INVITE without an answer: PDD and ringing, no setup time, no talk time. */
    private static void assertRangOnly(Record r, long endMs) {
        assertThat(r.pddMs()).as("PDD").isNotNull().isBetween(0L, SLACK_MS);
        assertThat(r.pddMs() + r.ringMs()).as("the INVITE to the end (each cut to whole ms)")
                .isBetween(endMs - EARLY_MS, endMs + SLACK_MS);
        assertThat(r.setupMs()).as("setup").isNull();
        assertThat(r.durationMs()).as("talk").isNull();
    }

    private static Record record(String scenario) {
        assertThat(records).as("records of the scenarios" + peersOutput).containsKey(scenario);
        Record r = records.get(scenario);
        System.out.println("CallScenariosIT: " + scenario + ": " + r);
        return r;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the calls

    private void placeCalls() throws Exception {
        String sipp = Peer.require("sipp", "sip-tester");
        Path dir = Files.createDirectories(Path.of("target", "peers", "call-scenarios").toAbsolutePath());
        List<Integer> taken = new ArrayList<>();
        proxyPort = Peer.freePort(taken);
        String hepUri = "sip:127.0.0.1:" + listeners.udpAddress().getPort();
        long began = System.nanoTime();
        List<Peer> peers = new ArrayList<>();
        Map<String, Peer[]> calls = new LinkedHashMap<>();
        try (Peer kamailio = Peer.kamailio(dir, KamailioSiptrace.recordRoutingConfig(proxyPort, hepUri, "ring-timeout",
                PROXY_RING_TIMEOUT))) {
            try {
                for (String scenario : SCENARIOS) {
                    Path work = Files.createDirectories(dir.resolve(scenario));
                    int uasPort = Peer.freePort(taken);
                    Peer uas = Peer.start("sipp-uas", work, sipp(sipp, work, scenario + ".uas.xml", uasPort));
                    peers.add(uas);
                    awaitBound(uas, uasPort);
                    List<String> uac = new ArrayList<>(sipp(sipp, work, scenario + ".uac.xml", Peer.freePort(taken)));
                    uac.addAll(List.of("127.0.0.1:" + proxyPort, "-s", scenario, "-key", "uas_port", Integer.toString(uasPort),
                            "-cid_str", scenario + "-" + run + "-%u@hepstack.test"));
                    Peer forked = null;
                    if (scenario.equals(FORK)) {
                        int forkPort = Peer.freePort(taken);
                        forked = Peer.start("sipp-uas-forked", work, sipp(sipp, work, "cancel.uas.xml", forkPort));
                        peers.add(forked);
                        awaitBound(forked, forkPort);
                        uac.addAll(List.of("-key", "fork_port", Integer.toString(forkPort)));
                    }
                    Peer caller = Peer.start("sipp-uac", work, uac);
                    peers.add(caller);
                    calls.put(scenario, forked == null ? new Peer[] {caller, uas} : new Peer[] {caller, uas, forked});
                }
                for (Map.Entry<String, Peer[]> call : calls.entrySet()) {
                    if (!call.getKey().equals(UNANSWERED)) {
                        for (Peer side : call.getValue()) {
                            assertThat(side.await(30)).as(call.getKey() + " " + side.name() + ":\n" + side.output()
                                    + "\nKamailio:\n" + kamailio.output()).isZero();
                        }
                    }
                }
                // the unanswered call rings until the collector's pass finds it past the ring timeout
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!"no_answer".equals(state(callId(UNANSWERED))) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                awaitRecordsOfAllRows(kamailio);
                for (String scenario : SCENARIOS) {
                    Record r = read(callId(scenario));
                    if (r != null) {
                        records.put(scenario, r);
                    }
                }
                peersOutput = "\nKamailio:\n" + kamailio.output();
            } finally {
                Collections.reverse(peers);
                for (Peer p : peers) {
                    p.close();
                }
            }
        }
        System.out.printf("CallScenariosIT: %d scenarios placed and recorded in %d ms%n", SCENARIOS.size(),
                Duration.ofNanos(System.nanoTime() - began).toMillis());
    }

    private static List<String> sipp(String sipp, Path work, String scenario, int port) throws IOException {
        try (InputStream in = CallScenariosIT.class.getResourceAsStream("/sipp/" + scenario)) {
            assertThat(in).as("scenario " + scenario).isNotNull();
            Files.copy(in, work.resolve(scenario), StandardCopyOption.REPLACE_EXISTING);
        }
        // -nr: no retransmissions by SIPp (a retransmission is then one the proxy made), -m 1: one call and exit; no
        // media is sent, and SIPp takes the next free media ports from 6000 itself
        return List.of(sipp, "-sf", work.resolve(scenario).toString(), "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-m", "1", "-nr", "-nostdin", "-trace_err");
    }

    /**
     * Waits until the UAS has bound its SIP port (a socket on 127.0.0.1 and that port in /proc/net/udp: binding it
     * to find out would take it from SIPp), so that the INVITE relayed to it is not lost and retransmitted.
     */
    private static void awaitBound(Peer uas, int port) throws Exception {
        String local = String.format(" 0100007F:%04X ", port);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            uas.assertAlive();
            if (Files.readString(Path.of("/proc/net/udp")).contains(local)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(uas.name() + " not listening on " + port + ":\n" + uas.output());
    }

    /** Waits until every call's record was read from all its stored rows and nothing more arrives. */
    private static void awaitRecordsOfAllRows(Peer kamailio) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long settledSince = -1;
        long lastRows = -1;
        while (System.nanoTime() < deadline) {
            long rows = count("select count(*) from messages");
            long behind = count("select count(*) from (select m.call_id, count(*) n from messages m where m.call_id like '%-"
                    + run + "-%' group by m.call_id) m left join call_records r using (call_id)"
                    + " where r.stored_rows is distinct from m.n");
            if (rows == lastRows && behind == 0) {
                if (settledSince < 0) {
                    settledSince = System.nanoTime();
                } else if (System.nanoTime() - settledSince > 500_000_000L) {
                    return;
                }
            } else {
                settledSince = -1;
            }
            lastRows = rows;
            Thread.sleep(100);
        }
        throw new AssertionError("call records not up to date with their rows after 30 s\nKamailio:\n" + kamailio.output());
    }

    private static String callId(String scenario) {
        return scenario + "-" + run + "-1@hepstack.test";
    }

    private static String state(String callId) throws Exception {
        Record r = read(callId);
        return r == null ? null : r.outcome().state();
    }

    private static Record read(String callId) throws Exception {
        try (Connection c = db.openJdbc(); PreparedStatement st = c.prepareStatement("select state, hangup_by, final_status,"
                + " final_phrase, reason_protocol, reason_cause, reason_text, caller_user, caller_agent, callee_user,"
                + " callee_agent, ruri_user, codecs, messages, retransmissions, re_invites, stored_rows, pdd_ms, setup_ms,"
                + " ring_ms, duration_ms, nodes, dialogs::text, dialogs_dropped from call_records where call_id = ?")) {
            st.setString(1, callId);
            try (ResultSet r = st.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return new Record(callId, new Outcome(r.getString(1), r.getString(2), r.getObject(3, Integer.class),
                        r.getString(4), r.getString(5), r.getObject(6, Integer.class), r.getString(7)),
                        r.getString(8), r.getString(9), r.getString(10), r.getString(11), r.getString(12),
                        strings(r.getArray(13)), new Counts(r.getInt(14), r.getInt(15), r.getInt(16)), r.getInt(17),
                        r.getObject(18, Long.class), r.getObject(19, Long.class), r.getObject(20, Long.class),
                        r.getObject(21, Long.class), strings(r.getArray(22)), DialogsColumn.read(r.getString(23), r.getInt(24)));
            }
        }
    }

    private static List<String> strings(Array array) throws Exception {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
