package io.hepstack.tools.bench;

import io.hepstack.proto.store.MessageColumn;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hep-tools bench} into the real hep-ingest jar and PostgreSQL; the COPY file of the same run. */
class BenchIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    static IngestProcess ingest;

    @BeforeAll
    static void startIngest() throws Exception {
        ingest = new IngestProcess(db);
    }

    @AfterAll
    static void stopIngest() throws Exception {
        if (ingest != null) {
            ingest.close();
        }
    }

    private static String bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CommandLine(new BenchCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.openJdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long awaitCount(String sql, long expected) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        long n;
        while ((n = count(sql)) < expected && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        return n;
    }

    @Test
    void everyMessageBenchedOverUdpAndTcpIsStoredAndTheCopyFileHoldsTheSameRows(@TempDir Path tmp) throws Exception {
        double storedBefore = ingest.counter("hep_messages_stored_total");
        String udp = bench("--to", "udp:127.0.0.1:" + ingest.hepPort, "--messages", "3000", "--rate", "4000",
                "--run-id", "00000b01");
        assertThat(udp).contains("{\"summary\":\"bench\",\"target\":\"udp:127.0.0.1:" + ingest.hepPort
                + "\",\"sent\":3000,");
        String tcp = bench("--to", "tcp:127.0.0.1:" + ingest.hepPort, "--messages", "2000", "--run-id", "00000b02");
        assertThat(tcp).contains("\"sent\":2000,");

        assertThat(awaitCount("select count(*) from messages where call_id like 'bench-00000b01-%'", 3000))
                .as(ingest.output()).isEqualTo(3000);
        assertThat(awaitCount("select count(*) from messages where call_id like 'bench-00000b02-%'", 2000))
                .isEqualTo(2000);
        // 3000 messages of the default mix: 28 full cycles (20 scenarios, 104 messages), then 88 messages
        // that begin 18 more scenarios (the last one cut short)
        assertThat(udp).contains("\"scenarios\":578,");
        assertThat(count("select count(distinct call_id) from messages where call_id like 'bench-00000b01-%'"))
                .isEqualTo(28 * 20 + 18);
        assertThat(ingest.counter("hep_packets_dropped_total")).isZero();
        assertThat(ingest.counter("hep_packets_rejected_total")).isZero();
        assertThat(ingest.counter("hep_messages_stored_total") - storedBefore).isEqualTo(5000.0);

        Path file = tmp.resolve("bench.copy");
        bench("--write-copy", file.toString(), "--messages", "3000", "--run-id", "00000b01");
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            s.execute("create table copy_rows (like messages including defaults)");
            try (Reader r = Files.newBufferedReader(file)) {
                long loaded = c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY copy_rows (" + MessageColumn.COPY_LIST + ") FROM STDIN", r);
                assertThat(loaded).isEqualTo(3000);
            }
        }
        String columns = MessageColumn.COPY_LIST.replace("ts, ", "");
        String stored = "select " + columns + " from messages where call_id like 'bench-00000b01-%'";
        String copied = "select " + columns + " from copy_rows";
        assertThat(count("select count(*) from (" + stored + " except all " + copied + ") d")).isZero();
        assertThat(count("select count(*) from (" + copied + " except all " + stored + ") d")).isZero();
        assertThat(count("select count(*) from copy_rows where ts > now() - interval '5 minutes'")).isEqualTo(3000);
    }

    @Test
    void theRtcpReportsOfAMixAreStoredAsReadQosRowsUnderTheCallIdsOfTheirCalls() throws Exception {
        String out = bench("--to", "tcp:127.0.0.1:" + ingest.hepPort, "--messages", "800", "--mix", "call=1,rtcp=1",
                "--run-id", "00000b03");
        assertThat(out).contains("\"sent\":800,").contains("mix call=1,rtcp=1");
        // 100 cycles of a call (7 SIP messages) and one report on it
        assertThat(awaitCount("select count(*) from messages where call_id like 'bench-00000b03-%'", 700))
                .as(ingest.output()).isEqualTo(700);
        String reports = "from messages r where r.proto_type = 5 and r.correlation_id like 'bench-00000b03-%'";
        assertThat(awaitCount("select count(*) " + reports, 100)).isEqualTo(100);
        assertThat(count("select count(*) " + reports + " and r.kind = 'qos' and r.extra -> 'rtcp' is not null"
                + " and r.extra -> 'rtcpError' is null and r.extra::text like '%\"type\": \"sr\"%'"
                + " and exists (select 1 from messages s where s.call_id = r.correlation_id and s.method = 'INVITE')"))
                .isEqualTo(100);
        assertThat(count("select count(distinct correlation_id) " + reports)).isEqualTo(100);
    }
}
