package io.hepstack.proto.store;

import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.hepstack.proto.store.Fixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

class SchemaMigratorIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.empty();

    /**
     * V1 messages, V2 batch ledger, V3 call-list INVITE index, V4 ingest settings, V5 log-level index, V6 call records,
     * V7 the call records' change feed, V8 tag and Via branch indexes, V9 imported captures' holds, V10 the call
     * list's index of records, V11 the JSON field reader of the search, V12 the records' media, V13 registration
     * records, V15 the extracted headers' index (no V14 in this tree), V16 the import of a change and of a record, V17
     * the capture hops of a record's INVITE, V18 the records' early dialogs.
     */
    private static final int MIGRATIONS = 19;

    @Test
    void replicasMigratingAtOnceApplyTheSchemaExactlyOnce() throws Exception {
        int replicas = 3;
        CyclicBarrier start = new CyclicBarrier(replicas);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<Integer>> applied = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                applied.add(pool.submit(() -> {
                    SchemaMigrator migrator = new SchemaMigrator(db.jdbcUrl(), db.user(), db.password());
                    start.await(30, TimeUnit.SECONDS);
                    return migrator.migrate();
                }));
            }
            int total = 0;
            for (Future<Integer> f : applied) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(total).as("migrations applied over all replicas").isEqualTo(MIGRATIONS);
        } finally {
            pool.shutdownNow();
        }

        try (Connection c = db.openJdbc()) {
            assertThat(count(c, "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                    .isEqualTo(MIGRATIONS);
            assertThat(count(c, "SELECT count(*) FROM ingest_batches")).as("the batch ledger exists, empty").isZero();
            assertThat(count(c, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'messages'::regclass"))
                    .as("one list partition per kind").isEqualTo(6);
            List<String> columns = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT column_name FROM information_schema.columns "
                    + "WHERE table_schema = current_schema() AND table_name = 'messages' AND column_name <> 'id' "
                    + "ORDER BY ordinal_position")) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            assertThat(columns).as("the table's columns are the writers' columns, in their order")
                    .isEqualTo(MessageColumn.ALL.stream().map(MessageColumn::sqlName).toList());
        }
        assertThat(new SchemaMigrator(db.jdbcUrl(), db.user(), db.password()).migrate())
                .as("an up-to-date database").isZero();
    }
}
