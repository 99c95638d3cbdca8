package io.hepstack.api.stats;

import io.hepstack.api.Plans;
import io.hepstack.api.query.Scope;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.test.StepVerifier;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KPIs read the call records of their range along {@code call_records_list} (in each day partition) and the registration records from
 * {@code registration_records_recent} (docs/api.md, "Statistics"), however many records lie outside it: the records
 * of {@link BreakdownPlanIT} (20,000 call and 5,000 registration records over twenty days), KPIs of one hour.
 */
class KpiPlanIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @BeforeAll
    static void storeTwentyDaysOfRecords() throws Exception {
        BreakdownPlanIT.storeTwentyDaysOfRecords(db);
    }

    private static StatsRequest hour(List<String> nodes) {
        return new StatsRequest(BreakdownPlanIT.FROM, BreakdownPlanIT.TO, 300, nodes);
    }

    @ParameterizedTest(name = "nodes={0}")
    @CsvSource(value = {"''", "edge-1", "edge-1 edge-2"})
    void theCallsOfTheRangeAreReadFromTheRecordsTimeIndex(String nodes) {
        StatsRequest r = hour(nodes.isEmpty() ? List.of() : List.of(nodes.split(" ")));
        StepVerifier.create(Plans.explain(db.connectionFactory(), KpiStore.callsSql(r, Scope.ALL)))
                .assertNext(plan -> assertThat(plan).as(plan).containsPattern(Plans.RECORDS_LIST).doesNotContain("Seq Scan")
                        .containsPattern("Index Cond: \\(\\(started_at >= .*\\) AND \\(started_at < .*\\)\\)")
                        .doesNotContain("messages_"))
                .verifyComplete();
        StepVerifier.create(Plans.explain(db.connectionFactory(), KpiStore.registrationsSql(r, Scope.ALL)))
                .assertNext(plan -> assertThat(plan).as(plan).contains("on registration_records_recent")
                        .containsPattern("Index Cond: \\(last_register_at >= ").doesNotContain("Seq Scan"))
                .verifyComplete();
    }

    @ParameterizedTest(name = "nodes={0}")
    @CsvSource(value = {"''", "edge-1"})
    void aTenantsCallsAndItsInvitesAreJoinedByIndexes(String nodes) {
        Scope tenant = new Scope("t", List.of("edge-1"), List.of("10.0.0.0/16"));
        StatsRequest r = hour(nodes.isEmpty() ? List.of() : List.of(nodes));
        StepVerifier.create(Plans.explain(db.connectionFactory(), KpiStore.callsSql(r, tenant)))
                // either side may lead, as for a breakdown: the records of the range checked by Call-ID on the INVITEs, or
                // the tenant's INVITEs of the range (the ts index) looked up in the records by key
                .assertNext(plan -> assertThat(plan).as(plan)
                        .containsPattern("using (" + Plans.RECORDS_LIST + "|" + Plans.RECORDS_KEY + ") on call_records_p")
                        .containsPattern("using messages_call_p[0-9]+_\\w*call_id_idx").doesNotContain("Seq Scan"))
                .verifyComplete();
        StepVerifier.create(Plans.explain(db.connectionFactory(), KpiStore.registrationsSql(r, tenant)))
                .assertNext(plan -> assertThat(plan).as(plan).contains("on registration_records_recent").doesNotContain("Seq Scan"))
                .verifyComplete();
    }
}
