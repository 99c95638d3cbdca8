package io.hepstack.tools.local;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hep-tools local} when it cannot start: it says which service failed and where its log is,
 * stops what it had started, and exits 1 without ever printing "ready".
 */
class LocalStartFailureIT {

    static final Duration END = Duration.ofSeconds(180);

    @Test
    void aServiceThatExitsBeforeItIsReadyIsNamedWithItsLogAndEverythingStops() throws Exception {
        Path work = LocalRun.freshFolder("service-exits");
        Path data = work.resolve("data");
        Path home = work.resolve("checkout");
        Files.createDirectories(home.resolve("hep-ingest/target"));
        Files.writeString(home.resolve("hep-ingest/target/hep-ingest.jar"), "not a jar");
        try (LocalRun run = LocalRun.start("service-exits", data, home)) {
            assertThat(run.await(END)).isEqualTo(1);
            Path log = data.resolve("logs/hep-ingest.log");
            assertThat(run.logText())
                    .contains("hepstack: hep-ingest exited with status 1 before it was ready; its log: " + log)
                    .contains("--- last lines of " + log + " ---\n")
                    .contains("Error: Invalid or corrupt jarfile")
                    .contains("hepstack: PostgreSQL stopped")
                    .doesNotContain(LocalCommand.READY);
            assertThat(run.postmaster()).isEmpty();
        }
    }

    @Test
    void aPortInUseIsRefusedBeforeAnythingStarts() throws Exception {
        Path work = LocalRun.freshFolder("port-in-use");
        Path data = work.resolve("data");
        Path home = work.resolve("checkout");
        Files.createDirectories(home.resolve("homer-ui/target"));
        Files.writeString(home.resolve("homer-ui/target/homer-ui.jar"), "never started");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            try (LocalRun run = LocalRun.start("port-in-use", data, home, "--ui-port", Integer.toString(taken.getLocalPort()))) {
                assertThat(run.await(END)).isEqualTo(1);
                assertThat(run.logText())
                        .contains("hepstack: TCP port " + taken.getLocalPort() + " for homer-ui (--ui-port) is in use")
                        .doesNotContain("PostgreSQL: starting");
                assertThat(data.resolve("postgres")).doesNotExist();
            }
        }
    }
}
