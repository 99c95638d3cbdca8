package io.hepstack.api.search;

import io.hepstack.api.query.Filter;
import io.hepstack.api.query.Scope;
import io.hepstack.api.ApiProperties;
import io.hepstack.api.SearchDefaults;
import io.hepstack.api.Fixture;
import io.hepstack.api.Plans;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.LinkedMultiValueMap;
import reactor.test.StepVerifier;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The message searches reach the indexes docs/api.md says serve them (partition indexes are {@code <partition>_<column>_idx}). */
class QueryPlanIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    static List<CapturedMessage> rows;
    static Clock clock;

    @BeforeAll
    static void storeTheKamailioCapture() {
        rows = Fixture.kamailio();
        long last = rows.get(rows.size() - 1).envelope().timestampMicros();
        List<CapturedMessage> all = new java.util.ArrayList<>(rows);
        for (CapturedMessage log : Fixture.kamailioLogLines()) { // log lines in the same minutes, for the log partitions
            all.add(log.withTimestampMicros(last - 1_000_000 + all.size()));
        }
        Fixture.store(db.connectionFactory(), all);
        Fixture.analyze(db);
        clock = Clock.fixed(Fixture.instant(rows.get(rows.size() - 1).envelope().timestampMicros() + 1), ZoneOffset.UTC);
    }

    private static SearchRequest request(String param, String value) {
        LinkedMultiValueMap<String, String> q = new LinkedMultiValueMap<>();
        q.add(param, value);
        ApiProperties.Search limits = SearchDefaults.search();
        return SearchRequest.parse(q, EnumSet.allOf(Filter.Field.class), limits, clock);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "callId   | 1-10898@127.0.0.1 | _call_id_idx",
            "callId   | busy-*            | _call_id_idx",
            "fromUser | sipp              | _from_user_idx",
            "toUser   | 1000              | _to_user_idx",
            "ruriUser | 1000              | _ruri_user_idx",
            "ruriUser | 1000              | _to_user_idx",
            "srcIp    | 127.0.0.1         | _src_ip_idx",
            "dstIp    | 10.9.0.0/16       | _dst_ip_idx",
            "srcIp    | 10.9.*            | _src_ip_idx",
            "fromTag  | 10898SIPpTag001   | _from_tag_idx",
            "toTag    | 10892SIPpTag011   | _to_tag_idx",
            "viaBranch | z9hG4bK4ada.5e8bec945d8e3faab6dc176b80d76799.0 | _via_branch_idx",
            "viaBranch | z9hG4bK-10898-1-* | _via_branch_idx",
            "correlationId | aleg-busy-1-10899@127.0.0.1 | _correlation_id_idx",
            "correlationId | aleg-busy-1-10899@127.0.0.1 | _call_id_idx",
            "correlationId | busy-1-*       | _correlation_id_idx",
            "correlationId | busy-1-*       | _call_id_idx",
    })
    void aSearchByAKeyUsesItsIndex(String param, String value, String index) {
        StepVerifier.create(Plans.explain(db.connectionFactory(), MessageStore.searchSql(request(param, value), Scope.ALL)))
                .assertNext(plan -> assertThat(plan).as(plan).contains(index))
                .verifyComplete();
    }

    @Test
    void aSearchByLogLevelReadsTheLogPartitionsAlone() {
        StepVerifier.create(Plans.explain(db.connectionFactory(), MessageStore.searchSql(request("logLevel", "warning+"), Scope.ALL)))
                .assertNext(plan -> {
                    assertThat(plan).as(plan).contains("messages_log_");
                    assertThat(plan).as(plan).doesNotContain("messages_call_", "messages_registration_",
                            "messages_sip_other_", "messages_qos_", "messages_other_");
                })
                .verifyComplete();
    }

    @Test
    void aMessageIsReadFromOnePartitionByItsPrimaryKey() {
        CapturedMessage m = rows.get(0);
        MessageId id = new MessageId(1, m.envelope().timestampMicros(), MessageKind.SIP_CALL);
        StepVerifier.create(Plans.explain(db.connectionFactory(), MessageStore.findSql(id, Scope.ALL)))
                .assertNext(plan -> {
                    assertThat(plan).as(plan).contains("_pkey");
                    assertThat(plan).as(plan).doesNotContain("messages_registration", "messages_sip_other", "messages_qos");
                })
                .verifyComplete();
    }

    /** A tenant by node and by network: the scope is a filter on top of the key's index, not a scan. */
    static final Scope TENANT = new Scope("acme", List.of("kamailio-1"), List.of("10.1.0.0/16", "2001:db8::/32"));

    @ParameterizedTest(name = "{0}={1} in a tenant's scope")
    @CsvSource(delimiter = '|', value = {
            "callId   | 1-10898@127.0.0.1 | _call_id_idx",
            "fromUser | sipp              | _from_user_idx",
            "fromTag  | 10898SIPpTag001   | _from_tag_idx",
            "toTag    | 10892SIPpTag011   | _to_tag_idx",
            "viaBranch | z9hG4bK-10898-1-* | _via_branch_idx",
            "correlationId | aleg-busy-1-10899@127.0.0.1 | _correlation_id_idx",
    })
    void aScopedSearchByAKeyStillUsesItsIndex(String param, String value, String index) {
        StepVerifier.create(Plans.explain(db.connectionFactory(), MessageStore.searchSql(request(param, value), TENANT)))
                .assertNext(plan -> {
                    assertThat(plan).as(plan).contains(index);
                    assertThat(plan).as(plan).contains("node = ANY", "src_ip <<= ANY", "dst_ip <<= ANY");
                    assertThat(plan).as(plan).doesNotContain("Seq Scan");
                })
                .verifyComplete();
    }

    @Test
    void aScopedMessageIsStillReadByItsPrimaryKey() {
        CapturedMessage m = rows.get(0);
        MessageId id = new MessageId(1, m.envelope().timestampMicros(), MessageKind.SIP_CALL);
        StepVerifier.create(Plans.explain(db.connectionFactory(), MessageStore.findSql(id, TENANT)))
                .assertNext(plan -> assertThat(plan).as(plan).contains("_pkey", "node = ANY"))
                .verifyComplete();
    }
}
