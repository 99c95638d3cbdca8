package io.hepstack.tools.e2e;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program of the end-to-end stack (a service jar, nginx, Kamailio, SIPp) run as a child process with
 * its output kept in {@code target/e2e/NAME.log}; {@link #close} stops it and everything it forked
 * (SIGTERM, then SIGKILL after a bounded wait), whatever the outcome of the test.
 */
final class ChildProcess implements AutoCloseable {

    final String name;
    final Path log;
    private final Process process;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(String name, Path logDir, List<String> command) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).directory(logDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new ChildProcess(name, p, log);
    }

    /** {@code java -jar JAR ARGS} with a small heap, as the services are run in production. */
    static ChildProcess java(String name, Path logDir, Path jar, String heap, List<String> args) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: build with ./mvnw -pl hep-tools -am verify "
                    + "(hep-tools depends on hep-ingest, homer-api and homer-ui for this test)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        cmd.addAll(args);
        return start(name, logDir, cmd);
    }

    /** The absolute path of {@code binary}, or a failure naming the Debian package that provides it. */
    static String require(String binary, String debianPackage) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"));
        for (String dir : dirs) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, binary);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(binary + " not found: install the Debian package " + debianPackage
                + " (./hepstack test installs every test peer: TEST_PACKAGES)");
    }

    /** Waits until {@code url} answers 200, failing with the log when the process exits or time runs out. */
    void awaitHttp200(String url, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
            }
            if (status(url) == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + ": " + url + " not 200 after " + timeout + ":\n" + output());
    }

    /** Waits until the log contains {@code text}. */
    void awaitLog(String text, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log).contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(name + ": no \"" + text + "\" in the log after " + timeout + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    static int status(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
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

    /** Sends SIGTERM (what an orchestrator does) without waiting. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the exit; the exit status, or a failure with the output when it takes longer. */
    int await(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    String output() {
        try {
            String s = Files.readString(log);
            return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroy();
                c.onExit().completeOnTimeout(c, 5, TimeUnit.SECONDS).join();
                if (c.isAlive()) {
                    c.destroyForcibly();
                }
            }
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now, not in {@code taken}. */
    static int freePort(List<Integer> taken) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, lo)) {
                int port = tcp.getLocalPort();
                if (taken.contains(port)) {
                    continue;
                }
                try (DatagramSocket udp = new DatagramSocket(port, lo)) {
                    taken.add(port);
                    return port;
                } catch (IOException inUse) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }
}
