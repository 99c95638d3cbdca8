package io.hepstack.tools.bench;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileTopCommandTest {

    @TempDir
    Path dir;

    /** Keeps a core busy in a method of its own, so that the samples name it. */
    static long spin(long untilNanos) {
        long x = 1;
        while (System.nanoTime() < untilNanos) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return x;
    }

    @Test
    void aRecordingsSamplesAreTalliedByThreadAreaAndMethod() throws Exception {
        Path file = dir.resolve("spin.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.start();
            Thread t = new Thread(() -> spin(System.nanoTime() + 1_500_000_000L), "spinner-7");
            t.start();
            t.join();
            r.stop();
            r.dump(file);
        }
        ProfileTopCommand.Profile p = ProfileTopCommand.read(file);
        assertThat(p.samples()).isGreaterThan(20);
        assertThat(p.threads().counts.get("spinner-#")).as("the spinning thread's samples").isGreaterThan(20);
        assertThat(p.inclusive().counts.get("io.hepstack.tools.bench.ProfileTopCommandTest.spin")).isGreaterThan(20);
        assertThat(p.areas().counts.get("hepstack other")).isGreaterThan(20);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProfileTopCommand c = new ProfileTopCommand(new PrintStream(out, true, StandardCharsets.UTF_8));
        c.file = file;
        c.top = 5;
        assertThat(c.call()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("execution samples", "spinner-#",
                "io.hepstack.tools.bench.ProfileTopCommandTest.spin");
    }

    @Test
    void areasAndThreadGroupsAreNamedFromTheFrameAndTheThread() {
        assertThat(ProfileTopCommand.areaOf("io.hepstack.proto.hep.HepDecoder.decode")).isEqualTo("hepstack common-proto");
        assertThat(ProfileTopCommand.areaOf("io.netty.channel.epoll.Native.epollWait")).isEqualTo("netty");
        assertThat(ProfileTopCommand.areaOf("reactor.netty.udp.UdpOperations.x")).isEqualTo("reactor-netty");
        assertThat(ProfileTopCommand.areaOf("java.util.HashMap.get")).isEqualTo("jdk");
        assertThat(ProfileTopCommand.areaOf("org.example.X.y")).isEqualTo("other");
        assertThat(ProfileTopCommand.threadGroup("reactor-udp-epoll-12")).isEqualTo("reactor-udp-epoll-#");
    }
}
