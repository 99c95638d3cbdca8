package io.hepstack.api.call;

import io.hepstack.api.Fixture;
import io.hepstack.api.Plans;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** One round of flow correlation asks both indexes at once, never scanning the window. */
class FlowQueryPlanIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    static Instant from;
    static Instant to;

    @BeforeAll
    static void storeTheKamailioCapture() {
        List<CapturedMessage> rows = Fixture.kamailio();
        Fixture.store(db.connectionFactory(), rows);
        Fixture.analyze(db);
        from = Fixture.instant(rows.get(0).timestampMicros()).minusSeconds(3600);
        to = Fixture.instant(rows.get(rows.size() - 1).timestampMicros()).plusSeconds(3600);
    }

    @Test
    void aCorrelationRoundUsesTheCallIdAndCorrelationIdIndexes() {
        StepVerifier.create(Plans.explain(db.connectionFactory(),
                        FlowStore.expansionSql(Set.of("busy-1-10900@127.0.0.1"), Set.of("busy-1-10900@127.0.0.1", "aleg-1"), from, to)))
                .assertNext(plan -> assertThat(plan).as(plan)
                        .contains("_call_id_idx", "_correlation_id_idx").doesNotContain("Seq Scan"))
                .verifyComplete();
    }
}
