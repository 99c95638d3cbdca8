package io.hepstack.proto.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildProcessTest {

    @TempDir
    Path dir;

    private ChildProcess sh(String script) throws IOException {
        return new ChildProcess("sh", new ProcessBuilder("sh", "-c", script).directory(dir.toFile()),
                dir.resolve("sh.log"), Duration.ofSeconds(1));
    }

    /** The pid a script printed as its first log line ({@code echo $!}). */
    private static long printedPid(ChildProcess p) throws Exception {
        while (p.logText().isEmpty()) {
            p.assertAlive();
            Thread.sleep(20);
        }
        return Long.parseLong(p.logText().lines().findFirst().orElseThrow().trim());
    }

    @Test
    void awaitGivesTheExitStatusAndKeepsStdoutAndStderrInTheLog() throws Exception {
        try (ChildProcess p = sh("echo out; echo err >&2; exit 3")) {
            assertThat(p.await(Duration.ofSeconds(30))).isEqualTo(3);
            assertThat(p.isAlive()).isFalse();
            assertThat(p.logText()).isEqualTo("out\nerr\n");
            assertThat(p.output()).isEqualTo("out\nerr\n");
        }
    }

    @Test
    void awaitFailsWithTheOutputWhenTheProcessOutlivesTheTimeout() throws Exception {
        try (ChildProcess p = sh("echo still here; exec sleep 300")) {
            while (p.logText().isEmpty()) {
                Thread.sleep(20);
            }
            assertThatThrownBy(() -> p.await(Duration.ofMillis(100)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("sh still running after PT0.1S:\nstill here");
        }
    }

    @Test
    void assertAliveFailsWithTheExitStatusAndOutputOnceTheProcessHasExited() throws Exception {
        try (ChildProcess p = sh("echo bye; exit 7")) {
            p.await(Duration.ofSeconds(30));
            assertThatThrownBy(p::assertAlive).isInstanceOf(AssertionError.class)
                    .hasMessage("sh exited with 7:\nbye\n");
        }
    }

    @Test
    void outputIsTheTailOfALongLog() throws Exception {
        try (ChildProcess p = sh("head -c 30000 /dev/zero | tr '\\0' a; echo END")) {
            p.await(Duration.ofSeconds(30));
            assertThat(p.logText()).hasSize(30_004);
            assertThat(p.output()).hasSize(ChildProcess.OUTPUT_TAIL_CHARS).endsWith("aaaEND\n");
        }
    }

    @Test
    void closeStopsAForkedChildThatWouldOutliveItsParent() throws Exception {
        // sh dies on SIGTERM; its background sleep would be orphaned and keep running.
        ProcessHandle orphan;
        try (ChildProcess p = sh("sleep 300 & echo $!; wait")) {
            orphan = ProcessHandle.of(printedPid(p)).orElseThrow();
            assertThat(orphan.isAlive()).isTrue();
        }
        assertThat(orphan.isAlive()).isFalse();
    }

    @Test
    void closeKillsAProcessThatIgnoresSigtermAfterTheGracePeriodAndItsChildren() throws Exception {
        ChildProcess p = sh("sleep 300 & echo $!; trap '' TERM; while :; do sleep 1; done");
        ProcessHandle child = ProcessHandle.of(printedPid(p)).orElseThrow();
        p.close();
        assertThat(p.isAlive()).isFalse();
        assertThat(child.isAlive()).isFalse();
        assertThat(Files.readString(p.log())).isNotEmpty(); // the log outlives the process
    }

    @Test
    void killEndsTheProcessAndItsChildrenEvenWhenTheyIgnoreSigterm() throws Exception {
        try (ChildProcess p = sh("sh -c 'trap \"\" TERM; echo $$; exec sleep 300' & wait")) {
            ProcessHandle child = ProcessHandle.of(printedPid(p)).orElseThrow();
            p.kill();
            assertThat(p.isAlive()).isFalse();
            assertThat(child.isAlive()).isFalse();
        }
    }

    @Test
    void freePortsAreDistinctAndRecordedAsTaken() throws Exception {
        List<Integer> taken = new ArrayList<>();
        int a = ChildProcess.freePort(taken);
        int b = ChildProcess.freePort(taken);
        assertThat(a).isNotEqualTo(b).isPositive();
        assertThat(taken).containsExactly(a, b);
    }

    @Test
    void requireFindsAnInstalledProgramAndNamesThePackageOfAMissingOne() {
        assertThat(Path.of(ChildProcess.require("sh", "dash"))).isAbsolute().isExecutable();
        assertThatThrownBy(() -> ChildProcess.require("no-such-program-hepstack", "some-package"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no-such-program-hepstack not found: install the Debian package some-package");
    }
}
