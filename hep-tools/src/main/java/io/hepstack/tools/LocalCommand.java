package io.hepstack.tools;

import io.hepstack.proto.store.SchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code hep-tools local}: the whole suite on one machine. Starts PostgreSQL from Maven Central
 * binaries (data kept in {@code --data}) unless {@code SPRING_R2DBC_URL} names a server, applies the
 * schema, then starts every service jar that has been built (hep-ingest, homer-api, homer-ui) as a
 * child process pointed at that database. Ctrl-C (SIGINT/SIGTERM) stops the services, then PostgreSQL.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run the suite on this machine with an embedded PostgreSQL (the README's run command).")
final class LocalCommand implements Runnable {

    /** Service modules in start order, each with the port it reports. */
    private static final Map<String, String> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("hep-ingest", "HEP on udp+tcp :9060, metrics http://localhost:9096/actuator/prometheus");
        SERVICES.put("homer-api", "API http://localhost:8081/api/v1");
        SERVICES.put("homer-ui", "UI http://localhost:8080");
    }

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "folder for PostgreSQL's data, kept between runs (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--pg-port", paramLabel = "PORT", defaultValue = "15432",
            description = "port of the embedded PostgreSQL (default: ${DEFAULT-VALUE})")
    int pgPort;

    @Option(names = "--demo", paramLabel = "RATE", arity = "0..1", fallbackValue = "20",
            description = "also send demo traffic (calls, busy, registrations, OPTIONS) to the local collector, "
                    + "RATE messages/s (default when given without value: ${FALLBACK-VALUE})")
    Integer demoRate;

    @Option(names = "--home", paramLabel = "DIR", defaultValue = ".",
            description = "the checkout whose <module>/target/<module>.jar are started (default: current folder)")
    Path home;

    @Override
    public void run() {
        String r2dbcUrl = System.getenv("SPRING_R2DBC_URL");
        String user = System.getenv().getOrDefault("SPRING_R2DBC_USERNAME", "postgres");
        String password = System.getenv().getOrDefault("SPRING_R2DBC_PASSWORD", "");
        EmbeddedPostgres pg = null;
        List<Process> children = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            if (r2dbcUrl == null || r2dbcUrl.isBlank()) {
                Path pgData = data.resolve("postgres").toAbsolutePath();
                Files.createDirectories(pgData);
                log("starting PostgreSQL (embedded, data in " + pgData + ", port " + pgPort + ")");
                pg = EmbeddedPostgres.builder()
                        .setDataDirectory(pgData)
                        .setCleanDataDirectory(false)
                        .setPort(pgPort)
                        .setRegisterShutdownHook(false)
                        .setPGStartupWait(Duration.ofSeconds(60))
                        // The embedded defaults suit throw-away test databases; this one keeps data.
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "off") // lose at most ~0.6 s of captures on a crash
                        .start();
                r2dbcUrl = "r2dbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
                user = "postgres";
                password = "";
            } else {
                log("using the PostgreSQL named by SPRING_R2DBC_URL");
            }
            int applied = new SchemaMigrator(SchemaMigrator.jdbcUrl(r2dbcUrl), user, password).migrate();
            log("schema up to date (" + applied + " migrations applied now)");

            for (Map.Entry<String, String> s : SERVICES.entrySet()) {
                Path jar = home.resolve(s.getKey()).resolve("target").resolve(s.getKey() + ".jar");
                if (!Files.isRegularFile(jar)) {
                    log(s.getKey() + ": not built, skipped");
                    continue;
                }
                ProcessBuilder b = new ProcessBuilder(javaBin(), "-jar", jar.toString()).inheritIO();
                b.environment().put("SPRING_R2DBC_URL", r2dbcUrl);
                b.environment().put("SPRING_R2DBC_USERNAME", user);
                b.environment().put("SPRING_R2DBC_PASSWORD", password);
                children.add(b.start());
                log(s.getKey() + ": started, " + s.getValue());
            }
            if (demoRate != null) {
                Path tools = home.resolve("hep-tools").resolve("target").resolve("hep-tools.jar");
                if (children.isEmpty() || !Files.isRegularFile(tools)) {
                    log("demo: needs hep-ingest and hep-tools built; skipped");
                } else {
                    // hep-ingest binds 9060 a few seconds after start; UDP sent earlier is simply not received.
                    children.add(new ProcessBuilder(javaBin(), "-jar", tools.toString(), "bench", "--to",
                            "udp:127.0.0.1:9060", "--rate", Integer.toString(demoRate), "--duration", "168h")
                            .inheritIO().start());
                    log("demo: sending " + demoRate + " HEP messages/s to udp:127.0.0.1:9060");
                }
            }
            EmbeddedPostgres db = pg;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop(children, db);
                stopped.countDown();
            }, "hepstack-local-stop"));
            log("ready: database " + r2dbcUrl + " (user " + user + "). Ctrl-C stops everything; data is kept.");
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            System.err.println("local: " + e.getMessage());
            stop(children, pg);
            System.exit(1);
        }
    }

    private static void stop(List<Process> children, EmbeddedPostgres pg) {
        children.forEach(Process::destroy); // SIGTERM: each service flushes and exits
        for (Process p : children) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pg != null) {
            try {
                pg.close();
                log("PostgreSQL stopped");
            } catch (IOException e) {
                System.err.println("local: stopping PostgreSQL: " + e.getMessage());
            }
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void log(String line) {
        System.out.println("hepstack: " + line);
    }
}
