package io.hepstack.proto.testing;

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
 * A program a test runs as a child process (Kamailio, SIPp, sngrep, nginx, a service jar), its standard
 * output and error kept in one log file and its standard input empty. Subclasses add what is their own
 * (readiness waits, HTTP checks); {@link #freePort} picks the ports a peer listens on.
 *
 * <p>Guarantees: the output stays in the log after the process ends, so every failure ({@link #await},
 * {@link #assertAlive}) carries its tail; after {@link #close} neither the process nor any process it had
 * forked is left running: SIGTERM, up to the stop grace period for a clean exit, then SIGKILL, then the
 * same for each descendant still alive (a daemon's workers outlive a killed parent otherwise). A child whose
 * log holds a Netty leak report (a service jar) fails {@link #close}, as a leak in the test JVM fails the test.
 */
public class ChildProcess implements AutoCloseable {

    /** How much of the end of the log {@link #output} gives. */
    public static final int OUTPUT_TAIL_CHARS = 20_000;

    private static final long KILL_WAIT_SECONDS = 5;

    /** What Netty's ResourceLeakDetector writes to the log of a JVM child when a buffer leaked. */
    private static final String NETTY_LEAK_REPORT = "LEAK: ByteBuf.release() was not called";

    private final String name;
    private final Path log;
    private final Duration stopGrace;
    private final Process process;

    /**
     * Starts {@code command} (its command line and working directory) with standard output and error
     * redirected to {@code log} and standard input from {@code /dev/null}.
     *
     * @param name      what failure messages call it
     * @param stopGrace how long {@link #close} waits after SIGTERM before SIGKILL
     */
    protected ChildProcess(String name, ProcessBuilder command, Path log, Duration stopGrace) throws IOException {
        this.name = name;
        this.log = log;
        this.stopGrace = stopGrace;
        this.process = command.redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** The absolute path of {@code binary} (on the PATH or in the usual bin directories), or a failure naming
     *  the Debian package that provides it. */
    public static String require(String binary, String debianPackage) {
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

    /** A port free for both UDP and TCP on 127.0.0.1 right now, for a peer that listens on both. */
    /** The HTTP status of a GET of {@code url}, or -1 when nothing answers. */
    public static int httpStatus(String url) {
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

    public static int freePort() throws IOException {
        return freePort(new ArrayList<>());
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now, not in {@code taken}; added to {@code taken}. */
    public static int freePort(List<Integer> taken) throws IOException {
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

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** Waits for the exit; the exit status, or a failure with the output when it takes longer. */
    public int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Fails with the exit status and the output when the process has exited. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
        }
    }

    /** Waits until the log contains {@code text}, failing with the log's tail when the process exits or time runs out. */
    public void awaitLog(String text, Duration timeout) throws InterruptedException, IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!logText().contains(text)) {
            assertAlive();
            if (System.nanoTime() > end) {
                throw new AssertionError(name + ": no \"" + text + "\" in the log after " + timeout + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** Sends SIGTERM (what an orchestrator does) without waiting. */
    public void terminate() {
        process.destroy();
    }

    /**
     * SIGKILL to the process and every process it forked, all at once, as a crash or an OOM killer would:
     * nobody gets to clean up. Returns when they have all exited; {@link #close} afterwards is a no-op.
     */
    public void kill() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(0, process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(p -> p.onExit().join());
    }

    /** The whole log. */
    public String logText() throws IOException {
        return Files.readString(log);
    }

    /** The last {@value #OUTPUT_TAIL_CHARS} characters of the log, for failure messages. */
    public String output() {
        try {
            String s = Files.readString(log);
            return s.length() > OUTPUT_TAIL_CHARS ? s.substring(s.length() - OUTPUT_TAIL_CHARS) : s;
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Stops the process and every process it forked; see the class comment. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroy();
                d.onExit().completeOnTimeout(d, KILL_WAIT_SECONDS, TimeUnit.SECONDS).join();
                if (d.isAlive()) {
                    d.destroyForcibly();
                }
            }
        }
        failOnNettyLeak();
    }

    /** A JVM child (a service jar) whose Netty reported a leaked buffer fails the test that ran it. */
    private void failOnNettyLeak() {
        String text;
        try {
            text = Files.readString(log);
        } catch (IOException e) {
            return; // no log, no report
        }
        int at = text.indexOf(NETTY_LEAK_REPORT);
        if (at >= 0) {
            int start = text.lastIndexOf('\n', at) + 1;
            throw new AssertionError(name + " reported a Netty leak (" + log + "):\n"
                    + text.substring(start, Math.min(text.length(), start + 6_000)));
        }
    }
}
