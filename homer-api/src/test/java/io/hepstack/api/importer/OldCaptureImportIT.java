package io.hepstack.api.importer;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.pcap.PcapMessage;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.pcap.PcapWriter;
import io.hepstack.proto.pcap.Transport;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.store.IngestSettings;
import io.hepstack.proto.store.IngestSettingsStore;
import io.hepstack.proto.store.PartitionMaintainer;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.testing.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: a capture three weeks old, of every kind (the Kamailio siptrace capture's calls, REGISTERs and
 * OPTIONS, the {@code hlog()} call with its log lines, an RTCP report of a call), rebased to the test's
 * clock, imported through {@link PcapImporter} on the system clock: every message is found at its capture
 * time, a call's ladder keeps its deltas, a second import stores nothing, and retention removes the import
 * after {@code homer.api.import.retention} (7 days) and not before. With call records kept (as the collectors
 * publish them), a collector's pass records its calls and registrations though they are far older than the
 * records' lookback: each call record says what its messages say, judged as of the capture's end, the call list
 * shows them, and the second import changes no record.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@SuppressWarnings("unchecked")
class OldCaptureImportIT extends AdminApiIT {

    private static final String RTCP_CALL = "1-10898@127.0.0.1";

    @Override
    protected Duration patience() {
        return Duration.ofSeconds(120);
    }

    /** A HEP packet of the capture being built, at its (rebased) capture time. */
    private record Hep(long micros, HepPacket packet) {
    }

    @Test
    void keepsEveryCaptureTimeOfAThreeWeekOldCaptureAndItsRetentionCountsFromTheImport(
            @Autowired PcapImporter importer, @TempDir Path dir) throws Exception {
        Instant importedAt = Instant.now();
        List<Hep> capture = threeWeeksBefore(importedAt);
        Path file = dir.resolve("old.pcap");
        try (OutputStream out = Files.newOutputStream(file)) {
            PcapWriter w = new PcapWriter(out);
            for (Hep h : capture) {
                w.write(new PcapMessage(h.micros(), InetAddress.getByName("127.0.0.1"), 9061,
                        InetAddress.getByName("127.0.0.1"), 9060, Transport.UDP, HepEncoder.encode(h.packet())));
            }
            w.flush();
        }
        long first = capture.get(0).micros();
        long last = capture.get(capture.size() - 1).micros();
        String from = Times.format(Times.ofMicros(first));
        String to = Times.format(Times.ofMicros(last + 1));

        IngestSettingsStore published = new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC());
        IngestSettings d = IngestSettings.defaults();
        published.publish(new IngestSettings(d.partitions(), d.extraction(), d.discard(), d.maxInflatedPayload(), d.censor(),
                true, d.media()), "ingest-test").block(Duration.ofSeconds(30)); // collectors that keep call records
        try {
            keepsEveryCaptureTime(importer, capture, file, from, to, importedAt);
        } finally {
            published.publish(IngestSettings.defaults(), null).block(Duration.ofSeconds(30));
        }
    }

    private void keepsEveryCaptureTime(PcapImporter importer, List<Hep> capture, Path file, String from, String to,
                                       Instant importedAt) throws Exception {
        long first = capture.get(0).micros();
        long last = capture.get(capture.size() - 1).micros();
        ImportResult result = importer.importFile(file, sha("old"), null).block(Duration.ofMinutes(2));

        assertThat(result.messages()).isEqualTo(capture.size()).isEqualTo(580 + 5 + 1);
        assertThat(result.stored()).isEqualTo(capture.size());
        // every message is found at its capture time: the times the search returns are the capture's, one by one
        List<String> expected = capture.stream().map(h -> Times.format(Times.ofMicros(h.micros())))
                .sorted(Comparator.reverseOrder()).toList();
        assertThat(searchTimes(from, to)).containsExactlyElementsOf(expected);
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT count(DISTINCT kind), count(*) FILTER (WHERE agent_ts_us IS NOT NULL) FROM messages")) {
            r.next();
            assertThat(r.getLong(1)).as("call, registration, sip_other, qos, log").isEqualTo(5);
            assertThat(r.getLong(2)).as("no message re-timed").isZero();
        }
        // the ladders: a call with its RTCP report, the hlog() call with its log lines, deltas as captured
        assertLadder(capture, RTCP_CALL, from, to);
        assertLadder(capture, Fixture.HLOG_CALL_ID, from, to);

        // a collector's pass (the records' lookback is 24 h; the capture is three weeks old)
        CallRecordStore collector = new CallRecordStore(db.connectionFactory(), Clock.systemUTC(), CallRecordStore.Settings.DEFAULTS);
        CallRecordStore.Pass pass = collector.pass().block(Duration.ofSeconds(60));
        assertThat(pass.recorded()).isEqualTo(41); // 30 calls, 10 busy, the hlog() call
        assertThat(pass.registrations()).isEqualTo(20);
        assertRecords(capture, last);
        assertCallList(from, to);
        String records = records();

        ImportResult again = importer.importFile(file, sha("old"), null).block(Duration.ofMinutes(2));
        assertThat(again.stored()).isZero();
        assertThat(again.duplicates()).isEqualTo(capture.size());
        assertThat(collector.pass().block(Duration.ofSeconds(60)).changes()).as("a re-import feeds nothing").isZero();
        assertThat(records()).as("a re-import changes no record").isEqualTo(records);

        Clock justBefore = Clock.fixed(importedAt.plus(Duration.ofDays(7)).minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        new PartitionMaintainer(db.connectionFactory(), PartitionPolicy.defaults(), justBefore).maintain()
                .block(Duration.ofSeconds(60));
        assertThat(storedBetween(first, last)).as("kept until 7 days after the import").isEqualTo(capture.size());

        Clock after = Clock.fixed(importedAt.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        new PartitionMaintainer(db.connectionFactory(), PartitionPolicy.defaults(), after).maintain()
                .block(Duration.ofSeconds(60));
        assertThat(storedBetween(first, last)).as("removed once 7 days have passed since the import").isZero();
    }

    /**
     * Each call record against what the capture's messages say (read here from the SIP text, each message timed by
     * its earliest copy): started at the first INVITE, answered at the first 200 to it, ended at the BYE or the final
     * error, completed by the side whose From tag sent the BYE or busy by the callee's 486, the parties of the INVITE,
     * the durations between those times. The hlog() call (an INVITE, log lines and an ACK, no answer) ended the
     * capture less than the ring timeout after its INVITE: it is left ringing, not made a timeout three weeks later.
     */
    private static void assertRecords(List<Hep> capture, long captureEnd) throws Exception {
        Map<String, Map<String, Long>> times = new java.util.TreeMap<>(); // Call-ID -> event -> its earliest time
        Map<String, String[]> invites = new java.util.HashMap<>(); // Call-ID -> From user, From tag, To user
        Map<String, String> byeTags = new java.util.HashMap<>();
        for (Hep h : capture) {
            if (h.packet().protoType() != HepPayloadType.SIP.number()) {
                continue;
            }
            String sip = new String(h.packet().payload(), StandardCharsets.ISO_8859_1);
            String callId = header(sip, "Call-ID");
            String cseq = header(sip, "CSeq");
            if (callId.startsWith("reg-") || callId.startsWith("opt-")) {
                continue;
            }
            String firstLine = sip.substring(0, sip.indexOf("\r\n"));
            String event = firstLine.startsWith("SIP/2.0 ") ? firstLine.substring(8, 11) + " " + cseq.split(" ")[1]
                    : firstLine.substring(0, firstLine.indexOf(' '));
            times.computeIfAbsent(callId, k -> new java.util.HashMap<>()).merge(event, h.micros(), Math::min);
            if (event.equals("INVITE")) {
                invites.putIfAbsent(callId, new String[] {user(header(sip, "From")), tag(header(sip, "From")), user(header(sip, "To"))});
            } else if (event.equals("BYE")) {
                byeTags.put(callId, tag(header(sip, "From")));
            }
        }
        assertThat(times).hasSize(41);
        int n = 0;
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT call_id, state, hangup_by, final_status, caller_user, callee_user, "
                     + "import_id, (extract(epoch FROM started_at) * 1000000)::bigint AS started, "
                     + "(extract(epoch FROM answered_at) * 1000000)::bigint AS answered, "
                     + "(extract(epoch FROM ended_at) * 1000000)::bigint AS ended, duration_ms, setup_ms FROM call_records")) {
            while (r.next()) {
                String callId = r.getString("call_id");
                Map<String, Long> t = times.get(callId);
                String[] invite = invites.get(callId);
                assertThat(t).as(callId).isNotNull();
                assertThat(r.getString("import_id")).as(callId).isEqualTo(java.util.HexFormat.of().formatHex(sha("old")));
                assertThat(r.getLong("started")).as(callId).isEqualTo(t.get("INVITE"));
                assertThat(r.getString("caller_user")).as(callId).isEqualTo(invite[0]);
                assertThat(r.getString("callee_user")).as(callId).isEqualTo(invite[2]);
                if (t.containsKey("200 INVITE")) {
                    long answered = t.get("200 INVITE");
                    long ended = t.get("BYE");
                    assertThat(r.getString("state") + " " + r.getString("hangup_by") + " " + r.getInt("final_status")).as(callId)
                            .isEqualTo("completed " + (byeTags.get(callId).equals(invite[1]) ? "caller" : "callee") + " 200");
                    assertThat(r.getLong("answered")).as(callId).isEqualTo(answered);
                    assertThat(r.getLong("ended")).as(callId).isEqualTo(ended);
                    assertThat(r.getLong("duration_ms")).as(callId).isEqualTo((ended - answered) / 1000);
                    assertThat(r.getLong("setup_ms")).as(callId).isEqualTo((answered - t.get("INVITE")) / 1000);
                } else if (t.containsKey("486 INVITE")) {
                    assertThat(r.getString("state") + " " + r.getString("hangup_by") + " " + r.getInt("final_status")).as(callId)
                            .isEqualTo("busy callee 486");
                    assertThat(r.getLong("ended")).as(callId).isEqualTo(t.get("486 INVITE"));
                    assertThat(r.getObject("answered")).as(callId).isNull();
                } else {
                    assertThat(callId).isEqualTo(Fixture.HLOG_CALL_ID);
                    assertThat(captureEnd - t.get("INVITE")).isLessThan(CallRecordStore.Settings.DEFAULTS.ringTimeout().toNanos() / 1000);
                    assertThat(r.getString("state") + " " + r.getString("hangup_by")).as(callId).isEqualTo("ringing unknown");
                    assertThat(r.getObject("ended")).as(callId).isNull();
                }
                n++;
            }
        }
        assertThat(n).isEqualTo(41);
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE aor ~ '^user[0-9]+@' AND "
                     + "first_register_at >= to_timestamp(" + capture.get(0).micros() + " / 1e6) AND last_register_at <= "
                     + "to_timestamp(" + captureEnd + " / 1e6)) FROM registration_records")) {
            r.next();
            assertThat(r.getLong(1)).as("the bindings of user1 to user20").isEqualTo(20);
            assertThat(r.getLong(2)).as("registered at the capture's times").isEqualTo(20);
        }
    }

    /** The call list of the capture's range: every imported call with its record (its state), found by a record's filter. */
    private void assertCallList(String from, String to) {
        Map<String, Object> page = calls(from, to, Map.of());
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertThat(items).hasSize(41).allSatisfy(i -> assertThat(i.get("state")).as("%s", i.get("callId")).isNotNull());
        assertThat((List<?>) calls(from, to, Map.of("state", "completed")).get("items")).hasSize(30);
        assertThat((List<?>) calls(from, to, Map.of("state", "busy", "sort", "duration")).get("items")).hasSize(10);
        assertThat((List<?>) calls(from, to, Map.of("state", "ringing")).get("items")).hasSize(1);
    }

    private Map<String, Object> calls(String from, String to, Map<String, String> filters) {
        return admin.get().uri(b -> {
                    b.path("/api/v1/calls").queryParam("from", "{from}").queryParam("to", "{to}").queryParam("limit", "100");
                    filters.keySet().forEach(k -> b.queryParam(k, "{" + k + "}"));
                    Map<String, String> values = new java.util.HashMap<>(filters);
                    values.put("from", from);
                    values.put("to", to);
                    return b.build(values);
                })
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    /** Every call and registration record, whole (its updated_at too), in one text. */
    private static String records() throws Exception {
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT (SELECT string_agg(to_jsonb(c)::text, ',' ORDER BY call_id) FROM call_records c)"
                     + " || (SELECT string_agg(to_jsonb(g)::text, ',' ORDER BY id) FROM registration_records g)")) {
            r.next();
            return r.getString(1);
        }
    }

    private static String header(String sip, String name) {
        int at = sip.indexOf("\r\n" + name + ": ");
        return sip.substring(at + name.length() + 4, sip.indexOf("\r\n", at + 2)).trim();
    }

    private static String user(String nameAddr) {
        int sip = nameAddr.indexOf("sip:");
        int end = nameAddr.indexOf('@', sip);
        return nameAddr.substring(sip + 4, end);
    }

    private static String tag(String nameAddr) {
        int at = nameAddr.indexOf(";tag=");
        return at < 0 ? null : nameAddr.substring(at + 5).split("[;>]")[0];
    }

    /** The call's flow (SIP, QoS, logs): the same messages at the same times as in the capture. */
    private void assertLadder(List<Hep> capture, String callId, String from, String to) throws Exception {
        Map<String, Object> flow = admin.get().uri(b -> b.path("/api/v1/calls/{id}/flow").queryParam("from", "{f}")
                        .queryParam("to", "{t}").build(callId, from, to))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<String> times = new ArrayList<>();
        for (String part : List.of("messages", "qos", "logs")) {
            for (Map<String, Object> m : (List<Map<String, Object>>) flow.get(part)) {
                times.add((String) m.get("timestamp"));
            }
        }
        List<Long> captured = new ArrayList<>();
        for (Hep h : capture) {
            String cid = h.packet().correlationId();
            String payload = new String(h.packet().payload(), StandardCharsets.ISO_8859_1);
            if (callId.equals(cid) || payload.contains("Call-ID: " + callId + "\r\n")) {
                captured.add(h.micros());
            }
        }
        assertThat(captured).as("the capture's messages of %s", callId).hasSizeGreaterThan(3);
        assertThat(times.stream().map(t -> Times.micros(Instant.parse(t))).sorted().toList())
                .as("the ladder of %s", callId).containsExactlyElementsOf(captured.stream().sorted().toList());
    }

    /** Every message's time in the range, newest first, page by page (a page of 586 items is more than a client buffers). */
    private List<String> searchTimes(String from, String to) {
        List<String> times = new java.util.ArrayList<>();
        String cursor = "";
        do {
            String after = cursor;
            Map<String, Object> page = admin.get().uri(b -> b.path("/api/v1/messages").queryParam("from", "{f}")
                            .queryParam("to", "{t}").queryParam("limit", "200").queryParam("cursor", "{c}").build(from, to, after))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            ((List<Map<String, Object>>) page.get("items")).forEach(m -> times.add((String) m.get("timestamp")));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return times;
    }

    private static long storedBetween(long first, long last) throws Exception {
        try (java.sql.Connection c = db.openJdbc(); java.sql.PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM messages WHERE ts BETWEEN to_timestamp(?::double precision / 1e6) "
                        + "AND to_timestamp(?::double precision / 1e6)")) {
            s.setLong(1, first);
            s.setLong(2, last);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * The Kamailio siptrace capture (580 packets), then the {@code hlog()} call (INVITE, three log lines, ACK)
     * starting a minute after it, and an RTCP report of {@link #RTCP_CALL} two seconds after its INVITE: every
     * time shifted by one offset so that the capture starts 21 days before {@code now}.
     */
    private static List<Hep> threeWeeksBefore(Instant now) throws IOException {
        List<HepPacket> siptrace = new ArrayList<>();
        try (InputStream in = resource(Captures.KAMAILIO_HEP_PCAP)) {
            PcapReader.read(in, (PcapPacket p) -> siptrace.add(decode(p.payload())));
        }
        List<HepPacket> hlog = new ArrayList<>();
        for (String name : List.of("invite.bin", "hlog-error.bin", "hlog-info.bin", "hlog-no-cid.bin", "ack.bin")) {
            try (InputStream in = resource(Captures.KAMAILIO_HLOG + name)) {
                hlog.add(decode(in.readAllBytes()));
            }
        }
        long start = Times.micros(now.minus(Duration.ofDays(21)));
        long shift = start - siptrace.get(0).timestampMicros();
        List<Hep> out = new ArrayList<>();
        for (HepPacket p : siptrace) {
            out.add(at(p, p.timestampMicros() + shift));
        }
        long siptraceEnd = out.get(out.size() - 1).micros();
        long hlogShift = siptraceEnd + 60_000_000L - hlog.get(0).timestampMicros();
        for (HepPacket p : hlog) {
            out.add(at(p, p.timestampMicros() + hlogShift));
        }
        long invite = out.stream().filter(h -> new String(h.packet().payload(), StandardCharsets.ISO_8859_1)
                .startsWith("INVITE ") && new String(h.packet().payload(), StandardCharsets.ISO_8859_1)
                .contains("Call-ID: " + RTCP_CALL + "\r\n")).findFirst().orElseThrow().micros();
        HepPacket rtcp = HepPacket.builder().addresses(InetAddress.getByName("127.0.0.1"), 6001,
                        InetAddress.getByName("127.0.0.1"), 6003).ipProto(17).timestampMicros(invite + 2_000_000L)
                .protoType(HepPayloadType.RTCP.number()).captureId(2001).correlationId(RTCP_CALL)
                .payload("{\"type\":200,\"ssrc\":1}".getBytes(StandardCharsets.US_ASCII)).build();
        out.add(new Hep(rtcp.timestampMicros(), rtcp));
        out.sort(Comparator.comparingLong(Hep::micros));
        return out;
    }

    private static Hep at(HepPacket p, long micros) {
        return new Hep(micros, p.toBuilder().timestampMicros(micros).build());
    }

    private static HepPacket decode(byte[] bytes) {
        try {
            return new HepDecoder().decode(bytes);
        } catch (HepDecodeException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Captures.class.getResourceAsStream(name);
        if (in == null) {
            throw new UncheckedIOException(new IOException("missing test resource " + name));
        }
        return in;
    }

    private static byte[] sha(String name) {
        byte[] sha = new byte[32];
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, sha, 0, b.length);
        return sha;
    }
}
