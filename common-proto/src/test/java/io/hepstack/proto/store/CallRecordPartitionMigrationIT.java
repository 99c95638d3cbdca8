package io.hepstack.proto.store;

import io.hepstack.proto.store.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V19 (call records in day partitions) on a store that already holds records: every record is kept, whole, in
 * the partition of its start's UTC day; the columns keep their types, collations, defaults and order; the key
 * is the Call-ID and start; the table's indexes exist on every partition, V20's on the durations too. Run again
 * (applied, unrecorded), they change nothing.
 */
class CallRecordPartitionMigrationIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.empty();

    /** A column's name, type, collation, nullability and default, in table order. */
    private static final String COLUMNS = "SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' '"
            + " || coalesce(co.collname, '-') || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-'),"
            + " ', ' ORDER BY a.attnum) FROM pg_attribute a LEFT JOIN pg_collation co ON co.oid = a.attcollation"
            + " AND a.attcollation <> 100 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            + " WHERE a.attrelid = 'call_records'::regclass AND a.attnum > 0 AND NOT a.attisdropped";

    /** Each record whole, as JSON, by Call-ID. */
    private static final String RECORDS = "SELECT string_agg(to_jsonb(r)::text, ',' ORDER BY call_id) FROM call_records r";

    @Test
    void recordsFromBeforeItAreKeptWholeInTheirDaysPartitions() throws Exception {
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
                .target("18").load().migrate();
        String columns;
        String records;
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            // two calls on the 22nd (one a millisecond before its end), one on the 23rd
            for (String[] call : new String[][] {{"a@test", "2026-11-22 00:00:00+00"}, {"b@test", "2026-11-22 23:59:59.999+00"},
                    {"c@test", "2026-11-23 10:00:00+00"}}) {
                s.execute("INSERT INTO call_records (call_id, started_at, state, hangup_by, nodes, codecs, messages,"
                        + " retransmissions, re_invites, stored_rows, updated_at, caller_user, src_ip, verdicts, dialogs)"
                        + " VALUES ('" + call[0] + "', '" + call[1] + "', 'completed', 'caller', '{n1}', '{PCMA}', 6, 1, 0, 6,"
                        + " now(), 'alice', '10.0.0.1', '{high_loss}', '[{\"status\": 200}]')");
            }
            columns = value(s, COLUMNS);
            records = value(s, RECORDS);
        }

        assertThat(new SchemaMigrator(db.jdbcUrl(), db.user(), db.password()).migrate()).as("V19, V20").isEqualTo(2);

        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            assertThat(value(s, "SELECT relkind FROM pg_class WHERE relname = 'call_records'")).as("partitioned").isEqualTo("p");
            assertThat(value(s, COLUMNS)).isEqualTo(columns);
            assertThat(value(s, RECORDS)).isEqualTo(records);
            assertThat(value(s, "SELECT string_agg(tableoid::regclass || ' ' || call_id, ',' ORDER BY call_id) FROM call_records"))
                    .isEqualTo("call_records_p20261122 a@test,call_records_p20261122 b@test,call_records_p20261123 c@test");
            assertThat(value(s, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'call_records'::regclass"
                    + " AND contype = 'p'")).isEqualTo("PRIMARY KEY (call_id, started_at)");
            assertThat(value(s, "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
                    + " WHERE tablename = 'call_records_p20261123'")).isEqualTo(
                    "call_records_p20261123_duration_ms_idx,call_records_p20261123_pkey,call_records_p20261123_started_at_call_id_idx,"
                    + "call_records_p20261123_started_at_idx");
            assertThat(value(s, "SELECT count(*) FROM pg_class WHERE relname LIKE 'call_records_unpartitioned%'")).isEqualTo("0");
            // a day without its partition refuses a record: the builder creates it first (CallRecordPartitions)
            assertThatThrownBy(() -> s.execute("INSERT INTO call_records (call_id, started_at, state, hangup_by, nodes, codecs,"
                    + " messages, retransmissions, re_invites, stored_rows, updated_at) VALUES ('d@test', '2026-11-24 10:00+00',"
                    + " 'ringing', 'unknown', '{}', '{}', 1, 0, 0, 1, now())")).hasMessageContaining("no partition");

            // committed, but the database stopped before Flyway recorded it (Flyway records on a connection of its
            // own): the next start runs it again, which changes nothing
            s.execute("DELETE FROM flyway_schema_history WHERE version IN ('19', '20')");
        }
        assertThat(new SchemaMigrator(db.jdbcUrl(), db.user(), db.password()).migrate()).as("run again").isEqualTo(2);
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            assertThat(value(s, RECORDS)).isEqualTo(records);
            assertThat(value(s, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'call_records'::regclass")).isEqualTo("2");
        }
    }

    private static String value(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
