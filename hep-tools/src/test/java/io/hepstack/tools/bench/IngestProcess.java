package io.hepstack.tools.bench;

import io.hepstack.proto.store.testing.TestDatabase;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hep-ingest jar run as a child process on free loopback ports against a test database; waits
 * until it is ready, stops it (SIGTERM, then kill) on {@link #close}.
 */
final class IngestProcess implements AutoCloseable {

    final int hepPort;
    final int httpPort;
    final Path log;
    private final Process process;

    IngestProcess(TestDatabase db) throws Exception {
        String jar = System.getProperty("hepstack.ingest.jar", "../hep-ingest/target/hep-ingest.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(jar + " missing: build with ./mvnw -pl hep-tools -am verify "
                    + "(hep-tools depends on hep-ingest for this test)");
        }
        hepPort = freePort();
        httpPort = freePort();
        log = Files.createTempFile("hep-ingest-", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar,
                "--homer.ingest.udp.host=127.0.0.1", "--homer.ingest.udp.port=" + hepPort,
                "--homer.ingest.tcp.host=127.0.0.1", "--homer.ingest.tcp.port=" + hepPort,
                "--server.address=127.0.0.1", "--server.port=" + httpPort,
                "--spring.r2dbc.url=" + db.r2dbcUrl(), "--spring.r2dbc.username=" + db.user(),
                "--spring.r2dbc.password=" + (db.password() == null ? "unused" : db.password())));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitReady(Duration.ofSeconds(90));
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now. */
    static int freePort() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, lo)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, lo)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    private void awaitReady(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("hep-ingest exited with " + process.exitValue() + ":\n" + logText());
            }
            if (status("/actuator/health/readiness") == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("hep-ingest not ready after " + timeout + ":\n" + logText());
    }

    int status(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + path).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            try {
                return c.getResponseCode();
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
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

    String logText() {
        try {
            String s = Files.readString(log);
            return s.length() > 20_000 ? s.substring(s.length() - 20_000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }
}
