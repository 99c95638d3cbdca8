package io.hepstack.tools.local;

import io.hepstack.proto.testing.ChildProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code java -jar hep-tools.jar local} as the README's {@code ./hepstack run} starts it, run by a test on
 * free loopback ports with a data folder of the test's; its console output is kept in
 * {@code target/local-it/NAME.log}. The services it starts run with Netty's paranoid leak detection and
 * small heaps ({@code JAVA_TOOL_OPTIONS}, inherited).
 */
final class LocalRun extends ChildProcess {

    static final Path WORK = Path.of("target", "local-it").toAbsolutePath();
    /** The last line of the summary: everything is up. */
    static final String SUMMARY_END = "hepstack: Ctrl-C stops everything; the data is kept.";
    private static final Duration STOP_GRACE = Duration.ofSeconds(120); // 30 s per service, then PostgreSQL
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path data;
    final int pgPort;
    final int hepPort;
    final int metricsPort;
    final int apiPort;
    final int uiPort;

    private LocalRun(String name, ProcessBuilder command, Path data, List<Integer> ports) throws IOException {
        super(name, command, WORK.resolve(name + ".log"), STOP_GRACE);
        this.data = data;
        this.pgPort = ports.get(0);
        this.hepPort = ports.get(1);
        this.metricsPort = ports.get(2);
        this.apiPort = ports.get(3);
        this.uiPort = ports.get(4);
    }

    /**
     * Starts {@code local} on {@code data}, with the service jars of {@code home} ({@link #checkout()} for
     * all three, an empty folder for none).
     */
    static LocalRun start(String name, Path data, Path home, String... options) throws IOException {
        // options given replace the defaults below (picocli refuses an option given twice)
        Files.createDirectories(WORK);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            freePort(ports);
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--start-timeout", "300");
        defaults.put("--pg-port", ports.get(0).toString());
        defaults.put("--hep-port", ports.get(1).toString());
        defaults.put("--metrics-port", ports.get(2).toString());
        defaults.put("--api-port", ports.get(3).toString());
        defaults.put("--ui-port", ports.get(4).toString());
        List<String> given = List.of(options);
        ProcessBuilder b = new ProcessBuilder(ServiceProcess.javaBin(), "-jar", toolsJar().toString(), "local",
                "--data", data.toString(), "--home", home.toString()).directory(WORK.toFile());
        defaults.forEach((option, value) -> {
            if (!given.contains(option)) {
                b.command().addAll(List.of(option, value));
            }
        });
        b.command().addAll(given);
        b.environment().put("JAVA_TOOL_OPTIONS", "-Dio.netty.leakDetection.level=paranoid -Xmx256m -Xss512k "
                + "-XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        b.environment().remove(AdminLogin.ENV);
        b.environment().remove("SPRING_R2DBC_URL");
        return new LocalRun(name, b, data, ports);
    }

    static Path toolsJar() {
        Path jar = Path.of(System.getProperty("hepstack.tools.jar", "target/hep-tools.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: run the test with ./mvnw -pl hep-tools -am verify (package builds it)");
        }
        return jar;
    }

    /** The checkout whose service jars the reactor built before this module's integration tests. */
    static Path checkout() {
        return Path.of(System.getProperty("hepstack.home", "..")).toAbsolutePath().normalize();
    }

    /** A fresh folder {@code target/local-it/NAME} (an earlier run's is deleted). */
    static Path freshFolder(String name) throws IOException {
        Path dir = WORK.resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /** Waits for the end of the summary (failing with the console output when {@code local} exits first) and returns the console. */
    String awaitSummary(Duration timeout) throws Exception {
        awaitLog(SUMMARY_END, timeout);
        return logText();
    }

    /** The value of the summary row {@code label} (the text after the label column). */
    Optional<String> summaryRow(String label) throws IOException {
        String prefix = String.format("  %-12s ", label);
        return logText().lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst();
    }

    Connection connect(String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", LocalDatabase.USER);
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", p);
    }

    Path passwordFile() {
        return data.resolve(LocalDatabase.PASSWORD_FILE);
    }

    String dbPassword() throws IOException {
        return Files.readString(passwordFile(), StandardCharsets.UTF_8).strip();
    }

    /** The PostgreSQL server process of this data folder ({@code postmaster.pid}), while it runs. */
    Optional<ProcessHandle> postmaster() throws IOException {
        Path pid = data.resolve(LocalDatabase.DIRECTORY).resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).strip())).filter(ProcessHandle::isAlive);
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of a Prometheus counter of hep-ingest over its series (0 when absent or not answering). */
    double counter(String name) throws InterruptedException {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Stops {@code local} (SIGTERM: it stops its services and PostgreSQL), and any PostgreSQL a kill left behind. */
    @Override
    public void close() throws InterruptedException {
        super.close();
        try {
            postmaster().ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | RuntimeException e) {
            // nothing left to stop
        }
    }
}
