package io.hepstack.proto.store;

import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.hepstack.proto.store.Fixtures.NOW;
import static io.hepstack.proto.store.Fixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionMaintainerIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    private final TestClock clock = new TestClock(NOW);

    @BeforeEach
    void noPartitions() throws Exception {
        try (Connection c = db.openJdbc()) {
            Fixtures.reset(c);
        }
    }

    private PartitionMaintainer maintainer() {
        return new PartitionMaintainer(db.connectionFactory(), Fixtures.hourly(), clock);
    }

    /** The message partitions of these hours for every kind, and the call records' partitions of {@code days}. */
    private static List<String> names(List<String> days, String... hours) {
        List<String> names = names(hours);
        days.forEach(d -> names.add("call_records_p" + d));
        return names;
    }

    private static List<String> names(String... hours) {
        List<String> names = new ArrayList<>();
        for (MessageKind kind : MessageKind.values()) {
            for (String h : hours) {
                names.add("messages_" + kind.code() + "_p" + h);
            }
        }
        return names;
    }

    @Test
    void createsTheCurrentPartitionAndTheOnesAheadForEveryKind() throws Exception {
        StepVerifier.create(maintainer().maintain())
                .assertNext(r -> {
                    assertThat(r.lockAcquired()).isTrue();
                    assertThat(r.created()).containsExactlyInAnyOrderElementsOf(
                            names(List.of("20261122", "20261123"), "2026112210", "2026112211", "2026112212"));
                    assertThat(r.dropped()).isEmpty();
                })
                .verifyComplete();

        StepVerifier.create(maintainer().maintain())
                .expectNext(new MaintenanceReport(true, List.of(), List.of()))
                .verifyComplete();
        try (Connection c = db.openJdbc()) {
            assertThat(Fixtures.timePartitions(c)).hasSize(18);
        }
    }

    @Test
    void dropsPartitionsOlderThanTheRetentionOfTheirKind() throws Exception {
        clock.set(NOW.minus(Duration.ofHours(14)));          // 2026-11-21T20:15:30Z
        maintainer().maintain().block();
        clock.set(NOW);

        StepVerifier.create(maintainer().maintain())
                .assertNext(r -> {
                    List<String> dropped = new ArrayList<>();
                    for (MessageKind kind : MessageKind.values()) {
                        dropped.add("messages_" + kind.code() + "_p2026112120");
                        dropped.add("messages_" + kind.code() + "_p2026112121");
                        if (kind != MessageKind.SIP_CALL) {   // calls are kept 12 h: 22:00-23:00 ends after 22:15:30
                            dropped.add("messages_" + kind.code() + "_p2026112122");
                        }
                    }
                    assertThat(r.dropped()).containsExactlyInAnyOrderElementsOf(dropped);
                    assertThat(r.created()).containsExactlyInAnyOrderElementsOf(
                            names(List.of("20261123"), "2026112210", "2026112211", "2026112212"));
                })
                .verifyComplete();

        try (Connection c = db.openJdbc()) {
            assertThat(Fixtures.timePartitions(c)).contains("messages_call_p2026112122")
                    .doesNotContain("messages_qos_p2026112122", "messages_call_p2026112121");
        }
    }

    @Test
    void dropsTheCallRecordsOfADayPastTheCallsRetentionUnlessAnImportHoldsIt() throws Exception {
        clock.set(NOW.minus(Duration.ofDays(3)));             // 2026-11-19T10:15:30Z: the 19th and the 20th
        maintainer().maintain().block();
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            assertThat(Fixtures.callRecordPartitions(c)).containsExactly("call_records_p20261119", "call_records_p20261120");
            s.execute("INSERT INTO capture_imports (import_id, imported_at, keep_until, first_ts, last_ts) VALUES"
                    + " ('held', now(), '2026-12-01T00:00:00Z', '2026-11-20T08:00:00Z', '2026-11-20T09:00:00Z')");
        }
        clock.set(NOW);                                       // calls kept 12 h: a day that ended before 2026-11-21T22:15:30

        StepVerifier.create(maintainer().maintain())
                .assertNext(r -> {
                    assertThat(r.dropped()).filteredOn(n -> n.startsWith("call_records"))
                            .containsExactly("call_records_p20261119");
                    assertThat(r.created()).filteredOn(n -> n.startsWith("call_records"))
                            .containsExactlyInAnyOrder("call_records_p20261122", "call_records_p20261123");
                })
                .verifyComplete();
        try (Connection c = db.openJdbc()) {
            assertThat(Fixtures.callRecordPartitions(c)).as("the 20th is held by the import")
                    .containsExactly("call_records_p20261120", "call_records_p20261122", "call_records_p20261123");
        }
    }

    @Test
    void dropsPartitionsTheWriterCreatedOnceTheyExpire() throws Exception {
        MessageWriter writer = new MessageWriter(db.connectionFactory(), Fixtures.hourly(), clock);
        writer.write(List.of(Fixtures.invite(1, NOW.minus(Duration.ofHours(5))).kind(MessageKind.LOG).build())).block();
        clock.advance(Duration.ofHours(2));

        StepVerifier.create(maintainer().maintain())
                .assertNext(r -> assertThat(r.dropped()).containsExactly("messages_log_p2026112205"))
                .verifyComplete();
    }

    @Test
    void forgetsCommittedBatchIdsOlderThanTheLedgerRetention() throws Exception {
        MessageWriter writer = new MessageWriter(db.connectionFactory(), Fixtures.hourly(), clock);
        java.util.UUID old = java.util.UUID.randomUUID();
        java.util.UUID recent = java.util.UUID.randomUUID();
        writer.write(old, List.of(Fixtures.invite(1, NOW).build())).block();
        clock.advance(Duration.ofHours(2));
        writer.write(recent, List.of(Fixtures.invite(2, NOW).build())).block();
        clock.advance(Duration.ofMinutes(90));

        StepVerifier.create(new PartitionMaintainer(db.connectionFactory(), Fixtures.hourly(), clock,
                        Duration.ofHours(3)).maintain())
                .assertNext(r -> assertThat(r.ledgerPruned()).isEqualTo(1))
                .verifyComplete();

        try (Connection c = db.openJdbc()) {
            assertThat(count(c, "SELECT count(*) FROM ingest_batches WHERE batch_id = '" + recent + "'")).isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM ingest_batches")).isEqualTo(1);
        }
    }

    @Test
    void doesNothingWhileAnotherSessionHoldsTheLock() throws Exception {
        try (Connection holder = db.openJdbc(); Statement s = holder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + PartitionMaintainer.ADVISORY_LOCK_KEY + ")");

            StepVerifier.create(maintainer().maintain())
                    .expectNext(new MaintenanceReport(false, List.of(), List.of()))
                    .verifyComplete();
            assertThat(Fixtures.timePartitions(holder)).isEmpty();

            s.execute("SELECT pg_advisory_unlock(" + PartitionMaintainer.ADVISORY_LOCK_KEY + ")");
        }
        StepVerifier.create(maintainer().maintain())
                .assertNext(r -> assertThat(r.created()).hasSize(18 + 2))
                .verifyComplete();
    }

    @Test
    void twoMaintainersRacingDoEachRoundsWorkExactlyOnce() throws Exception {
        PartitionMaintainer a = maintainer();
        PartitionMaintainer b = maintainer();
        List<String> allCreated = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            List<MaintenanceReport> reports = Mono.zip(
                            a.maintain().subscribeOn(Schedulers.parallel()),
                            b.maintain().subscribeOn(Schedulers.parallel()),
                            List::of)
                    .block(Duration.ofSeconds(60));
            assertThat(reports).as("round %d: only one replica did the work", round)
                    .filteredOn(r -> !r.created().isEmpty() || !r.dropped().isEmpty()).hasSize(1);
            reports.forEach(r -> allCreated.addAll(r.created()));
            clock.advance(Duration.ofHours(1));
        }

        assertThat(allCreated).doesNotHaveDuplicates().hasSize(6 * (3 + 7) + 2); // + today's and tomorrow's records
        try (Connection c = db.openJdbc()) {
            assertThat(count(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
                    .as("the lock is released after every round").isZero();
        }
    }
}
