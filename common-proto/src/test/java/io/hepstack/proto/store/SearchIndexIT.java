package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.hepstack.proto.store.Fixtures.NOW;
import static io.hepstack.proto.store.Fixtures.invite;
import static io.hepstack.proto.store.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The searches documented in docs/schema.md reach the index that docs/schema.md says serves them
 * (on partitions, indexes are named {@code <partition>_<column>_idx}).
 */
class SearchIndexIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @BeforeAll
    static void someTraffic() throws Exception {
        List<CapturedMessage> batch = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            batch.add(invite(i, NOW.minusSeconds(i)).callId("call-" + i).correlationId("call-" + i)
                    .fromUser("u" + i).toUser("u" + (i + 1)).ruriUser(i % 10 == 0 ? "contact" + i : "u" + (i + 1))
                    .fromTag("ft" + i).toTag(i % 2 == 0 ? null : "tt" + i).viaBranch("z9hG4bK-" + i)
                    .ips(ip("10.0." + (i % 200) + "." + (i % 250)), ip("10.1.0.1")).build());
            batch.add(invite(10_000 + i, NOW.minusSeconds(i)).kind(MessageKind.QOS).unparsed()
                    .correlationId("call-" + i).build());
        }
        new MessageWriter(db.connectionFactory(), Fixtures.hourly(), new TestClock(NOW)).write(batch).block();
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            s.execute("ANALYZE messages");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Call-ID | call_id = 'call-5' | _call_id_idx",
            "correlation id, rows whose Call-ID differs | correlation_id = 'call-5' AND correlation_id IS DISTINCT FROM call_id | _correlation_id_idx",
            "call flow: Call-ID or correlated to it | call_id = 'call-5' OR (correlation_id = 'call-5' AND correlation_id IS DISTINCT FROM call_id) | BitmapOr",
            "From user | from_user = 'u7' | _from_user_idx",
            "To user | to_user = 'u7' | _to_user_idx",
            "R-URI user differing from To | ruri_user = 'contact10' AND ruri_user IS DISTINCT FROM to_user | _ruri_user_idx",
            "From tag | from_tag = 'ft7' | _from_tag_idx",
            "To tag | to_tag = 'tt7' | _to_tag_idx",
            "Via branch | via_branch = 'z9hG4bK-7' | _via_branch_idx",
            "Via branch prefix (C collation) | via_branch LIKE 'z9hG4bK-12%' | _via_branch_idx",
            "source address | src_ip = '10.0.3.3' | _src_ip_idx",
            "source subnet | src_ip <<= '10.0.3.0/24' | _src_ip_idx",
            "destination address | dst_ip = '10.1.0.1' | _dst_ip_idx",
            "time range | ts >= '2026-11-22 10:00:00+00' AND ts < '2026-11-22 10:05:00+00' | _ts_idx",
            "one message by id and ts | id = 42 AND ts = '2026-11-22 10:00:00+00' | _pkey",
    })
    void searchUsesItsIndex(String search, String where, String index) throws Exception {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT id, ts FROM messages WHERE " + where)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).as(search).contains(index);
        }
    }

    /** Prefix searches ({@code LIKE 'abc%'}) use an index only under a byte-wise collation, whatever the database's. */
    @Test
    void everyIndexedTextColumnComparesByteWise() throws Exception {
        List<String> indexed = MessageColumn.ALL.stream().filter(col -> col.maxChars() < Integer.MAX_VALUE)
                .map(MessageColumn::sqlName).toList();
        List<String> byteWise = new ArrayList<>();
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_name = 'messages'"
                     + " AND collation_name = 'C'")) {
            while (rs.next()) {
                byteWise.add(rs.getString(1));
            }
        }
        assertThat(byteWise).containsExactlyInAnyOrderElementsOf(indexed);
    }
}
