package io.hepstack.api.stats;

import io.hepstack.api.Fixture;
import io.hepstack.api.Plans;
import io.hepstack.api.query.NumberPlan;
import io.hepstack.api.query.Scope;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.test.StepVerifier;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A breakdown reads the call records of its range along {@code call_records_list} (in each day partition) and the registration records
 * from {@code registration_records_recent} (docs/api.md, "Breakdowns"), however many records lie outside it: 20,000
 * call records and 5,000 registration records over twenty days, a breakdown of one hour.
 */
class BreakdownPlanIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    /** The records' first day; the breakdowns look at an hour of their tenth. */
    static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
    static final Instant FROM = START.plusSeconds(10 * 86400);
    static final Instant TO = FROM.plusSeconds(3600);

    @BeforeAll
    static void storeTwentyDaysOfRecords() throws Exception {
        storeTwentyDaysOfRecords(db);
    }

    /** 20,000 call records and 5,000 registration records from {@link #START}, and an INVITE of the hour, in {@code db}. */
    static void storeTwentyDaysOfRecords(TestDatabase db) throws Exception {
        // an INVITE of the hour: its day's partition of the messages, where a tenant's calls are checked
        Fixture.store(db.connectionFactory(), List.of(Fixture.sipRequest("INVITE", "plan-tenant@test", "edge-1",
                FROM.plusSeconds(60).toEpochMilli() * 1000)));
        db.createCallRecordDays(START, START.plusSeconds(20_000 * 86L));
        try (Connection c = db.openJdbc(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO call_records (call_id, started_at, state, hangup_by, final_status, callee_user, src_ip, nodes,"
                    + " codecs, messages, retransmissions, re_invites, stored_rows, updated_at, duration_ms)"
                    + " SELECT 'plan-' || g, '" + START + "'::timestamptz + g * interval '86 s',"
                    + " CASE WHEN g % 10 = 0 THEN 'busy' ELSE 'completed' END, 'caller', CASE WHEN g % 10 = 0 THEN 486 ELSE 200 END,"
                    + " '+4930' || g, ('10.0.' || (g % 200) || '.1')::inet, ARRAY['edge-' || (g % 3)], '{}', 7, 0, 0, 7, now(), g"
                    + " FROM generate_series(1, 20000) g");
            st.execute("INSERT INTO registration_records (aor, contact, src_ip, src_port, user_agent, state, first_register_at,"
                    + " last_register_at, registers, challenges, failures, nodes, stored_rows, updated_at)"
                    + " SELECT 'u' || g || '@example.com', 'sip:u' || g || '@10.1.0.1', ('10.1.' || (g % 200) || '.1')::inet, 5060, '',"
                    + " CASE WHEN g % 7 = 0 THEN 'failed' ELSE 'registered' END, '" + START + "'::timestamptz + g * interval '345 s',"
                    + " '" + START + "'::timestamptz + g * interval '345 s' + interval '10 s', 1, 0, 0, ARRAY['edge-' || (g % 3)], 2, now()"
                    + " FROM generate_series(1, 5000) g");
            st.execute("ANALYZE call_records");
            st.execute("ANALYZE registration_records");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"node", "srcIp", "calleePrefix"})
    void theRangeIsReadFromTheRecordsTimeIndexes(String by) {
        BreakdownRequest r = new BreakdownRequest(FROM, TO, BreakdownRequest.By.of(by), 10, by.equals("calleePrefix") ? 4 : 0, List.of());
        StepVerifier.create(Plans.explain(db.connectionFactory(), BreakdownStore.breakdownSql(r, new NumberPlan("49", "00", "0"), Scope.ALL)))
                .assertNext(plan -> {
                    assertThat(plan).as(plan).containsPattern(Plans.RECORDS_LIST).doesNotContain("Seq Scan")
                            .containsPattern("Index Cond: \\(\\(started_at >= .*\\) AND \\(started_at < .*\\)\\)");
                    if (!by.equals("calleePrefix")) {
                        assertThat(plan).as(plan).contains("on registration_records_recent")
                                .containsPattern("Index Cond: \\(last_register_at >= ");
                    }
                })
                .verifyComplete();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"node", "srcIp"})
    void aTenantsCallsAndItsInvitesAreJoinedByIndexes(String by) {
        BreakdownRequest r = new BreakdownRequest(FROM, TO, BreakdownRequest.By.of(by), 10, 0, List.of());
        Scope tenant = new Scope("t", List.of("edge-1"), List.of("10.0.0.0/16"));
        StepVerifier.create(Plans.explain(db.connectionFactory(), BreakdownStore.breakdownSql(r, NumberPlan.NONE, tenant)))
                // either side may lead: the records of the range checked by Call-ID on the INVITEs, or the tenant's INVITEs
                // of the range (the ts index) looked up in the records by key
                .assertNext(plan -> assertThat(plan).as(plan).contains("on registration_records_recent")
                        .containsPattern("using (" + Plans.RECORDS_LIST + "|" + Plans.RECORDS_KEY + ") on call_records_p")
                        .containsPattern("using messages_call_p[0-9]+_\\w*call_id_idx").doesNotContain("Seq Scan"))
                .verifyComplete();
    }
}
