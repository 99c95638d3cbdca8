package io.hepstack.tools.local;

import io.hepstack.proto.store.SchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL of {@code hep-tools local} (the real command, as a child process, with no service
 * jar to start): password-only and durable from a new data folder, and a data folder of an older hepstack
 * (trust authentication, no password file) migrated to that.
 */
class LocalDatabaseIT {

    static final Duration START = Duration.ofSeconds(180);

    @Test
    void aNewDataFolderAcceptsOnlyThePasswordKeptInItAndSyncsEveryCommitToDisk() throws Exception {
        Path work = LocalRun.freshFolder("new-data-folder");
        Path data = work.resolve("data");
        Path noServices = Files.createDirectories(work.resolve("no-services"));
        try (LocalRun run = LocalRun.start("new-data-folder", data, noServices)) {
            String console = run.awaitSummary(START);
            assertThat(console).contains("PostgreSQL: new data directory " + data.resolve("postgres"));
            assertThat(run.summaryRow("database")).hasValue("postgresql://postgres@127.0.0.1:" + run.pgPort
                    + "/postgres, password in " + run.passwordFile());

            assertThat(Files.getPosixFilePermissions(run.passwordFile())).isEqualTo(SecretFile.OWNER_ONLY);
            assertThat(run.dbPassword()).hasSize(24);
            assertThat(LocalDatabase.trustsConnections(data.resolve("postgres/pg_hba.conf"))).isFalse();
            assertOnlyThePasswordIsAccepted(run);
            assertDurable(run);
            try (Connection c = run.connect(run.dbPassword()); Statement s = c.createStatement()) {
                assertThat(query(s, "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'postgres'"))
                        .isEqualTo("t");
                assertThat(query(s, "SELECT count(*) FROM messages")).isEqualTo("0"); // the schema is there
            }
        }
    }

    @Test
    void aDataFolderOfAnOlderVersionWithoutPasswordIsMigratedAndKeepsItsData() throws Exception {
        Path work = LocalRun.freshFolder("older-data-folder");
        Path data = work.resolve("data");
        Path noServices = Files.createDirectories(work.resolve("no-services"));
        // what hep-tools local made before passwords: zonky's defaults (initdb -A trust), no password file,
        // the schema of the time and some data
        int port = LocalRun.freePort(new ArrayList<>());
        try (EmbeddedPostgres older = EmbeddedPostgres.builder()
                .setDataDirectory(data.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .setOutputRedirector(Redirect.appendTo(work.resolve("older-postgres.log").toFile()))
                .setErrorRedirector(Redirect.appendTo(work.resolve("older-postgres.log").toFile()))
                .setServerConfig("fsync", "on")
                .start();
             Connection c = older.getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            new SchemaMigrator("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null).migrate();
            s.execute("CREATE TABLE kept_from_before (note text)");
            s.execute("INSERT INTO kept_from_before VALUES ('captured with an older hepstack')");
        }
        assertThat(LocalDatabase.trustsConnections(data.resolve("postgres/pg_hba.conf"))).isTrue();
        assertThat(data.resolve(LocalDatabase.PASSWORD_FILE)).doesNotExist();

        try (LocalRun run = LocalRun.start("older-data-folder", data, noServices)) {
            assertThat(run.awaitSummary(START)).contains("accepts connections without a password (an older hepstack)",
                    "now requires the password");
            assertThat(Files.getPosixFilePermissions(run.passwordFile())).isEqualTo(SecretFile.OWNER_ONLY);
            assertThat(Files.readString(data.resolve("postgres/pg_hba.conf"))).isEqualTo(LocalDatabase.PG_HBA);
            assertOnlyThePasswordIsAccepted(run);
            assertDurable(run);
            try (Connection c = run.connect(run.dbPassword()); Statement s = c.createStatement()) {
                assertThat(query(s, "SELECT note FROM kept_from_before")).isEqualTo("captured with an older hepstack");
            }
        }
        // the next start is an ordinary one with the kept password; --verbose shows PostgreSQL's log too
        try (LocalRun again = LocalRun.start("older-data-folder-again", data, noServices, "--verbose")) {
            assertThat(again.awaitSummary(START)).doesNotContain("without a password");
            again.awaitLog("postgres   | " + readyLine(data.resolve("logs/postgres.log")), START);
            try (Connection c = again.connect(again.dbPassword()); Statement s = c.createStatement()) {
                assertThat(query(s, "SELECT note FROM kept_from_before")).isEqualTo("captured with an older hepstack");
            }
        }
    }

    private static void assertOnlyThePasswordIsAccepted(LocalRun run) throws Exception {
        assertThatThrownBy(() -> run.connect(null).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("no password was provided");
        assertThatThrownBy(() -> run.connect("not-the-password").close()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01")); // invalid_password
        try (Connection c = run.connect(run.dbPassword()); Statement s = c.createStatement()) {
            assertThat(query(s, "SELECT current_user")).isEqualTo("postgres");
        }
    }

    /** zonky starts postgres with -F (fsync off) and synchronous_commit off; the local run overrides both. */
    private static void assertDurable(LocalRun run) throws Exception {
        try (Connection c = run.connect(run.dbPassword()); Statement s = c.createStatement()) {
            assertThat(query(s, "SHOW fsync")).isEqualTo("on");
            assertThat(query(s, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(query(s, "SHOW full_page_writes")).isEqualTo("on");
        }
    }

    /** The line of a PostgreSQL log that says it accepts connections. */
    private static String readyLine(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("database system is ready to accept connections"))
                .findFirst().orElseThrow();
    }

    static String query(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
