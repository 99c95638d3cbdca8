package io.hepstack.api.call;

import io.hepstack.api.query.Scope;
import io.hepstack.api.Fixture;
import io.hepstack.api.Plans;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.SearchDefaults;
import io.hepstack.api.query.Filter;
import io.hepstack.api.search.SearchRequest;
import org.springframework.util.LinkedMultiValueMap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One round of flow correlation asks both indexes at once, never scanning the window; the call list
 * picks its page from the INVITE index before summarizing calls.
 */
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
        from = Fixture.instant(rows.get(0).envelope().timestampMicros()).minusSeconds(3600);
        to = Fixture.instant(rows.get(rows.size() - 1).envelope().timestampMicros()).plusSeconds(3600);
        db.createCallRecordDays(from, to);
    }

    @Test
    void aCorrelationRoundUsesTheCallIdAndCorrelationIdIndexes() {
        StepVerifier.create(Plans.explain(db.connectionFactory(),
                        FlowStore.expansionSql(Set.of("busy-1-10900@127.0.0.1"), Set.of("busy-1-10900@127.0.0.1", "aleg-1"), from, to, Scope.ALL)))
                .assertNext(plan -> assertThat(plan).as(plan)
                        .contains("_call_id_idx", "_correlation_id_idx").doesNotContain("Seq Scan"))
                .verifyComplete();
    }

    @Test
    void theCallListCutsThePageFromTheInviteIndexBeforeSummarizingCalls() {
        StepVerifier.create(Plans.explain(db.connectionFactory(), CallStore.listSql(calls(), Duration.ofHours(6), Scope.ALL)))
                .assertNext(plan -> {
                    assertThat(plan).as(plan).contains("_ts_call_id_idx").containsPattern(Plans.RECORDS_KEY).doesNotContain("Seq Scan");
                    List<String> lines = Arrays.asList(plan.split("\n"));
                    // the summary loop (the records' lookup is a Nested Loop Left Join around it)
                    int loop = indexOf(lines, "Nested Loop  (");
                    assertThat(loop).as(plan).isPositive();
                    assertThat(lines.get(loop + 1)).as("the outer side of the summary loop is the cut page\n" + plan)
                            .contains("Limit");
                })
                .verifyComplete();
    }

    @Test
    void aListByARecordsFieldWalksTheRecordsInTheListsOrderAndCutsThePageFirst() throws Exception {
        // a tenth of them busy
        records("plan", "CASE WHEN g % 10 = 0 THEN 'busy' ELSE 'completed' END", "'{}'", "'{}'", "g", "NULL");
        StepVerifier.create(Plans.explain(db.connectionFactory(), CallStore.listSql(calls("state", "busy", "duration", ">10s"),
                        Duration.ofHours(6), Scope.ALL)))
                .assertNext(plan -> {
                    assertThat(plan).as(plan).containsPattern(Plans.RECORDS_LIST).doesNotContain("Seq Scan");
                    List<String> lines = Arrays.asList(plan.split("\n"));
                    int loop = indexOf(lines, "Nested Loop  (");
                    assertThat(loop).as(plan).isPositive();
                    assertThat(lines.get(loop + 1)).as("the outer side of the summary loop is the cut page\n" + plan)
                            .contains("Limit");
                    assertThat(lines.get(loop + 2)).as("the page is read in order from the list's index, not sorted\n" + plan)
                            .containsPattern("Index Scan Backward using " + Plans.RECORDS_LIST);
                })
                .verifyComplete();
    }

    @Test
    void aRareDurationIsFoundThroughTheDurationIndexNotByReadingTheRangesRecords() throws Exception {
        // all completed, none longer than 20 s
        records("short", "'completed'", "'{}'", "'{}'", "g", "NULL");
        StepVerifier.create(Plans.explain(db.connectionFactory(), CallStore.listSql(calls("state", "completed", "duration", ">1h"),
                        Duration.ofHours(6), Scope.ALL)))
                .assertNext(plan -> assertThat(plan).as(plan).containsPattern(Plans.RECORDS_DURATION)
                        .doesNotContainPattern(Plans.RECORDS_LIST).doesNotContain("Seq Scan"))
                .verifyComplete();
    }

    @Test
    void aListSortedOnARecordsColumnWalksTheRangeAlongTheListsIndexAndKeepsOnlyThePage() throws Exception {
        records("sorted", "'completed'", "'{edge-a}'", "'{PCMU/8000}'", "(g * 7919) % 100000", "'+4930' || g");
        for (String sort : new String[] {"duration", "caller"}) {
            StepVerifier.create(Plans.explain(db.connectionFactory(), CallStore.listSql(calls("codec", "PCMU"),
                            new ListOrder(io.hepstack.api.query.CallSort.of(sort), true), Duration.ofHours(6), Scope.ALL)))
                    .assertNext(plan -> {
                        assertThat(plan).as(plan).containsPattern(Plans.RECORDS_LIST).doesNotContain("Seq Scan");
                        List<String> lines = Arrays.asList(plan.split("\n"));
                        int loop = indexOf(lines, "Nested Loop  (");
                        assertThat(loop).as(plan).isPositive();
                        assertThat(lines.get(loop + 1)).as("the outer side of the summary loop is the cut page\n" + plan)
                                .contains("Limit");
                        assertThat(lines.get(loop + 2)).as("the range's records sorted once, only the page kept\n" + plan)
                                .contains("Sort");
                    })
                    .verifyComplete();
        }
    }

    /**
     * 20,000 records {@code prefix-g} over the range, one every 100 ms, hung up by the caller; their state, nodes,
     * codecs, duration (ms) and caller are SQL expressions of {@code g} (1 to 20,000). Then {@code ANALYZE}.
     */
    private static void records(String prefix, String state, String nodes, String codecs, String durationMs, String callerUser)
            throws Exception {
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO call_records (call_id, started_at, state, hangup_by, nodes, codecs, messages, retransmissions,"
                    + " re_invites, stored_rows, updated_at, duration_ms, caller_user) SELECT '" + prefix + "-' || g, '" + from
                    + "'::timestamptz + g * interval '100 ms', " + state + ", 'caller', " + nodes + ", " + codecs
                    + ", 7, 0, 0, 7, now(), " + durationMs + ", " + callerUser + " FROM generate_series(1, 20000) g");
            st.execute("ANALYZE call_records");
        }
    }

    private static SearchRequest calls(String... params) {
        LinkedMultiValueMap<String, String> q = new LinkedMultiValueMap<>();
        q.add("from", from.toString());
        q.add("to", to.toString());
        for (int i = 0; i < params.length; i += 2) {
            q.add(params[i], params[i + 1]);
        }
        ApiProperties.Search limits = SearchDefaults.search();
        return SearchRequest.parse(q, EnumSet.allOf(Filter.Field.class), limits, Clock.fixed(to, ZoneOffset.UTC));
    }

    private static int indexOf(List<String> lines, String node) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(node)) {
                return i;
            }
        }
        return -1;
    }
}
