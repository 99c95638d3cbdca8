package io.hepstack.proto.store;

import io.hepstack.proto.media.MediaThresholds;
import io.hepstack.proto.model.BodyCensor;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.MethodFilter;
import io.hepstack.proto.sip.HeaderExtractor;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static io.hepstack.proto.store.Fixtures.NOW;
import static io.hepstack.proto.store.Fixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

class IngestSettingsStoreIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @Test
    void readsTheDefaultsUntilACollectorPublishesThenTheLastPublished() throws Exception {
        IngestSettingsStore store = new IngestSettingsStore(db.connectionFactory(), new TestClock(NOW));
        IngestSettings none = store.read().block(Duration.ofSeconds(30));
        assertThat(none.partitions()).isEqualTo(PartitionPolicy.defaults());
        assertThat(none.extraction().correlationHeaders()).extracting(HeaderExtractor::spec).containsExactly("X-CID");

        IngestSettings first = new IngestSettings(PartitionPolicy.defaults().withRetention(MessageKind.QOS, Duration.ofDays(30)),
                new ExtractionSettings(List.of(HeaderExtractor.parse("X-Leg")), List.of()), MethodFilter.NONE, 100_000, BodyCensor.OFF, false,
                MediaThresholds.DEFAULTS);
        store.publish(first, "ingest-a").block(Duration.ofSeconds(30));
        IngestSettings second = new IngestSettings(PartitionPolicy.defaults(),
                new ExtractionSettings(List.of(HeaderExtractor.parse("X-CID")), List.of(HeaderExtractor.parse("User-Agent"))),
                MethodFilter.of(List.of("OPTIONS")), 200_000, BodyCensor.keeping(List.of("application/sdp")), true,
                new MediaThresholds(3, 40, 300));
        store.publish(second, null).block(Duration.ofSeconds(30));

        IngestSettings read = store.read().block(Duration.ofSeconds(30));
        assertThat(read.toJson()).isEqualTo(second.toJson());
        try (Connection c = db.openJdbc()) {
            assertThat(count(c, "SELECT count(*) FROM ingest_settings")).as("one row, replaced").isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM ingest_settings WHERE published_by IS NULL")).isEqualTo(1);
        }
    }
}
