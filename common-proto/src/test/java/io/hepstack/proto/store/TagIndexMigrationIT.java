package io.hepstack.proto.store;

import io.hepstack.proto.store.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V8 (tag and Via branch indexes) on a store that already holds messages from before it: rows whose tags
 * no btree entry could hold (stored before the writer cut them) are cut to the indexed length, every other
 * value is kept, and the indexes exist on the existing partitions.
 */
class TagIndexMigrationIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.empty();

    @Test
    void aStoreWithRowsFromBeforeItIsMigratedAndItsOversizedTagsAreCut() throws Exception {
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
                .target("7").load().migrate();
        // random base64: about 6 bits a character, too long for a btree entry even compressed
        byte[] noise = new byte[6000];
        new SecureRandom().nextBytes(noise);
        String hostile = Base64.getEncoder().encodeToString(noise);
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE messages_call_p20261122 PARTITION OF messages_call "
                    + "FOR VALUES FROM ('2026-11-22 00:00+00') TO ('2026-11-23 00:00+00')");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO messages (ts, kind, capture_id, proto_type, "
                    + "ip_family, transport, src_port, dst_port, call_id, from_tag, to_tag, via_branch, parsed, payload_text) "
                    + "VALUES ('2026-11-22 10:00+00', 'call', 1, 1, 2, 17, 5060, 5060, ?, ?, ?, ?, true, 'x')")) {
                insert(p, "hostile@test", hostile, null, hostile);
                insert(p, "plain@test", "a1", "b1", "z9hG4bK-1");
            }
        }

        assertThat(new SchemaMigrator(db.jdbcUrl(), db.user(), db.password()).migrate()).as("V8, then the later ones (V9 to V13, V15 to V20)").isEqualTo(12);

        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT call_id, from_tag, to_tag, via_branch FROM messages ORDER BY call_id")).containsExactly(
                    List.of("hostile@test", hostile.substring(0, MessageColumn.INDEXED_TEXT_MAX_CHARS), "null",
                            hostile.substring(0, MessageColumn.INDEXED_TEXT_MAX_CHARS)),
                    List.of("plain@test", "a1", "b1", "z9hG4bK-1"));
            assertThat(rows(s, "SELECT indexname FROM pg_indexes WHERE tablename = 'messages_call_p20261122'"
                    + " AND indexname ~ '_(from_tag|to_tag|via_branch)_idx$' ORDER BY indexname")).containsExactly(
                    List.of("messages_call_p20261122_from_tag_idx"), List.of("messages_call_p20261122_to_tag_idx"),
                    List.of("messages_call_p20261122_via_branch_idx"));
        }
    }

    private static void insert(PreparedStatement p, String callId, String fromTag, String toTag, String branch) throws Exception {
        p.setString(1, callId);
        p.setString(2, fromTag);
        p.setString(3, toTag);
        p.setString(4, branch);
        p.executeUpdate();
    }

    private static List<List<String>> rows(Statement s, String sql) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(String.valueOf(r.getString(i)));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
