package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.hepstack.proto.store.Fixtures.NOW;
import static io.hepstack.proto.store.Fixtures.count;
import static io.hepstack.proto.store.Fixtures.invite;
import static io.hepstack.proto.store.Fixtures.micros;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An imported capture keeps its capture times whatever their age (every kind alike), and retention keeps
 * it for the import's period from the import: {@link MessageWriter#write(CaptureImport, UUID, List)} and
 * {@link PartitionMaintainer} with the hourly policy (calls 12 h, the rest 6 h), on a clock the test moves.
 */
class CaptureImportIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    private static final Duration KEEP = Duration.ofDays(3);
    private static final CaptureImport CAPTURE = new CaptureImport("sha-of-a-three-week-old-capture", KEEP);

    private final TestClock clock = new TestClock(NOW);

    @BeforeEach
    void empty() throws Exception {
        try (Connection c = db.openJdbc()) {
            Fixtures.reset(c);
        }
    }

    private MessageWriter writer() {
        return new MessageWriter(db.connectionFactory(), Fixtures.hourly(), clock);
    }

    private PartitionMaintainer maintainer() {
        return new PartitionMaintainer(db.connectionFactory(), Fixtures.hourly(), clock);
    }

    /** One message of every kind, 3 weeks before the test's clock, 137 ms apart, across an hour boundary. */
    private static List<CapturedMessage> threeWeeksOld() {
        Instant start = NOW.minus(Duration.ofDays(21)).minus(Duration.ofMinutes(16)); // 09:59:30, 21 days before
        List<CapturedMessage> capture = new ArrayList<>();
        int i = 0;
        for (int round = 0; round < 300; round++) {
            for (MessageKind kind : MessageKind.values()) {
                capture.add(invite(++i, start.plusMillis(137L * i)).kind(kind).build());
            }
        }
        return capture;
    }

    @Test
    void storesEveryMessageOfAnOldCaptureAtItsCaptureTimeWhateverItsKindAndOnlyOnce() throws Exception {
        List<CapturedMessage> capture = threeWeeksOld();
        UUID batch = UUID.randomUUID();

        WriteResult first = writer().write(CAPTURE, batch, capture).block();
        WriteResult again = new MessageWriter(db.connectionFactory(), Fixtures.hourly(), clock)
                .write(CAPTURE, batch, capture).block();

        assertThat(first).isEqualTo(new WriteResult(capture.size(), List.of()));
        assertThat(again.alreadyStored()).isTrue();
        try (Connection c = db.openJdbc()) {
            Map<Long, Long> stored = storedTimes(c);
            assertThat(stored).hasSize(capture.size());
            for (CapturedMessage m : capture) {
                assertThat(stored.get(m.envelope().captureId())).as("ts of %s", m.envelope().captureId())
                        .isEqualTo(m.envelope().timestampMicros());
            }
            assertThat(count(c, "SELECT count(*) FROM messages WHERE agent_ts_us IS NOT NULL")).isZero();
            assertThat(Fixtures.timePartitions(c)).contains("messages_call_p2026110109", "messages_registration_p2026110110",
                    "messages_qos_p2026110109", "messages_log_p2026110110", "messages_other_p2026110110");
            assertThat(text(c, "SELECT keep_until || ' ' || first_ts || ' ' || last_ts FROM capture_imports"))
                    .isEqualTo("2026-11-25 10:15:30+00 2026-11-01 09:59:30.137+00 2026-11-01 10:03:36.6+00");
        }
    }

    @Test
    void retentionKeepsAnImportForItsPeriodFromTheImportAndThenDropsIt() throws Exception {
        List<CapturedMessage> capture = threeWeeksOld();
        UUID batch = UUID.randomUUID();
        writer().write(CAPTURE, batch, capture).block();
        writer().write(List.of(invite(999_999, NOW).build())).block(); // a collector's batch at the same moment

        clock.set(NOW.plus(KEEP).minus(Duration.ofMinutes(1)));
        MaintenanceReport before = maintainer().maintain().block();
        assertThat(before.dropped()).as("3 weeks old, far beyond 12 h, but held").noneMatch(n -> n.contains("_p20261101"));
        assertThat(before.ledgerPruned()).as("the collector's batch id is forgotten after a day, the import's is not")
                .isEqualTo(1);
        assertThat(before.importsForgotten()).isZero();
        try (Connection c = db.openJdbc()) {
            assertThat(count(c, "SELECT count(*) FROM messages WHERE ts < '2026-11-02'")).isEqualTo(capture.size());
        }

        clock.set(NOW.plus(KEEP).plus(Duration.ofMinutes(1)));
        MaintenanceReport after = maintainer().maintain().block();
        assertThat(after.dropped()).containsExactlyInAnyOrder(
                "messages_call_p2026110109", "messages_call_p2026110110",
                "messages_registration_p2026110109", "messages_registration_p2026110110",
                "messages_sip_other_p2026110109", "messages_sip_other_p2026110110",
                "messages_qos_p2026110109", "messages_qos_p2026110110",
                "messages_log_p2026110109", "messages_log_p2026110110",
                "messages_other_p2026110109", "messages_other_p2026110110");
        assertThat(after.importsForgotten()).isEqualTo(1);
        assertThat(after.ledgerPruned()).isEqualTo(1);
        try (Connection c = db.openJdbc()) {
            assertThat(count(c, "SELECT count(*) FROM messages WHERE ts < '2026-11-02'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM capture_imports")).isZero();
            assertThat(count(c, "SELECT count(*) FROM ingest_batches")).isZero();
        }
    }

    @Test
    void anImportRenewedByASecondImportIsKeptFromTheSecond() throws Exception {
        List<CapturedMessage> capture = threeWeeksOld();
        UUID batch = UUID.randomUUID();
        writer().write(CAPTURE, batch, capture).block();
        clock.advance(Duration.ofDays(2));
        assertThat(maintainer().maintain().block().ledgerPruned()).isZero();
        WriteResult again = writer().write(CAPTURE, batch, capture).block();
        assertThat(again.alreadyStored()).as("a re-import after the ledger's day still stores nothing").isTrue();

        clock.set(NOW.plus(KEEP).plus(Duration.ofMinutes(1)));
        assertThat(maintainer().maintain().block().dropped()).noneMatch(n -> n.contains("_p20261101"));
        clock.set(NOW.plus(Duration.ofDays(2)).plus(KEEP).plus(Duration.ofMinutes(1)));
        assertThat(maintainer().maintain().block().dropped()).filteredOn(n -> n.contains("_p20261101")).hasSize(12);
        try (Connection c = db.openJdbc()) {
            assertThat(count(c, "SELECT count(*) FROM messages")).isZero();
        }
    }

    @Test
    void storesTimesNoCaptureCanHoldAtTheImportTimeWithTheCapturesValueKept() throws Exception {
        long year2100 = micros(LocalDateTime.of(2100, 1, 1, 0, 0).toInstant(ZoneOffset.UTC));
        List<CapturedMessage> batch = List.of(
                invite(1, NOW).tsMicros(-123_456_789L).build(),
                invite(2, NOW).tsMicros(Long.MIN_VALUE).build(),
                invite(3, NOW).tsMicros(year2100).build(),
                invite(4, NOW).tsMicros(Long.MAX_VALUE).build(),
                invite(5, NOW.plus(Duration.ofMinutes(59))).build(),            // inside the future tolerance
                invite(6, NOW.minus(Duration.ofDays(400))).kind(MessageKind.LOG).build());

        assertThat(writer().write(CAPTURE, UUID.randomUUID(), batch).block())
                .isEqualTo(new WriteResult(batch.size(), List.of()));

        try (Connection c = db.openJdbc()) {
            Map<Long, Long> stored = storedTimes(c);
            for (CapturedMessage m : batch) {
                long id = m.envelope().captureId();
                boolean believed = id >= 5;
                assertThat(stored.get(id)).as("ts of %d", id).isEqualTo(believed ? m.envelope().timestampMicros() : micros(NOW));
            }
            assertThat(count(c, "SELECT count(*) FROM messages WHERE agent_ts_us IS NOT NULL")).isEqualTo(4);
        }
    }

    private static Map<Long, Long> storedTimes(Connection c) throws Exception {
        Map<Long, Long> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT capture_id, (extract(epoch FROM ts) * 1000000)::bigint FROM messages")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static String text(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
