package io.hepstack.api.registration;

import io.hepstack.api.Fixture;
import io.hepstack.api.Plans;
import io.hepstack.api.query.Scope;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.api.SearchDefaults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.LinkedMultiValueMap;
import reactor.test.StepVerifier;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The registration list's orders and filters reach the indexes docs/schema.md ("Registration records") says serve them. */
class RegistrationPlanIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    static Instant now;

    @BeforeAll
    static void recordTheCapturesRegistrations() throws Exception {
        List<CapturedMessage> rows = Fixture.kamailio();
        Fixture.store(db.connectionFactory(), rows);
        long last = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        now = Fixture.instant(last).plusSeconds(60);
        new CallRecordStore(db.connectionFactory(), Clock.systemUTC(), CallRecordStore.Settings.DEFAULTS)
                .rebuildRegistrations(now.minus(Duration.ofHours(2)), now).block(Duration.ofSeconds(60));
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            s.execute("ANALYZE registration_records");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "order=recent                   | registration_records_recent",
            "order=failing                  | registration_records_failing",
            "order=failing&state=failed     | registration_records_failing",
            "user=user1*                    | registration_records_recent"})
    void theListsOrderWalksItsIndex(String params, String index) {
        StepVerifier.create(Plans.explain(db.connectionFactory(), RegistrationReader.listSql(query(params), Scope.ALL)))
                .assertNext(plan -> assertThat(plan).as(plan).contains("Index Scan Backward using " + index).doesNotContain("Sort"))
                .verifyComplete();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "srcIp=127.0.0.0/8 | registration_records_src_ip | (src_ip <<= '127.0.0.0/8'::inet)",
            "srcIp=127.0.0.1   | registration_records_src_ip | (src_ip = '127.0.0.1'::inet)"})
    void aSourceAddressOrNetworkIsLookedUpInItsIndex(String params, String index, String condition) {
        StepVerifier.create(Plans.explain(db.connectionFactory(), RegistrationReader.listSql(query(params), Scope.ALL)))
                .assertNext(plan -> assertThat(plan).as(plan).contains("using " + index).contains("Index Cond: " + condition))
                .verifyComplete();
    }

    private static RegistrationQuery query(String params) {
        LinkedMultiValueMap<String, String> q = new LinkedMultiValueMap<>();
        for (String p : params.split("&")) {
            String[] kv = p.split("=", 2);
            q.add(kv[0], kv[1]);
        }
        return RegistrationQuery.of(q, now, SearchDefaults.search());
    }
}
