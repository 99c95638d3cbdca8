package io.hepstack.proto.store;

import io.hepstack.proto.model.MessageKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.hepstack.proto.store.Fixtures.micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionPolicyTest {

    @Test
    void defaultsToDailyPartitionsTwoAheadAndARetentionForEveryKind() {
        PartitionPolicy p = PartitionPolicy.defaults();
        assertThat(p.width()).isEqualTo(Duration.ofDays(1));
        assertThat(p.ahead()).isEqualTo(2);
        assertThat(p.retention()).containsOnlyKeys(MessageKind.values());
        assertThat(p.retentionOf(MessageKind.SIP_CALL)).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void refusesWidthsThatDoNotTileADay() {
        PartitionPolicy p = PartitionPolicy.defaults();
        assertThatThrownBy(() -> p.withWidth(Duration.ofMinutes(7), 2))
                .hasMessage("width PT7M (expected: a divisor of one day or whole days)");
        assertThatThrownBy(() -> p.withWidth(Duration.ofSeconds(90), 2))
                .hasMessage("width PT1M30S (expected: a positive whole number of minutes)");
        assertThatThrownBy(() -> p.withWidth(Duration.ofHours(36), 2))
                .hasMessage("width PT36H (expected: a divisor of one day or whole days)");
        assertThat(p.withWidth(Duration.ofDays(7), 1).width()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void refusesAMissingOrTooShortRetention() {
        assertThatThrownBy(() -> new PartitionPolicy(Duration.ofDays(1), 2, Map.of(), Duration.ofDays(1)))
                .hasMessageStartingWith("retention for kind ");
        assertThatThrownBy(() -> PartitionPolicy.defaults().withRetention(MessageKind.LOG, Duration.ofHours(2)))
                .hasMessage("retention for kind log PT2H (expected: at least the partition width PT24H)");
        assertThatThrownBy(() -> PartitionPolicy.defaults().withWidth(Duration.ofDays(1), -1))
                .hasMessage("ahead -1 (expected: 0..1000)");
    }

    @Test
    void namesPartitionsByTheirUtcStartAtTheWidthsResolution() {
        long t = micros(Instant.parse("2026-11-22T10:15:30Z"));
        Partitions daily = new Partitions(PartitionPolicy.defaults());
        Partitions hourly = new Partitions(Fixtures.hourly());
        Partitions quarter = new Partitions(PartitionPolicy.defaults().withWidth(Duration.ofMinutes(15), 2)
                .withRetention(MessageKind.SIP_CALL, Duration.ofDays(1)));
        assertThat(daily.nameOf(MessageKind.SIP_CALL, daily.startOf(t))).isEqualTo("messages_call_p20261122");
        assertThat(hourly.nameOf(MessageKind.QOS, hourly.startOf(t))).isEqualTo("messages_qos_p2026112210");
        assertThat(quarter.nameOf(MessageKind.LOG, quarter.startOf(t))).isEqualTo("messages_log_p202611221015");
        assertThat(daily.createSql(MessageKind.SIP_CALL, daily.startOf(t))).isEqualTo(
                "CREATE TABLE IF NOT EXISTS messages_call_p20261122 PARTITION OF messages_call"
                        + " FOR VALUES FROM ('2026-11-22 00:00:00+00') TO ('2026-11-23 00:00:00+00')");
    }

    @Test
    void believesAgentTimestampsOnlyWithinRetentionAndFutureTolerance() {
        PartitionPolicy p = Fixtures.hourly(); // calls kept 12 h, 1 h tolerance
        long now = micros(Fixtures.NOW);
        var inside = Fixtures.invite(1, Fixtures.NOW.minus(Duration.ofHours(12))).build();
        var tooOld = Fixtures.invite(2, Fixtures.NOW.minus(Duration.ofHours(12)).minusNanos(1000)).build();
        var tooNew = Fixtures.invite(3, Fixtures.NOW.plus(Duration.ofHours(1)).plusNanos(1000)).build();
        assertThat(StoredRow.place(inside, p, now)).isEqualTo(new StoredRow(inside, inside.envelope().timestampMicros(), null));
        assertThat(StoredRow.place(tooOld, p, now)).isEqualTo(new StoredRow(tooOld, now, tooOld.envelope().timestampMicros()));
        assertThat(StoredRow.place(tooNew, p, now)).isEqualTo(new StoredRow(tooNew, now, tooNew.envelope().timestampMicros()));
    }
}
