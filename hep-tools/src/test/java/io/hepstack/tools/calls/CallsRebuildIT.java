package io.hepstack.tools.calls;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.proto.testing.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hep-tools calls rebuild}: the Kamailio capture stored before call records existed gets its 40
 * records, whatever the date the test runs on (an explicit range around the capture).
 */
class CallsRebuildIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    @Test
    void recordsEveryCallOfARangeFromItsStoredMessages() throws Exception {
        List<CapturedMessage> capture = Captures.kamailio(ExtractionSettings.DEFAULT);
        long first = capture.stream().mapToLong(m -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = capture.stream().mapToLong(m -> m.envelope().timestampMicros()).max().orElseThrow();
        new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(),
                Clock.fixed(Instant.ofEpochSecond(last / 1_000_000 + 60), ZoneOffset.UTC)).write(capture).block(Duration.ofSeconds(60));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of(
                "--from", Instant.ofEpochSecond(first / 1_000_000).toString(),
                "--to", Instant.ofEpochSecond(last / 1_000_000 + 1).toString(),
                "--db-url", db.r2dbcUrl(), "--db-user", db.user()));
        if (db.password() != null) {
            args.addAll(List.of("--db-password", db.password()));
        }
        int exit = new CommandLine(new CallsCommand.Rebuild(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .execute(args.toArray(String[]::new));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("rebuilt 40 call records of calls started from ")
                .contains("\nrebuilt 20 registration records of bindings registered from "); // user1 to user20
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT state, hangup_by, count(*) FROM call_records GROUP BY 1, 2 ORDER BY 1")) {
            List<String> groups = new ArrayList<>();
            while (r.next()) {
                groups.add(r.getString(1) + " " + r.getString(2) + " " + r.getLong(3));
            }
            assertThat(groups).containsExactly("busy callee 10", "completed caller 30");
        }
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT state, count(*) FROM registration_records GROUP BY 1")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1) + " " + r.getLong(2)).isEqualTo("registered 20");
            assertThat(r.next()).isFalse();
        }
    }

    @Test
    void aRangeThatIsNotOneIsRefusedByName() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new CommandLine(new CallsCommand.Rebuild(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .execute("--from", "2026-11-22T10:00:00Z", "--to", "yesterday", "--db-url", "r2dbc:postgresql://127.0.0.1:1/x");
        assertThat(exit).isEqualTo(2);
    }
}
