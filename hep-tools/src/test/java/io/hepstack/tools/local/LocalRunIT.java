package io.hepstack.tools.local;

import io.hepstack.proto.testing.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.hepstack.tools.local.LocalDatabaseIT.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hep-tools local} with the three service jars of the checkout, as {@code ./hepstack run} starts it:
 * "ready" and the summary only once every service answers its readiness check, the summary's facts, and
 * the data folder after everything was killed (kill -9) in the middle of ingest: every message the
 * collector reported stored ({@code hep_messages_stored_total}) before the kill is there after a restart.
 * Console output: {@code target/local-it/*.log}; the services' logs: {@code target/local-it/suite/data/logs/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRunIT {

    static final Duration START = Duration.ofSeconds(360);
    static final String RUN_ID = "0000d0c1";
    static final List<String> SERVICES = List.of("hep-ingest", "homer-api", "homer-ui");

    static Path data;
    static LocalRun run;

    @BeforeAll
    static void start() throws Exception {
        data = LocalRun.freshFolder("suite").resolve("data");
        run = LocalRun.start("suite-1", data, LocalRun.checkout());
        run.awaitSummary(START);
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void readyIsPrintedOnceEveryServiceAnswersAndTheSummaryTellsWhereEverythingIs() throws Exception {
        String console = run.logText();
        int ready = console.indexOf(LocalCommand.READY + " (PostgreSQL, hep-ingest, homer-api, homer-ui)");
        assertThat(ready).as(console).isPositive();
        for (String s : SERVICES) {
            assertThat(console.indexOf("hepstack: " + s + ": ready")).as(s).isBetween(0, ready);
        }
        assertThat(LocalRun.status("http://127.0.0.1:" + run.metricsPort + "/actuator/health/readiness")).isEqualTo(200);
        assertThat(LocalRun.status("http://127.0.0.1:" + run.apiPort + "/actuator/health/readiness")).isEqualTo(200);
        assertThat(LocalRun.status("http://127.0.0.1:" + run.uiPort + "/actuator/health/readiness")).isEqualTo(200);

        Path adminFile = data.resolve(AdminLogin.PASSWORD_FILE);
        assertThat(Files.getPosixFilePermissions(adminFile)).isEqualTo(SecretFile.OWNER_ONLY);
        String adminPassword = Files.readString(adminFile).strip();
        assertThat(run.summaryRow("UI")).hasValue("http://localhost:" + run.uiPort);
        assertThat(run.summaryRow("login")).hasValue("admin / " + adminPassword
                + "   (new account; the password is kept in " + adminFile + ")");
        assertThat(run.summaryRow("HEP agents")).hasValue("send to port " + run.hepPort
                + ", UDP or TCP, on any address of this machine");
        assertThat(run.summaryRow("metrics")).hasValue("http://localhost:" + run.metricsPort + "/actuator/prometheus");
        assertThat(run.summaryRow("API")).hasValue("http://localhost:" + run.apiPort + "/api/v1");
        assertThat(run.summaryRow("data folder")).hasValue(data + " (kept between runs)");
        assertThat(run.summaryRow("logs")).hasValue(String.format("%-10s %s", "postgres", data.resolve("logs/postgres.log")));
        for (String s : SERVICES) {
            Path log = data.resolve("logs").resolve(s + ".log");
            assertThat(console).contains(String.format("%-10s %s", s, log));
            assertThat(Files.readString(log)).as(s + " writes its log there").contains("Started ");
        }
        assertThat(console).as("the services' logs stay out of the console").doesNotContain("Started ");

        // the summary's password is the admin's, and the UI reaches the API it was given
        String login = "{\"username\":\"admin\",\"password\":\"" + adminPassword + "\"}";
        HttpResponse<String> viaApi = LocalRun.post("http://127.0.0.1:" + run.apiPort + "/api/v1/auth/login", login);
        assertThat(viaApi.statusCode()).as(viaApi.body()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aKillDuringIngestLosesNoMessageTheCollectorReportedStored() throws Exception {
        double stored;
        try (ChildProcess bench = new Bench(run.hepPort)) {
            while ((stored = run.counter("hep_messages_stored_total")) < 3000) {
                bench.assertAlive();
                run.assertAlive();
                Thread.sleep(100);
            }
            stored = run.counter("hep_messages_stored_total"); // while the bench still sends
            // kill -9, all at once: PostgreSQL (postmaster and backends), hep-tools local and its services
            ProcessHandle postmaster = run.postmaster().orElseThrow();
            List<ProcessHandle> pg = new ArrayList<>(postmaster.descendants().toList());
            pg.add(0, postmaster);
            pg.forEach(ProcessHandle::destroyForcibly);
            run.kill();
            pg.forEach(p -> p.onExit().join());
            bench.kill();
        }
        assertThat(stored).isGreaterThanOrEqualTo(3000);

        run = LocalRun.start("suite-2", data, LocalRun.checkout());
        run.awaitSummary(START);
        assertThat(Files.readString(data.resolve("logs/postgres.log")))
                .as("PostgreSQL was killed mid-work: it replays its WAL")
                .contains("database system was not properly shut down; automatic recovery in progress");
        try (Connection c = run.connect(run.dbPassword()); Statement s = c.createStatement()) {
            long rows = Long.parseLong(query(s, "SELECT count(*) FROM messages WHERE call_id LIKE 'bench-" + RUN_ID + "-%'"));
            System.out.printf("LocalRunIT: %.0f messages reported stored before the kill, %d rows after the restart%n",
                    stored, rows);
            assertThat(rows).as("rows of the bench run after the restart").isGreaterThanOrEqualTo((long) stored);
            assertThat(query(s, "SHOW fsync")).isEqualTo("on");
        }
        assertThat(run.summaryRow("login")).hasValue("admin, password in " + data.resolve(AdminLogin.PASSWORD_FILE)
                + " (unless changed since in the UI)");
        assertNoNettyLeakReported();
    }

    private static void assertNoNettyLeakReported() throws IOException {
        try (Stream<Path> logs = Files.list(data.resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as(log + ": Netty leak report").doesNotContain("LEAK:");
            }
        }
    }

    /** {@code hep-tools bench} over TCP to the local collector at 2,000 messages/s, until killed. */
    static final class Bench extends ChildProcess {
        Bench(int hepPort) throws IOException {
            super("bench", new ProcessBuilder(ServiceProcess.javaBin(), "-Xmx128m", "-jar", LocalRun.toolsJar().toString(),
                    "bench", "--to", "tcp:127.0.0.1:" + hepPort, "--rate", "2000", "--duration", "1h",
                    "--run-id", RUN_ID), LocalRun.WORK.resolve("bench.log"), Duration.ofSeconds(5));
        }
    }
}
