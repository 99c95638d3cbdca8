package io.hepstack.tools.e2e;

import io.hepstack.proto.testing.DebianPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL alerts of {@code deploy/prometheus/rules/alerts.yml} read metrics that Debian's postgres_exporter
 * ({@code prometheus-postgres-exporter}) really exports: it scrapes a Debian PostgreSQL 15 primary with a streaming
 * standby (made by {@code pg_basebackup -R}, so that {@code pg_stat_replication} has a row), and every
 * {@code pg_*} name in the rules' expressions is in its answer, the replication lag with the standby's
 * {@code application_name} and the database counters with {@code datname}, the labels the rules group by. A promtool test with synthetic series
 * cannot catch a misspelt or renamed metric; this does.
 */
class PostgresExporterMetricsIT {

    static final Path RULES = Path.of("../deploy/prometheus/rules/alerts.yml").toAbsolutePath().normalize();
    static final Pattern PG_METRIC = Pattern.compile("\\b(pg_[a-z_]+)\\b(?![:(])");
    static final Duration STEP = Duration.ofSeconds(60);

    static final Path dir = DebianPostgres.directory("hepstack-exporter-");
    static final List<String> servers = new ArrayList<>();
    static ChildProcess exporter;
    static int exporterPort;

    @BeforeAll
    static void startAPrimaryAStandbyAndTheExporter() throws Exception {
        DebianPostgres.require("pg_basebackup", "postgresql-15");
        String binary = ChildProcess.require("prometheus-postgres-exporter", "prometheus-postgres-exporter");
        List<Integer> ports = new ArrayList<>();
        int primary = ChildProcess.freePort(ports);
        int standby = ChildProcess.freePort(ports);
        exporterPort = ChildProcess.freePort(ports);
        DebianPostgres.run(dir, STEP, "initdb", "-D", dir.resolve("primary").toString(), "-E", "UTF8", "--locale=C", "-A", "trust",
                "--no-sync");
        serve("primary", primary);
        DebianPostgres.run(dir, STEP, "pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(primary),
                "-D", dir.resolve("standby").toString(), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync");
        serve("standby", standby);
        exporter = ChildProcess.start("postgres-exporter", Path.of("target", "e2e").toAbsolutePath(), List.of("env",
                "DATA_SOURCE_NAME=postgresql://" + DebianPostgres.superuser() + "@127.0.0.1:" + primary + "/postgres?sslmode=disable",
                binary, "--web.listen-address=127.0.0.1:" + exporterPort));
        exporter.awaitHttp200("http://127.0.0.1:" + exporterPort + "/metrics", STEP);
    }

    static void serve(String name, int port) throws Exception {
        DebianPostgres.run(dir, STEP, "pg_ctl", "-D", dir.resolve(name).toString(), "-l", dir.resolve(name + ".log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        servers.add(name);
    }

    @AfterAll
    static void stop() throws Exception {
        if (exporter != null) {
            exporter.close();
        }
        for (int i = servers.size() - 1; i >= 0; i--) {
            DebianPostgres.run(dir, STEP, "pg_ctl", "-D", dir.resolve(servers.get(i)).toString(), "-m", "fast", "-w", "stop");
        }
        DebianPostgres.remove(dir);
    }

    @Test
    void everyPostgresqlMetricTheRulesReadIsExportedWithTheLabelsTheyGroupBy() throws Exception {
        Set<String> used = new TreeSet<>();
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        for (Map<String, Object> group : list(file.get("groups"))) {
            for (Map<String, Object> rule : list(group.get("rules"))) {
                Matcher m = PG_METRIC.matcher((String) rule.get("expr"));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).as("pg_* metrics in rules/alerts.yml").contains("pg_up", "pg_stat_replication_pg_wal_lsn_diff");

        // the standby connects asynchronously: scrape until its walsender row is there
        List<String> samples = List.of();
        long end = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < end) {
            samples = scrape();
            if (samples.stream().anyMatch(s -> s.startsWith("pg_stat_replication_pg_wal_lsn_diff{"))) {
                break;
            }
            Thread.sleep(500);
        }
        for (String metric : used) {
            assertThat(samples).as("postgres_exporter exports " + metric + " (log: " + exporter.log() + ")")
                    .anyMatch(s -> s.startsWith(metric + "{") || s.startsWith(metric + " "));
        }
        assertThat(samples).contains("pg_up 1");
        assertThat(samples).as("the standby's lag, by application_name")
                .anyMatch(s -> s.startsWith("pg_stat_replication_pg_wal_lsn_diff{") && s.contains("application_name=\""));
        for (String counter : List.of("pg_stat_database_deadlocks", "pg_stat_database_xact_commit", "pg_stat_database_xact_rollback")) {
            assertThat(samples).as(counter + " by datname").anyMatch(s -> s.startsWith(counter + "{") && s.contains("datname=\"postgres\""));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }

    static List<String> scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + exporterPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body().lines().filter(l -> !l.startsWith("#")).toList();
    }
}
