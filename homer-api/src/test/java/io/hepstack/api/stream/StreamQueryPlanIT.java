package io.hepstack.api.stream;

import io.hepstack.api.query.Scope;
import io.hepstack.api.Fixture;
import io.hepstack.api.Plans;
import io.hepstack.api.query.Filter;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream's poll reads only the recent time partitions, by primary key range on {@code id}. */
class StreamQueryPlanIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    static final Instant NOW = Instant.now();
    static final Instant OLD = NOW.minus(3, ChronoUnit.DAYS);

    @BeforeAll
    static void storeOldAndRecentRows() throws Exception {
        Fixture.store(db.connectionFactory(), List.of(invite("old@test", OLD)));
        Fixture.store(db.connectionFactory(), List.of(invite("new@test", NOW)));
        Fixture.analyze(db);
    }

    private static String partition(String kind, Instant t) {
        return "messages_" + kind + "_p" + DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(t);
    }

    @Test
    void aPollRangesOverThePrimaryKeyOfTheRecentPartitionsOnly() {
        LiveQuery q = new LiveQuery(List.of(), Scope.ALL, 0, 30_000, 500, 1000);
        q.skip(List.of(5L, 6L, 7L)); // streamed ids are skipped in the statement
        StepVerifier.create(Plans.explain(db.connectionFactory(), q.pollSql(NOW.minus(1, ChronoUnit.HOURS))))
                .assertNext(plan -> {
                    assertThat(plan).as(plan).contains(partition("call", NOW) + "_pkey").contains("<> ALL");
                    assertThat(plan).as(plan).doesNotContain(partition("call", OLD));
                })
                .verifyComplete();
    }

    @Test
    void aFilteredPollKeepsItsIndexAndThePartitionPruning() {
        LiveQuery q = new LiveQuery(List.of(Filter.of(Filter.Field.CALL_ID, "new@test", 20, 256)), Scope.ALL, 0, 30_000, 500, 1000);
        StepVerifier.create(Plans.explain(db.connectionFactory(), q.pollSql(NOW.minus(1, ChronoUnit.HOURS))))
                .assertNext(plan -> assertThat(plan).as(plan).contains(partition("call", NOW)).doesNotContain(partition("call", OLD)))
                .verifyComplete();
        StepVerifier.create(Plans.explain(db.connectionFactory(), q.presentSql(NOW.minus(1, ChronoUnit.HOURS), 100)))
                .assertNext(plan -> assertThat(plan).as(plan).contains(partition("call", NOW)).doesNotContain(partition("call", OLD)))
                .verifyComplete();
    }

    @Test
    void theMarkReadsTheRecentPartitionsOnly() {
        StepVerifier.create(Plans.explain(db.connectionFactory(), LiveQuery.topSql(NOW.minus(1, ChronoUnit.HOURS))))
                .assertNext(plan -> assertThat(plan).as(plan).contains(partition("call", NOW)).doesNotContain(partition("call", OLD)))
                .verifyComplete();
    }

    private static CapturedMessage invite(String callId, Instant at) throws Exception {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        String text = "INVITE sip:bob@10.9.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.9.0.1:5060;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@10.9.0.1>;tag=a1\r\nTo: <sip:bob@10.9.0.2>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        HepPacket p = new HepPacket(3, 2, 17, InetAddress.getByName("10.9.0.1"), InetAddress.getByName("10.9.0.2"), 5060,
                5060, micros / 1_000_000, (int) (micros % 1_000_000), HepPayloadType.SIP.number(), 4001, null, null, null,
                "node-1", text.getBytes(StandardCharsets.UTF_8), false, List.of());
        return new MessageExtractor(Fixture.SETTINGS).extract(p);
    }
}
