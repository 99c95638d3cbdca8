package io.hepstack.tools.local;

import io.hepstack.proto.store.SchemaMigrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * {@code hep-tools local}: the whole suite on one machine, what {@code ./hepstack run} starts.
 *
 * <p>Starts the suite's own PostgreSQL ({@link LocalDatabase}: data in {@code DATA/postgres}, durable,
 * password-only) unless {@code SPRING_R2DBC_URL} names a server, applies the schema, starts every
 * service jar that has been built (hep-ingest, homer-api, homer-ui) as a child process with its output
 * in {@code DATA/logs/<name>.log}, waits until each one's readiness endpoint answers, and only then
 * prints one summary: where the UI is, how to log in, where agents send HEP, metrics, the data folder
 * and the log files. A service that exits or does not become ready within {@code --start-timeout}
 * stops the run with an error naming it and its log. Ctrl-C (SIGINT/SIGTERM) stops the services, then
 * PostgreSQL; the data is kept.
 */
@Command(name = "local", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the suite on this machine with an embedded PostgreSQL (the README's run command).")
public final class LocalCommand implements Callable<Integer> {

    static final String READY = "hepstack: ready";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 30;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "data folder: PostgreSQL's data, its password, the admin password and the logs; "
                    + "kept between runs (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--pg-port", paramLabel = "PORT", defaultValue = "15432",
            description = "port of the embedded PostgreSQL on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int pgPort;

    @Option(names = "--hep-port", paramLabel = "PORT", defaultValue = "9060",
            description = "HEP port of hep-ingest, UDP and TCP (default: ${DEFAULT-VALUE})")
    int hepPort;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9096",
            description = "HTTP port of hep-ingest: metrics and health (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "8081",
            description = "HTTP port of homer-api (default: ${DEFAULT-VALUE})")
    int apiPort;

    @Option(names = "--ui-port", paramLabel = "PORT", defaultValue = "8080",
            description = "HTTP port of homer-ui (default: ${DEFAULT-VALUE})")
    int uiPort;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "how long each service may take to become ready (default: ${DEFAULT-VALUE})")
    int startTimeoutSeconds;

    @Option(names = {"-v", "--verbose"},
            description = "also print the services' and PostgreSQL's log lines here (they always go to DATA/logs/)")
    boolean verbose;

    @Option(names = "--demo", paramLabel = "RATE", arity = "0..1", fallbackValue = "20",
            description = "also send demo traffic (calls, busy, registrations, OPTIONS) to the local collector, "
                    + "RATE messages/s (default when given without value: ${FALLBACK-VALUE})")
    Integer demoRate;

    @Option(names = "--home", paramLabel = "DIR", defaultValue = ".",
            description = "the checkout whose <module>/target/<module>.jar are started (default: current folder)")
    Path home;

    private final PrintStream out = System.out;

    /** What this run started, stopped once in reverse: the demo sender, the services, PostgreSQL. */
    private final List<ServiceProcess> started = new CopyOnWriteArrayList<>();
    private volatile LocalDatabase db;
    private boolean stopping;
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "hepstack-local-stop"));
        try {
            start();
        } catch (IOException | SQLException | RuntimeException e) {
            System.err.println("hepstack: " + e.getMessage());
            stop();
            return 1;
        }
        stopped.await(); // until Ctrl-C or SIGTERM: the shutdown hook stops everything
        return 0;
    }

    private void start() throws IOException, SQLException, InterruptedException {
        Path dataDir = data.toAbsolutePath().normalize();
        if (!Files.isDirectory(dataDir)) {
            // it will hold passwords and captured calls: the owner's only
            Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path logs = Files.createDirectories(dataDir.resolve("logs"));
        Map<String, Path> logFiles = new LinkedHashMap<>();

        List<String> built = new ArrayList<>();
        for (String module : List.of("hep-ingest", "homer-api", "homer-ui")) {
            if (Files.isRegularFile(jar(module))) {
                built.add(module);
            } else {
                progress(module + ": not built (" + jar(module) + "), skipped");
            }
        }
        String r2dbcUrl = System.getenv("SPRING_R2DBC_URL");
        boolean embedded = r2dbcUrl == null || r2dbcUrl.isBlank();
        requirePortsFree(embedded, built);
        if (!embedded) {
            progress("PostgreSQL: the server of SPRING_R2DBC_URL");
        }

        Database database = embedded ? startEmbedded(dataDir, logs, logFiles) : Database.fromEnvironment(r2dbcUrl);
        String jdbcUrl = SchemaMigrator.jdbcUrl(database.r2dbcUrl());
        int applied = new SchemaMigrator(jdbcUrl, database.user(), database.password()).migrate();
        progress("schema up to date (" + applied + " migrations applied now)");

        AdminLogin admin = null;
        List<ServiceProcess> services = new ArrayList<>();
        for (String module : built) {
            Map<String, String> env = new LinkedHashMap<>(database.environment());
            List<String> args;
            int httpPort;
            switch (module) {
                case "hep-ingest" -> {
                    httpPort = metricsPort;
                    args = List.of("--server.port=" + metricsPort,
                            "--homer.ingest.udp.port=" + hepPort, "--homer.ingest.tcp.port=" + hepPort,
                            "--homer.ingest.calls.enabled=true"); // a laptop's rates: the call records are cheap
                }
                case "homer-api" -> {
                    httpPort = apiPort;
                    args = List.of("--server.port=" + apiPort);
                    admin = AdminLogin.decide(jdbcUrl, database.user(), database.password(),
                            dataDir.resolve(AdminLogin.PASSWORD_FILE), System.getenv(AdminLogin.ENV));
                    if (admin.forApi() != null) {
                        env.put(AdminLogin.ENV, admin.forApi());
                    }
                }
                default -> {
                    httpPort = uiPort;
                    args = List.of("--server.port=" + uiPort, "--homer.ui.api-url=http://127.0.0.1:" + apiPort);
                }
            }
            ServiceProcess s = ServiceProcess.start(module, jar(module), args, env, newLog(logs, module, logFiles), httpPort);
            started.add(s);
            services.add(s);
        }
        if (!services.isEmpty()) {
            progress(String.join(", ", built) + ": started; waiting until each answers its readiness check "
                    + "(at most " + startTimeoutSeconds + " s; logs in " + logs + ")");
        }
        awaitReady(services);

        if (demoRate != null) {
            Path tools = jar("hep-tools");
            if (!built.contains("hep-ingest") || !Files.isRegularFile(tools)) {
                progress("demo: needs hep-ingest and hep-tools built; skipped");
            } else {
                started.add(ServiceProcess.start("demo", tools, List.of("bench", "--to", "udp:127.0.0.1:" + hepPort,
                        "--rate", Integer.toString(demoRate), "--duration", "168h"), Map.of(),
                        newLog(logs, "demo", logFiles), metricsPort));
            }
        }
        for (ServiceProcess s : started) {
            s.process().onExit().thenAccept(p -> {
                if (!isStopping()) {
                    progress(s.name() + " exited with status " + p.exitValue() + "; its log: " + s.log());
                }
            });
        }
        out.print(summary(built, admin, database.summary(), dataDir, logFiles)); // one call: never interleaved with --verbose lines
        out.flush();
    }

    /** The database the services use: its R2DBC URL and credentials, and the summary's words for it. */
    private record Database(String r2dbcUrl, String user, String password, String summary) {

        static Database fromEnvironment(String r2dbcUrl) {
            return new Database(r2dbcUrl, System.getenv().getOrDefault("SPRING_R2DBC_USERNAME", "postgres"),
                    System.getenv().getOrDefault("SPRING_R2DBC_PASSWORD", ""), r2dbcUrl + " (SPRING_R2DBC_URL)");
        }

        /** SPRING_R2DBC_* for a service: in its environment, not on its command line for everyone to see. */
        Map<String, String> environment() {
            return Map.of("SPRING_R2DBC_URL", r2dbcUrl, "SPRING_R2DBC_USERNAME", user, "SPRING_R2DBC_PASSWORD", password);
        }
    }

    private Database startEmbedded(Path dataDir, Path logs, Map<String, Path> logFiles) throws IOException {
        Path pgLog = newLog(logs, "postgres", logFiles);
        progress("PostgreSQL: starting (data in " + dataDir.resolve(LocalDatabase.DIRECTORY) + ", port " + pgPort + ")");
        db = LocalDatabase.start(dataDir, pgPort, pgLog, this::progress);
        return new Database(db.r2dbcUrl(), LocalDatabase.USER, db.password(), "postgresql://" + LocalDatabase.USER
                + "@127.0.0.1:" + db.port() + "/postgres, password in " + db.passwordFile());
    }

    private Path jar(String module) {
        return home.resolve(module).resolve("target").resolve(module + ".jar").toAbsolutePath().normalize();
    }

    /**
     * {@code logs/NAME.log} for this run; the previous run's is kept as {@code NAME.log.1}. With
     * {@code --verbose} its lines are copied to the console from now on.
     */
    private Path newLog(Path logs, String name, Map<String, Path> logFiles) throws IOException {
        Path log = logs.resolve(name + ".log");
        if (Files.exists(log)) {
            Files.move(log, logs.resolve(name + ".log.1"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createFile(log);
        logFiles.put(name, log);
        if (verbose) {
            LogFollower.follow(log, name, out);
        }
        return log;
    }

    /**
     * Fails before anything starts when a port is taken: a service of an earlier run still running there
     * would otherwise answer the readiness check in place of the new one, which fails to bind.
     */
    private void requirePortsFree(boolean embedded, List<String> built) throws IOException {
        Map<String, Integer> tcp = new LinkedHashMap<>();
        if (embedded) {
            tcp.put("PostgreSQL (--pg-port)", pgPort);
        }
        if (built.contains("hep-ingest")) {
            tcp.put("hep-ingest HEP over TCP (--hep-port)", hepPort);
            tcp.put("hep-ingest HTTP (--metrics-port)", metricsPort);
        }
        if (built.contains("homer-api")) {
            tcp.put("homer-api (--api-port)", apiPort);
        }
        if (built.contains("homer-ui")) {
            tcp.put("homer-ui (--ui-port)", uiPort);
        }
        for (Map.Entry<String, Integer> p : tcp.entrySet()) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(p.getValue()));
            } catch (IOException e) {
                throw new IOException("TCP port " + p.getValue() + " for " + p.getKey() + " is in use (a hepstack "
                        + "still running? `ss -ltnp 'sport = :" + p.getValue() + "'` tells which program): stop it, "
                        + "or choose another port with the option named");
            }
        }
        if (built.contains("hep-ingest")) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress((InetAddress) null, hepPort))) {
                // free
            } catch (IOException e) {
                throw new IOException("UDP port " + hepPort + " for hep-ingest HEP (--hep-port) is in use: stop "
                        + "the program on it (`ss -lunp 'sport = :" + hepPort + "'`) or choose another port");
            }
        }
    }

    private void awaitReady(List<ServiceProcess> services) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(startTimeoutSeconds).toNanos();
        List<ServiceProcess> pending = new ArrayList<>(services);
        while (!pending.isEmpty()) {
            for (Iterator<ServiceProcess> it = pending.iterator(); it.hasNext(); ) {
                ServiceProcess s = it.next();
                if (!s.process().isAlive()) {
                    throw new IOException(s.name() + " exited with status " + s.process().exitValue()
                            + " before it was ready; its log: " + s.log() + "\n" + tail(s));
                }
                if (s.ready()) {
                    progress(s.name() + ": ready");
                    it.remove();
                }
            }
            if (!pending.isEmpty() && System.nanoTime() > deadline) {
                ServiceProcess s = pending.get(0);
                throw new IOException(s.name() + " not ready after " + startTimeoutSeconds + " s (" + s.readiness()
                        + " did not answer 200); its log: " + s.log() + "\n" + tail(s));
            }
            Thread.sleep(250);
        }
    }

    private static String tail(ServiceProcess s) {
        return "--- last lines of " + s.log() + " ---\n" + s.logTail(LOG_TAIL_LINES) + "\n---";
    }

    private String summary(List<String> built, AdminLogin admin, String database, Path dataDir, Map<String, Path> logFiles) {
        List<String[]> rows = new ArrayList<>();
        if (built.contains("homer-ui")) {
            rows.add(new String[]{"UI", "http://localhost:" + uiPort});
        }
        if (admin != null) {
            rows.add(new String[]{"login", admin.summary()});
        }
        if (built.contains("hep-ingest")) {
            rows.add(new String[]{"HEP agents", "send to port " + hepPort + ", UDP or TCP, on any address of this machine"});
            rows.add(new String[]{"metrics", "http://localhost:" + metricsPort + "/actuator/prometheus"});
        }
        if (built.contains("homer-api")) {
            rows.add(new String[]{"API", "http://localhost:" + apiPort + "/api/v1"});
        }
        if (demoRate != null && logFiles.containsKey("demo")) {
            rows.add(new String[]{"demo", demoRate + " HEP messages/s to udp:127.0.0.1:" + hepPort});
        }
        rows.add(new String[]{"database", database});
        rows.add(new String[]{"data folder", dataDir + " (kept between runs)"});
        boolean first = true;
        for (Map.Entry<String, Path> log : logFiles.entrySet()) {
            rows.add(new String[]{first ? "logs" : "", String.format("%-10s %s", log.getKey(), log.getValue())});
            first = false;
        }
        if (!logFiles.isEmpty()) {
            rows.add(new String[]{"", "the previous run's: *.log.1" + (verbose ? "" : "; --verbose also prints them here")});
        }
        StringBuilder b = new StringBuilder();
        b.append(READY).append(" (").append(embedded() ? "PostgreSQL" : "database");
        built.forEach(s -> b.append(", ").append(s));
        b.append(")\n\n");
        for (String[] r : rows) {
            b.append(String.format("  %-12s %s%n", r[0], r[1]));
        }
        String open = built.contains("hep-ingest") ? openCollectorWarning(System.getenv(), hepPort) : null;
        if (open != null) {
            b.append('\n').append(open).append('\n');
        }
        b.append("\nhepstack: Ctrl-C stops everything; the data is kept.\n");
        return b.toString();
    }

    /**
     * The warning printed when the local collector takes HEP from anyone: on every address (no
     * {@code HOMER_INGEST_UDP_HOST}/{@code TCP_HOST} on the loopback) and without auth keys (no
     * {@code HOMER_INGEST_AUTH_*} and no {@code auth} in {@code SPRING_APPLICATION_JSON}); {@code null} otherwise.
     */
    static String openCollectorWarning(Map<String, String> env, int hepPort) {
        boolean keys = env.keySet().stream().anyMatch(k -> k.startsWith("HOMER_INGEST_AUTH_"))
                || env.getOrDefault("SPRING_APPLICATION_JSON", "").contains("\"auth\"");
        boolean loopback = loopback(env.get("HOMER_INGEST_UDP_HOST")) && loopback(env.get("HOMER_INGEST_TCP_HOST"));
        if (keys || loopback) {
            return null;
        }
        return "WARNING: the collector takes HEP on port " + hepPort + " of every address of this machine without auth "
                + "keys: anyone who reaches it can store rows with any capture id and node name, and they show in the "
                + "tenant views of that node. On a shared network set HOMER_INGEST_UDP_HOST=127.0.0.1 and "
                + "HOMER_INGEST_TCP_HOST=127.0.0.1, or keys (docs/operations.md, \"Agent trust\").";
    }

    private static boolean loopback(String host) {
        return host != null && (host.equals("127.0.0.1") || host.equals("::1") || host.equals("localhost")
                || host.startsWith("127."));
    }

    private boolean embedded() {
        return db != null;
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    /** Stops what was started, once: SIGTERM to every child at once, up to 30 s each for them to exit, then PostgreSQL. */
    private void stop() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        try {
            List<ServiceProcess> children = new ArrayList<>(started);
            if (!children.isEmpty()) {
                progress("stopping " + String.join(", ", children.stream().map(ServiceProcess::name).toList()));
            }
            children.forEach(ServiceProcess::terminate);
            children.forEach(s -> s.awaitExit(STOP_GRACE));
            if (db != null) {
                try {
                    db.close();
                    progress("PostgreSQL stopped");
                } catch (IOException e) {
                    System.err.println("hepstack: stopping PostgreSQL: " + e.getMessage());
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private void progress(String line) {
        out.println("hepstack: " + line);
    }
}
