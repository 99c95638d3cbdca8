package io.hepstack.ingest.peers;

import io.hepstack.proto.testing.ChildProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real peer program (Kamailio, SIPp, sngrep) run as a {@link ChildProcess} in a work directory, its
 * output in {@code NAME.log} there; {@link #close} stops it and every process it forked (SIGTERM, then
 * SIGKILL after 10 s), also after a failure.
 */
final class Peer extends ChildProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private Peer(String name, Path workDir, List<String> command) throws IOException {
        super(name, new ProcessBuilder(command).directory(workDir.toFile()), workDir.resolve(name + ".log"), STOP_GRACE);
    }

    static Peer start(String name, Path workDir, List<String> command) throws IOException {
        return new Peer(name, workDir, command);
    }

    /** Waits for the exit; the exit status, or a failure with the output when it takes longer. */
    int await(long seconds) throws InterruptedException {
        return await(Duration.ofSeconds(seconds));
    }
}
