package io.hepstack.proto.call;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.media.Codec;
import io.hepstack.proto.media.EModel;
import io.hepstack.proto.media.ReportBlock;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.media.RtcpWriter;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.store.CaptureImport;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionMaintainer;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.proto.testing.Captures;
import io.hepstack.proto.testing.MutableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The call records of the Kamailio capture, kept by passes over real PostgreSQL from the writers' change
 * feed: every call recorded once, nothing written again while nothing changed, a call completed by rows
 * that arrive later, one pass at a time across collectors, ringing calls timed out, a failed pass's
 * changes kept for the next, no feed from a writer that keeps no records, and a rebuild that writes the
 * same records; media reports (RTCP, and voice-quality reports in SIP) that arrive after the call ended reach its
 * record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallRecordStoreIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    static final MutableClock CLOCK = new MutableClock(Instant.EPOCH);
    static final CallRecordStore.Settings SETTINGS = new CallRecordStore.Settings(Duration.ofMinutes(3),
            Duration.ofHours(24), 20_000, Duration.ofDays(14));
    static List<CapturedMessage> capture;
    static long last;

    @BeforeAll
    static void storeTheCapture() {
        capture = Captures.kamailio(ExtractionSettings.DEFAULT);
        last = capture.stream().mapToLong(m -> m.envelope().timestampMicros()).max().orElseThrow();
        CLOCK.set(Instant.ofEpochSecond(last / 1_000_000 + 60));
        writer().write(capture).block(Duration.ofSeconds(60));
    }

    /** A collector's writer where call records are kept: its batches feed the changed calls. */
    private static MessageWriter writer() {
        return new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), CLOCK, true);
    }

    private static CallRecordStore store() {
        return new CallRecordStore(db.connectionFactory(), CLOCK, SETTINGS);
    }

    @Test
    @Order(1)
    void aPassRecordsEveryCallOfTheCaptureOnce() throws Exception {
        CallRecordStore.Pass pass = store().pass().block(Duration.ofSeconds(60));
        assertThat(pass.ran()).isTrue();
        assertThat(pass.calls()).isEqualTo(40); // 30 basic calls, 10 busy: registrations and OPTIONS are not calls
        assertThat(pass.changes()).isEqualTo(60); // one batch: each call named once, and the 20 registrations
        assertThat(pass.registrations()).isEqualTo(20); // user1 to user20, one binding each (RegistrationRecordStoreIT)
        assertThat(pass.recorded()).isEqualTo(40);
        assertThat(states()).containsEntry("completed caller 200", 30L).containsEntry("busy callee 486", 10L).hasSize(2);

        // each record is the one DialogRecorder reads from the call's messages
        Map<String, List<CapturedMessage>> byCall = new LinkedHashMap<>();
        capture.stream().filter(m -> m.callId() != null && !m.callId().startsWith("reg-") && !m.callId().startsWith("opt-"))
                .forEach(m -> byCall.computeIfAbsent(m.callId(), k -> new ArrayList<>()).add(m));
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT call_id, (extract(epoch FROM started_at) * 1000000)::bigint AS started, "
                     + "duration_ms, pdd_ms, messages, stored_rows, caller_user, callee_user, host(src_ip) AS src, "
                     + "caller_name, final_phrase, reason_cause, array_to_string(codecs, ' ') AS codecs FROM call_records")) {
            int n = 0;
            while (r.next()) {
                CallRecord expected = DialogRecorder.record(byCall.get(r.getString("call_id")), 0, Duration.ofDays(1));
                assertThat(r.getLong("started")).isEqualTo(expected.times().startedAt());
                assertThat((Long) r.getObject("duration_ms")).isEqualTo(expected.times().durationMs());
                assertThat((Long) r.getObject("pdd_ms")).isEqualTo(expected.times().pddMs());
                assertThat(r.getInt("messages")).isEqualTo(expected.counts().messages());
                assertThat(r.getInt("stored_rows")).isEqualTo(byCall.get(r.getString("call_id")).size());
                assertThat(r.getString("caller_user")).isEqualTo(expected.caller().user());
                assertThat(r.getString("src")).isEqualTo(expected.source().getAddress().getHostAddress());
                // read from payloads: the pass reads only those of the rows DialogRecorder parses
                assertThat(r.getString("caller_name")).isEqualTo(expected.caller().displayName());
                assertThat(r.getString("final_phrase")).isEqualTo(expected.outcome().finalPhrase()).isNotBlank();
                assertThat(r.getString("codecs")).isEqualTo(String.join(" ", expected.codecs()));
                assertThat((Integer) r.getObject("reason_cause"))
                        .isEqualTo(expected.outcome().reason() == null ? null : expected.outcome().reason().cause());
                n++;
            }
            assertThat(n).isEqualTo(40);
        }
    }

    @Test
    @Order(2)
    void aPassWithNothingChangedWritesNothing() throws Exception {
        assertThat(feed()).isZero(); // the first pass took every change
        CallRecordStore.Pass again = store().pass().block(Duration.ofSeconds(60));
        assertThat(again.changes()).isZero();
        assertThat(again.recorded()).isZero();
    }

    @Test
    @Order(3)
    void aCallIsRecordedAsItsRowsArriveWhicheverCollectorStoresThem() throws Exception {
        long t = last + 600_000_000L;
        List<CapturedMessage> call = craftedCall("late@test", t);
        MessageWriter writer = writer();
        CLOCK.set(Instant.ofEpochSecond(t / 1_000_000 + 30));
        writer.write(call.subList(0, 2)).block(Duration.ofSeconds(30)); // INVITE and 180: ringing
        store().pass().block(Duration.ofSeconds(60));
        assertThat(state("late@test")).isEqualTo("ringing unknown");
        writer.write(call.subList(2, call.size())).block(Duration.ofSeconds(30)); // the rest, by another collector
        CallRecordStore.Pass pass = store().pass().block(Duration.ofSeconds(60));
        assertThat(pass.recorded()).isEqualTo(1);
        assertThat(state("late@test")).isEqualTo("completed callee");
        assertThat(query("SELECT reason_protocol || ' ' || reason_cause || ' ' || reason_text FROM call_records"
                + " WHERE call_id = 'late@test'")).isEqualTo("Q.850 16 Normal call clearing"); // the BYE's payload was read
    }

    @Test
    @Order(4)
    void aCallThatOnlyRingsTimesOutWithoutAnotherMessage() throws Exception {
        long t = last + 1_200_000_000L;
        CLOCK.set(Instant.ofEpochSecond(t / 1_000_000 + 5));
        writer().write(craftedCall("ring@test", t).subList(0, 2)).block(Duration.ofSeconds(30));
        store().pass().block(Duration.ofSeconds(60));
        assertThat(state("ring@test")).isEqualTo("ringing unknown");
        CLOCK.advance(Duration.ofMinutes(4));
        CallRecordStore.Pass pass = store().pass().block(Duration.ofSeconds(60));
        assertThat(pass.timedOut()).isEqualTo(1);
        assertThat(state("ring@test")).isEqualTo("no_answer timeout");
        // the sweep writes the record DialogRecorder reads from the rows at that time: ring time to the timeout too
        String swept = query("SELECT (to_jsonb(r) - 'updated_at')::text FROM call_records r WHERE call_id = 'ring@test'");
        assertThat(query("SELECT ring_ms FROM call_records WHERE call_id = 'ring@test'")).isEqualTo("179000"); // 180 a second in
        store().rebuild(Instant.ofEpochSecond(t / 1_000_000 - 1), Instant.ofEpochSecond(t / 1_000_000 + 1)).block(Duration.ofSeconds(60));
        assertThat(query("SELECT (to_jsonb(r) - 'updated_at')::text FROM call_records r WHERE call_id = 'ring@test'")).isEqualTo(swept);
    }

    @Test
    @Order(5)
    void onePassAtATimeAcrossCollectors() throws Exception {
        try (Connection other = db.openJdbc(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.execute("SELECT pg_advisory_xact_lock(" + CallRecordStore.LOCK_KEY + ")"); // another collector's pass
            assertThat(store().pass().block(Duration.ofSeconds(60)).ran()).isFalse();
            other.rollback();
        }
        assertThat(store().pass().block(Duration.ofSeconds(60)).ran()).isTrue();
    }

    @Test
    @Order(6)
    void aPassThatFailsLeavesItsChangesForTheNext() throws Exception {
        long t = last + 1_800_000_000L;
        CLOCK.set(Instant.ofEpochSecond(t / 1_000_000 + 30));
        writer().write(craftedCall("fails@test", t)).block(Duration.ofSeconds(30));
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            // the record's write fails, as a full disk or a lost connection would fail it
            s.execute("CREATE FUNCTION refuse_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "RAISE EXCEPTION 'refused for the test'; END $$");
            s.execute("CREATE TRIGGER refuse_record BEFORE INSERT ON call_records FOR EACH ROW EXECUTE FUNCTION refuse_record()");
            assertThatThrownBy(() -> store().pass().block(Duration.ofSeconds(60))).hasMessageContaining("refused for the test");
            assertThat(feed()).as("the failed pass's changes are back in the feed").isEqualTo(1);
            s.execute("DROP TRIGGER refuse_record ON call_records");
            s.execute("DROP FUNCTION refuse_record()");
        }
        CallRecordStore.Pass pass = store().pass().block(Duration.ofSeconds(60));
        assertThat(pass.recorded()).isEqualTo(1);
        assertThat(state("fails@test")).isEqualTo("completed callee");
    }

    @Test
    @Order(7)
    void aWriterThatKeepsNoRecordsFeedsNothing() throws Exception {
        long t = last + 2_400_000_000L;
        CLOCK.set(Instant.ofEpochSecond(t / 1_000_000 + 30));
        new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), CLOCK)
                .write(craftedCall("unfed@test", t)).block(Duration.ofSeconds(30));
        assertThat(feed()).isZero();
        assertThat(store().pass().block(Duration.ofSeconds(60)).recorded()).isZero();
        assertThat(state("unfed@test")).isNull();
    }

    @Test
    @Order(8)
    void aRebuildWritesTheSameRecords() throws Exception {
        Map<String, Long> before = states();
        long rebuilt = store().rebuild(Instant.ofEpochSecond(last / 1_000_000 - 3600),
                Instant.ofEpochSecond(last / 1_000_000 + 3600)).block(Duration.ofSeconds(60));
        assertThat(rebuilt).isEqualTo(44); // the capture's 40 and the four crafted calls of the same hour
        assertThat(states()).isEqualTo(before);
    }

    @Test
    @Order(9)
    void mediaReportsThatArriveAfterTheByeReachTheRecord() throws Exception {
        long t = last + 3 * 3_600_000_000L;
        CLOCK.set(Instant.ofEpochSecond(t / 1_000_000 + 60));
        writer().write(craftedCall("media@test", t)).block(Duration.ofSeconds(30));
        // the call ended with no report: its verdict is counted once, as it ends
        assertThat(store().pass().block(Duration.ofSeconds(60)).verdicts()).isEqualTo(Map.of("no_media_reports", 1));
        // answered and no report yet: media was due and none came
        assertThat(query("SELECT media_reports || ' ' || coalesce(mos::text, '-') || ' ' || array_to_string(verdicts, ',')"
                + " FROM call_records WHERE call_id = 'media@test'")).isEqualTo("0 - no_media_reports");

        // after the BYE: the caller's RTCP (10 % lost of the callee's stream, jitter 160 = 20 ms at 8 kHz), the
        // callee's receiver reports with no block (it received nothing), and the caller's voice-quality PUBLISH
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        List<CapturedMessage> reports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reports.add(extractor.extract(rtcp("10.1.0.1", "10.1.0.9", new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(
                    0x1111, null, List.of(new ReportBlock(0x2222, 26, 10 * (i + 1), 100 * (i + 1), 160, 0, 0)))), List.of(), null),
                    t + (6 + i) * 1_000_000L)));
            reports.add(extractor.extract(rtcp("10.1.0.9", "10.1.0.1", new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(
                    0x2222, null, List.of())), List.of(), null), t + (6 + i) * 1_000_000L + 1)));
        }
        String vq = "VQSessionReport: CallTerm\r\nCallID: media@test\r\nLocalAddr: IP=10.1.0.1 PORT=4000 SSRC=0x1111\r\n"
                + "RemoteAddr: IP=10.1.0.9 PORT=4002 SSRC=0x2222\r\nLocalMetrics:\r\nPacketLoss: NLR=10.0\r\n"
                + "Delay: RTD=120 IAJ=20\r\nQualityEst: MOSLQ=3.6\r\n";
        String publish = "PUBLISH sip:collector@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.1.0.1;branch=z9hG4bKvq\r\n"
                + "From: <sip:alice@example.com>;tag=vq\r\nTo: <sip:collector@example.com>\r\nCall-ID: vq-1@10.1.0.1\r\n"
                + "CSeq: 1 PUBLISH\r\nEvent: vq-rtcpxr\r\nContent-Type: application/vq-rtcpxr\r\nContent-Length: "
                + vq.length() + "\r\n\r\n" + vq;
        CapturedMessage published = extractor.extract(HepPacket.builder().addresses(ip("10.1.0.1"), 5060, ip("10.1.0.50"), 5060)
                .ipProto(17).timestampMicros(t + 10_000_000L).protoType(1).captureId(2002)
                .payload(publish.getBytes(StandardCharsets.UTF_8)).build());
        assertThat(published.kind()).isEqualTo(io.hepstack.proto.model.MessageKind.QOS);
        assertThat(published.envelope().correlationId()).isEqualTo("media@test"); // the call its body names
        reports.add(published);
        writer().write(reports).block(Duration.ofSeconds(30));
        assertThat(feed()).isEqualTo(1); // the batch names the call once

        CallRecordStore.Pass pass = store().pass().block(Duration.ofSeconds(60));
        assertThat(pass.recorded()).isEqualTo(1);
        assertThat(pass.verdicts()).isEqualTo(Map.of("one_way_audio", 1, "high_loss", 1)); // what the late reports added
        // the worse stream is the one the PUBLISH reports: the same loss and jitter, and its round trip of 120 ms adds
        // half of it to the mouth-to-ear delay (docs/media.md); G.711 for a call without SDP
        double expectedMos = EModel.mos(EModel.rating(Codec.PCMU, 26 * 100.0 / 256, 120 / 2.0 + 2 * 20.0 + 20));
        try (Connection c = db.openJdbc(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT media_reports, mos, mos_min, loss_percent, jitter_ms, rtt_ms,"
                     + " array_to_string(verdicts, ',') AS verdicts, state FROM call_records WHERE call_id = 'media@test'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString("state")).isEqualTo("completed"); // the SIP part is unchanged
            assertThat(r.getInt("media_reports")).isEqualTo(7);
            assertThat(r.getDouble("mos")).isCloseTo(expectedMos, within(0.01)).isLessThan(4.0);
            assertThat(r.getDouble("loss_percent")).isCloseTo(10.16, within(0.01));
            assertThat(r.getDouble("jitter_ms")).isEqualTo(20.0);
            assertThat(r.getDouble("rtt_ms")).isEqualTo(120.0); // the voice-quality report's own round trip
            assertThat(r.getString("verdicts")).isEqualTo("one_way_audio,high_loss");
        }
        String before = query("SELECT media_reports || ' ' || mos || ' ' || array_to_string(verdicts, ',') FROM call_records"
                + " WHERE call_id = 'media@test'");
        store().rebuild(Instant.ofEpochSecond(t / 1_000_000 - 60), Instant.ofEpochSecond(t / 1_000_000 + 60))
                .block(Duration.ofSeconds(60));
        assertThat(query("SELECT media_reports || ' ' || mos || ' ' || array_to_string(verdicts, ',') FROM call_records"
                + " WHERE call_id = 'media@test'")).isEqualTo(before);
    }

    @Test
    @Order(10)
    void reportsWithoutACorrelationIdReachTheRecordOfTheCallWhoseSdpNamesTheirEnds() throws Exception {
        long t = last + 4 * 3_600_000_000L;
        CLOCK.set(Instant.ofEpochSecond(t / 1_000_000 + 60));
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        RtcpReport lossy = new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(0x5555, null,
                List.of(new ReportBlock(0x6666, 26, 5, 300, 80, 0, 0)))), List.of(), null);
        List<CapturedMessage> rows = new ArrayList<>(craftedCall("sdp@test", t, "10.1.0.1:30000", "10.1.0.9:40000"));
        // during the call, from the caller's RTCP port to the callee's; the same relay's other stream; one long after
        rows.add(extractor.extract(rtcp("10.1.0.1", 30001, "10.1.0.9", 40001, lossy, t + 3_500_000L, null)));
        rows.add(extractor.extract(rtcp("10.1.0.1", 30051, "10.1.0.9", 40051, lossy, t + 3_600_000L, null)));
        rows.add(extractor.extract(rtcp("10.1.0.1", 30001, "10.1.0.9", 40001, lossy, t + 600_000_000L, null)));
        writer().write(rows).block(Duration.ofSeconds(30));
        CLOCK.set(Instant.ofEpochSecond(t / 1_000_000 + 700));
        assertThat(store().pass().block(Duration.ofSeconds(60)).recorded()).isEqualTo(1);
        assertThat(query("SELECT media_reports || ' ' || round(loss_percent::numeric, 2) || ' ' || array_to_string(verdicts, ',')"
                + " FROM call_records WHERE call_id = 'sdp@test'")).isEqualTo("1 10.16 high_loss");
    }

    @Test
    @Order(11)
    void importedCallsOlderThanTheLookbackAreRecordedAsOfTheEndOfTheirCapture() throws Exception {
        Instant now = CLOCK.instant().plus(Duration.ofDays(40));
        CLOCK.set(now);
        long t = (now.minus(Duration.ofDays(21)).getEpochSecond()) * 1_000_000L; // far beyond the 24 h lookback
        List<CapturedMessage> capture = new ArrayList<>(craftedCall("imp-done@test", t));
        capture.addAll(craftedCall("imp-timeout@test", t + 10_000_000L).subList(0, 2)); // rings 10 min to the end
        capture.addAll(craftedCall("imp-open@test", t + 540_000_000L).subList(0, 2)); // 1 min before the end
        capture.addAll(craftedCall("imp-last@test", t + 595_000_000L)); // its 200 to the BYE ends the capture
        long captureEnd = t + 600_000_000L;
        CaptureImport imported = new CaptureImport("imp-test", Duration.ofDays(7));
        java.util.UUID batch = java.util.UUID.randomUUID();
        writer().write(imported, batch, capture).block(Duration.ofSeconds(30));

        CallRecordStore.Pass pass = store().pass().block(Duration.ofSeconds(60));
        assertThat(pass.recorded()).isEqualTo(4);
        assertThat(state("imp-done@test")).isEqualTo("completed callee");
        assertThat(state("imp-last@test")).isEqualTo("completed callee");
        // rung past the ring timeout within the capture: as a live pass would have judged it then
        assertThat(state("imp-timeout@test")).isEqualTo("no_answer timeout");
        assertThat(query("SELECT (extract(epoch FROM ended_at - started_at) * 1000)::bigint || ' ' || ring_ms FROM call_records"
                + " WHERE call_id = 'imp-timeout@test'")).isEqualTo("180000 179000");
        // still ringing when the capture ended, less than the ring timeout after its INVITE: not a timeout weeks later
        assertThat(state("imp-open@test")).isEqualTo("ringing unknown");
        assertThat(query("SELECT count(*) FROM call_records WHERE import_id = 'imp-test'")).isEqualTo("4");
        String records = query("SELECT string_agg((to_jsonb(r) - 'updated_at')::text, ',' ORDER BY call_id) FROM call_records r"
                + " WHERE import_id = 'imp-test'");

        CLOCK.advance(Duration.ofMinutes(10)); // passes go on: the sweep leaves the open call as the capture left it
        assertThat(store().pass().block(Duration.ofSeconds(60)).timedOut()).isZero();
        assertThat(state("imp-open@test")).isEqualTo("ringing unknown");
        // a rebuild of the range reads the same records (the import kept from the records)
        store().rebuild(Instant.ofEpochSecond(t / 1_000_000 - 60), Instant.ofEpochSecond(captureEnd / 1_000_000 + 60))
                .block(Duration.ofSeconds(60));
        assertThat(query("SELECT string_agg((to_jsonb(r) - 'updated_at')::text, ',' ORDER BY call_id) FROM call_records r"
                + " WHERE import_id = 'imp-test'")).isEqualTo(records);
        // the same capture imported again stores nothing, feeds nothing, changes nothing
        assertThat(writer().write(imported, batch, capture).block(Duration.ofSeconds(30)).alreadyStored()).isTrue();
        assertThat(feed()).isZero();

        // 21 days old, past the calls' 14 days: kept while the import's hold keeps its messages, dropped after with
        // their day's partition
        PartitionMaintainer maintainer = new PartitionMaintainer(db.connectionFactory(), PartitionPolicy.defaults(), CLOCK);
        store().pass().block(Duration.ofSeconds(60));
        maintainer.maintain().block(Duration.ofSeconds(60));
        assertThat(query("SELECT count(*) FROM call_records WHERE import_id = 'imp-test'")).isEqualTo("4");
        CLOCK.advance(Duration.ofDays(7));
        store().pass().block(Duration.ofSeconds(60));
        assertThat(maintainer.maintain().block(Duration.ofSeconds(60)).dropped())
                .contains("call_records_p" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd").format(
                        Instant.ofEpochSecond(t / 1_000_000).atOffset(java.time.ZoneOffset.UTC)));
        assertThat(query("SELECT count(*) FROM call_records WHERE import_id = 'imp-test'")).isEqualTo("0");
    }

    @Test
    @Order(12)
    void theEarlyDialogsOfAForkRoundTripThroughTheTableAndARebuildWritesTheSame() throws Exception {
        long t = (CLOCK.instant().getEpochSecond() + 3_600) * 1_000_000L;
        CLOCK.set(Instant.ofEpochSecond(t / 1_000_000 + 60));
        List<CapturedMessage> fork = DialogRecorderTest.forkAnsweredByC("fork@test", t).messages;
        List<CapturedMessage> many = DialogRecorderTest.forkedToMany("fork-many@test", t + 1_000_000L, CallRecord.Dialogs.MAX + 8).messages;
        List<CapturedMessage> both = new ArrayList<>(fork);
        both.addAll(many);
        writer().write(both).block(Duration.ofSeconds(30));
        assertThat(store().pass().block(Duration.ofSeconds(60)).recorded()).isEqualTo(2);

        long now = t + 60_000_000L;
        for (List<CapturedMessage> call : List.of(fork, many)) {
            CallRecord expected = DialogRecorder.record(call, now, SETTINGS.ringTimeout());
            try (Connection c = db.openJdbc(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT dialogs::text AS dialogs, dialogs_dropped FROM call_records WHERE call_id = '"
                         + expected.callId() + "'")) {
                assertThat(r.next()).isTrue();
                // the pass read the rows' columns alone for the replies (their payloads are not read): the same dialogs
                assertThat(DialogsColumn.read(r.getString("dialogs"), r.getInt("dialogs_dropped"))).isEqualTo(expected.dialogs());
            }
        }
        assertThat(query("SELECT jsonb_array_length(dialogs) || ' ' || dialogs_dropped || ' ' "
                + "|| (SELECT count(*) FROM jsonb_array_elements(dialogs) d WHERE (d->>'answered')::boolean)"
                + " FROM call_records WHERE call_id = 'fork@test'")).isEqualTo("3 0 1");
        assertThat(query("SELECT jsonb_array_length(dialogs) || ' ' || dialogs_dropped FROM call_records"
                + " WHERE call_id = 'fork-many@test'")).isEqualTo(CallRecord.Dialogs.MAX + " 8");

        String records = "SELECT string_agg((to_jsonb(r) - 'updated_at')::text, ',' ORDER BY call_id) FROM call_records r"
                + " WHERE call_id LIKE 'fork%@test'";
        String before = query(records);
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            s.execute("UPDATE call_records SET dialogs = '[]', dialogs_dropped = 0 WHERE call_id LIKE 'fork%@test'");
        }
        assertThat(store().rebuild(Instant.ofEpochSecond(t / 1_000_000 - 1), Instant.ofEpochSecond(t / 1_000_000 + 5))
                .block(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(query(records)).as("a rebuild replaces the dialogs with the same").isEqualTo(before);
    }

    @Test
    @Order(13)
    void anRtpAgentsReportsRateTheCallTheyName() throws Exception {
        long t = (CLOCK.instant().getEpochSecond() + 3_600) * 1_000_000L;
        CLOCK.set(Instant.ofEpochSecond(t / 1_000_000 + 60));
        writer().write(craftedCall("agent@test", t)).block(Duration.ofSeconds(30));
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        // the agent's periodic reports of both directions (HEP type 34, the call's Call-ID as correlation id): the
        // callee's stream loses 10 %, the caller's nothing; then its short final report (type 35) with a MOS only
        List<CapturedMessage> reports = new ArrayList<>();
        reports.add(extractor.extract(agent(34, "10.1.0.1", 4000, "10.1.0.9", 4002, t + 2_000_000L,
                io.hepstack.proto.testing.AgentReports.stream("agent@test", "10.1.0.1", 4000, "10.1.0.9", 4002, 500, 0, 2.0, 4.3))));
        reports.add(extractor.extract(agent(34, "10.1.0.9", 4002, "10.1.0.1", 4000, t + 2_000_001L,
                io.hepstack.proto.testing.AgentReports.stream("agent@test", "10.1.0.9", 4002, "10.1.0.1", 4000, 500, 50, 2.0, 3.4))));
        reports.add(extractor.extract(agent(35, "10.1.0.9", 4002, "10.1.0.1", 4000, t + 2_500_000L,
                "{\"CORRELATION_ID\":\"agent@test\",\"MOS\":3.4,\"RFACTOR\":68.0,\"TYPE\":\"FINAL\"}")));
        assertThat(reports).allSatisfy(m -> assertThat(m.kind()).isEqualTo(io.hepstack.proto.model.MessageKind.QOS));
        writer().write(reports).block(Duration.ofSeconds(30));

        assertThat(store().pass().block(Duration.ofSeconds(60)).verdicts()).isEqualTo(Map.of("high_loss", 1));
        // the worse stream rated by the E-model (PCMU without SDP): 10 % lost (26/256, RTCP's resolution), jitter 2 ms
        double expectedMos = EModel.mos(EModel.rating(Codec.PCMU, 26 * 100.0 / 256, 2 * 2.0 + 20));
        try (Connection c = db.openJdbc(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT media_reports, mos, loss_percent, jitter_ms, array_to_string(verdicts, ',')"
                     + " AS verdicts FROM call_records WHERE call_id = 'agent@test'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt("media_reports")).isEqualTo(3);
            assertThat(r.getDouble("mos")).isCloseTo(expectedMos, within(0.01));
            assertThat(r.getDouble("loss_percent")).isCloseTo(10.16, within(0.01));
            assertThat(r.getDouble("jitter_ms")).isEqualTo(2.0);
            assertThat(r.getString("verdicts")).isEqualTo("high_loss");
        }
    }

    @Test
    @Order(14)
    void aCallWhoseStartMovesToTheDayBeforeKeepsOneRecordInThatDaysPartition() throws Exception {
        // a midnight (UTC) two days after the clock: the INVITE a second after it is recorded in that day's partition
        long midnight = (Math.floorDiv(CLOCK.instant().getEpochSecond(), 86_400L) + 2) * 86_400L;
        long t = (midnight + 1) * 1_000_000L;
        CLOCK.set(Instant.ofEpochSecond(midnight + 60));
        writer().write(craftedCall("moved@test", t)).block(Duration.ofSeconds(30));
        store().pass().block(Duration.ofSeconds(60));
        String day = "call_records_p" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd")
                .format(Instant.ofEpochSecond(midnight).atOffset(java.time.ZoneOffset.UTC));
        String before = "call_records_p" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd")
                .format(Instant.ofEpochSecond(midnight - 1).atOffset(java.time.ZoneOffset.UTC));
        String where = "SELECT string_agg(tableoid::regclass || ' ' || (extract(epoch FROM started_at) * 1000000)::bigint, ',')"
                + " FROM call_records WHERE call_id = 'moved@test'";
        assertThat(query(where)).isEqualTo(day + " " + t);

        // another hop's copy of the INVITE, captured two seconds earlier, before midnight, and stored later
        writer().write(craftedCall("moved@test", t - 2_000_000L).subList(0, 1)).block(Duration.ofSeconds(30));
        store().pass().block(Duration.ofSeconds(60));
        assertThat(query(where)).as("one record, in the day it now starts").isEqualTo(before + " " + (t - 2_000_000L));
        assertThat(state("moved@test")).isEqualTo("completed callee");
    }

    private static HepPacket agent(int type, String from, int fromPort, String to, int toPort, long at, String json) {
        return HepPacket.builder().addresses(ip(from), fromPort, ip(to), toPort).ipProto(17).timestampMicros(at).protoType(type)
                .captureId(2002).correlationId("agent@test").payload(json.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static HepPacket rtcp(String from, String to, RtcpReport report, long at) {
        return rtcp(from, 4001, to, 4003, report, at, "media@test");
    }

    private static HepPacket rtcp(String from, int fromPort, String to, int toPort, RtcpReport report, long at, String call) {
        return HepPacket.builder().addresses(ip(from), fromPort, ip(to), toPort).ipProto(17).timestampMicros(at).protoType(5)
                .captureId(2002).correlationId(call).payload(RtcpWriter.write(report)).build();
    }

    /** INVITE, 180, 200, ACK from 10.1.0.1 via 10.1.0.5 to 10.1.0.9; the callee's BYE (Q.850 cause 16) and its 200. */
    static List<CapturedMessage> craftedCall(String callId, long t) {
        return craftedCall(callId, t, null, null);
    }

    /** The same call, its INVITE offering audio at {@code offer} and its 200 answering at {@code answer} (ip:port) when given. */
    static List<CapturedMessage> craftedCall(String callId, long t, String offer, String answer) {
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        String[][] steps = {
                {"10.1.0.1", "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", "a", ""},
                {"10.1.0.9", "SIP/2.0 180 Ringing", "1 INVITE", "a", "b"},
                {"10.1.0.9", "SIP/2.0 200 OK", "1 INVITE", "a", "b"},
                {"10.1.0.1", "ACK sip:bob@10.1.0.9 SIP/2.0", "1 ACK", "a", "b"},
                {"10.1.0.9", "BYE sip:alice@10.1.0.1 SIP/2.0", "1 BYE", "b", "a"},
                {"10.1.0.1", "SIP/2.0 200 OK", "1 BYE", "b", "a"},
        };
        List<CapturedMessage> out = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            String[] s = steps[i];
            boolean fromCaller = s[0].equals("10.1.0.1");
            boolean callerTagIsFrom = s[3].equals("a");
            String text = s[1] + "\r\nVia: SIP/2.0/UDP " + s[0] + ";branch=z9hG4bK" + i + "\r\nFrom: <sip:"
                    + (callerTagIsFrom ? "alice" : "bob") + "@example.com>;tag=" + s[3] + "\r\nTo: <sip:"
                    + (callerTagIsFrom ? "bob" : "alice") + "@example.com>" + (s[4].isEmpty() ? "" : ";tag=" + s[4])
                    + "\r\nCall-ID: " + callId + "\r\nCSeq: " + s[2]
                    + (s[1].startsWith("BYE") ? "\r\nReason: Q.850;cause=16;text=\"Normal call clearing\"" : "")
                    + body(i == 0 ? offer : i == 2 ? answer : null);
            HepPacket p = HepPacket.builder().addresses(ip(s[0]), 5060, ip(fromCaller ? "10.1.0.9" : "10.1.0.1"), 5060)
                    .ipProto(17).timestampMicros(t + i * 1_000_000L).protoType(1).captureId(2002)
                    .payload(text.getBytes(StandardCharsets.UTF_8)).build();
            out.add(extractor.extract(p));
        }
        return out;
    }

    private static String body(String media) {
        if (media == null) {
            return "\r\nContent-Length: 0\r\n\r\n";
        }
        String[] end = media.split(":");
        String sdp = "v=0\r\no=- 1 1 IN IP4 " + end[0] + "\r\ns=-\r\nc=IN IP4 " + end[0] + "\r\nt=0 0\r\nm=audio " + end[1]
                + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
        return "\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private static java.net.InetAddress ip(String literal) {
        return DialogRecorderTest.ip(literal);
    }

    /** Changes waiting in the feed. */
    private static long feed() throws Exception {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM call_changes")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String query(String sql) throws Exception {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private static String state(String callId) throws Exception {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT state, hangup_by FROM call_records WHERE call_id = '" + callId + "'")) {
            return r.next() ? r.getString(1) + " " + r.getString(2) : null;
        }
    }

    private static Map<String, Long> states() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT state || ' ' || hangup_by || ' ' || coalesce(final_status::text, '-'), count(*) "
                     + "FROM call_records WHERE call_id NOT LIKE '%@test' GROUP BY 1 ORDER BY 1")) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }
}
