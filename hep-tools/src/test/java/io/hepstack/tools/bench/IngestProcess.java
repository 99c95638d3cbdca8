package io.hepstack.tools.bench;

import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.proto.testing.ChildProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The hep-ingest jar run as a {@link ChildProcess} on free loopback ports against a test database; waits
 * until it is ready, stops it (SIGTERM, then SIGKILL after 40 s) and deletes its log on {@link #close}.
 */
final class IngestProcess extends ChildProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(40);

    final int hepPort;
    final int httpPort;

    IngestProcess(TestDatabase db) throws Exception {
        this(db, freePort(), freePort());
    }

    private IngestProcess(TestDatabase db, int hepPort, int httpPort) throws Exception {
        super("hep-ingest", command(db, hepPort, httpPort), Files.createTempFile("hep-ingest-", ".log"), STOP_GRACE);
        this.hepPort = hepPort;
        this.httpPort = httpPort;
        try {
            awaitReady(Duration.ofSeconds(90));
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    private static ProcessBuilder command(TestDatabase db, int hepPort, int httpPort) {
        String jar = System.getProperty("hepstack.ingest.jar", "../hep-ingest/target/hep-ingest.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(jar + " missing: build with ./mvnw -pl hep-tools -am verify "
                    + "(hep-tools depends on hep-ingest for this test)");
        }
        return new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar,
                "--homer.ingest.udp.host=127.0.0.1", "--homer.ingest.udp.port=" + hepPort,
                "--homer.ingest.tcp.host=127.0.0.1", "--homer.ingest.tcp.port=" + hepPort,
                "--server.address=127.0.0.1", "--server.port=" + httpPort,
                "--spring.r2dbc.url=" + db.r2dbcUrl(), "--spring.r2dbc.username=" + db.user(),
                "--spring.r2dbc.password=" + (db.password() == null ? "unused" : db.password()));
    }

    private void awaitReady(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            assertAlive();
            if (status("/actuator/health/readiness") == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("hep-ingest not ready after " + timeout + ":\n" + output());
    }

    int status(String path) {
        return httpStatus("http://127.0.0.1:" + httpPort + path);
    }

    String get(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + path).toURL().openConnection();
        c.setReadTimeout(10_000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** Sum of a Prometheus counter over its series (0 when absent). */
    double counter(String name) throws IOException {
        double sum = 0;
        for (String line : get("/actuator/prometheus").split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        super.close();
        try {
            Files.deleteIfExists(log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
