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

    /**
     * Kamailio ({@code kamailio}) in the foreground with {@code config} (written to {@code kamailio.cfg} in
     * {@code workDir}, its runtime files there too; 64 MB shared, 8 MB private memory), once its UDP worker
     * reads: the peer tests' one way to start it.
     */
    static Peer kamailio(Path workDir, String config) throws IOException, InterruptedException {
        String kamailio = require("kamailio", "kamailio");
        Path cfg = workDir.resolve("kamailio.cfg");
        java.nio.file.Files.writeString(cfg, config);
        Peer k = start("kamailio", workDir, List.of(kamailio, "-DD", "-E", "-f", cfg.toString(),
                "-w", workDir.toString(), "-Y", workDir.toString(), "-m", "64", "-M", "8"));
        try {
            k.awaitLog("Listening on", Duration.ofSeconds(15));
            k.awaitLog("SO_RCVBUF is finally", Duration.ofSeconds(15));
        } catch (AssertionError | IOException | InterruptedException e) {
            k.close();
            throw e;
        }
        Thread.sleep(300); // the worker forked and reading
        return k;
    }

    /** Waits for the exit; the exit status, or a failure with the output when it takes longer. */
    int await(long seconds) throws InterruptedException {
        return await(Duration.ofSeconds(seconds));
    }
}
