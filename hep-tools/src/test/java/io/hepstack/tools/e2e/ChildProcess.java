package io.hepstack.tools.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A program of the end-to-end stack (a service jar, nginx, Kamailio, SIPp) run as a common-proto
 * {@link io.hepstack.proto.testing.ChildProcess} with its output kept in {@code target/e2e/NAME.log};
 * {@link #close} stops it and everything it forked (SIGTERM, then SIGKILL after 40 s), whatever the
 * outcome of the test. Adds the stack's readiness waits.
 */
final class ChildProcess extends io.hepstack.proto.testing.ChildProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(40);

    private ChildProcess(String name, Path logDir, List<String> command) throws IOException {
        super(name, new ProcessBuilder(command).directory(logDir.toFile()), logDir.resolve(name + ".log"), STOP_GRACE);
    }

    static ChildProcess start(String name, Path logDir, List<String> command) throws IOException {
        Files.createDirectories(logDir);
        return new ChildProcess(name, logDir, command);
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

    /** Waits until {@code url} answers 200, failing with the log when the process exits or time runs out. */
    void awaitHttp200(String url, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            assertAlive();
            if (httpStatus(url) == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name() + ": " + url + " not 200 after " + timeout + ":\n" + output());
    }

    /** A service's executable jar: the path in system property {@code property} (set by the build), else the
     *  module's {@code target/MODULE.jar} beside this one. */
    static Path jar(String property, String module) {
        return Path.of(System.getProperty(property, "../" + module + "/target/" + module + ".jar")).toAbsolutePath();
    }
}
