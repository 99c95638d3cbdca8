package io.hepstack.ingest;

import io.hepstack.proto.store.IngestSettings;
import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The packaged collector ({@code target/hep-ingest.jar}, built in {@code package} before this runs)
 * as a real process: SIGTERM right after a TCP load stores every message, then the process exits.
 */
class SigtermIT {

    /** The JVM's status after SIGTERM when shutdown hooks complete: 128 + 15. Spring Boot does not change it. */
    static final int EXIT_ON_SIGTERM = 143;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void storesEveryMessageSentJustBeforeSigtermAndExits() throws Exception {
        Path jar = Path.of("target", "hep-ingest.jar");
        assertThat(jar).as("the packaged collector (mvn package runs before failsafe)").exists();
        int tcp = freeTcpPort();
        Path log = Path.of("target", "sigterm-it.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.address=127.0.0.1", "--server.port=" + freeTcpPort(),
                "--homer.ingest.udp.host=127.0.0.1", "--homer.ingest.udp.port=" + freeUdpPort(),
                "--homer.ingest.tcp.host=127.0.0.1", "--homer.ingest.tcp.port=" + tcp,
                "--spring.r2dbc.url=" + db.r2dbcUrl(), "--spring.r2dbc.username=" + db.user()));
        if (db.password() != null) {
            command.add("--spring.r2dbc.password=" + db.password());
        }
        Process collector = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            awaitListening(collector, new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp), log);
            // the schema work runs beside the listeners: let it publish the settings before the signal
            awaitLog(log, "ingest settings published", collector);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcp)) {
                OutputStream out = s.getOutputStream();
                byte[] stream = KamailioCapture.stream();
                for (int pos = 0; pos < stream.length; pos += 1400) {
                    out.write(stream, pos, Math.min(1400, stream.length - pos));
                }
                out.flush();
                collector.destroy(); // SIGTERM, while the frames may still be in flight
            }
            assertThat(collector.waitFor(90, TimeUnit.SECONDS)).as("exited within 90 s; log: %s", tail(log)).isTrue();
            assertThat(collector.exitValue()).as("exit status; log: %s", tail(log)).isEqualTo(EXIT_ON_SIGTERM);
        } finally {
            collector.destroyForcibly();
        }
        assertThat(Files.readString(log)).contains("every accepted message is stored");
        try (Connection c = db.openJdbc(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT count(*), count(DISTINCT call_id) FROM messages")) {
            r.next();
            assertThat(r.getLong(1)).as("stored; log: %s", tail(log)).isEqualTo(KamailioCapture.MESSAGES);
            assertThat(r.getLong(2)).isEqualTo(KamailioCapture.CALL_IDS);
        }
        // once its schema was there, the collector published the settings other writers store rows with
        try (Connection c = db.openJdbc(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT settings::text FROM ingest_settings")) {
            assertThat(r.next()).as("ingest_settings published; log: %s", tail(log)).isTrue();
            assertThat(IngestSettings.fromJson(r.getString(1)).toJson()).isEqualTo(IngestSettings.defaults().toJson());
        }
    }

    private static void awaitLog(Path log, String line, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains(line)) {
            assertThat(p.isAlive()).as("collector alive; log: %s", tail(log)).isTrue();
            assertThat(System.nanoTime() < deadline).as("\"%s\" logged within 60 s; log: %s", line, tail(log)).isTrue();
            Thread.sleep(50);
        }
    }

    private static void awaitListening(Process p, InetSocketAddress tcp, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("the collector exited with " + p.exitValue() + " before listening: " + tail(log));
            }
            if (Files.exists(log) && Files.readString(log).contains("HEP/TCP listening")) {
                try (Socket probe = new Socket()) {
                    probe.connect(tcp, 1000);
                    return; // the probe sends nothing; the collector sees an empty connection close
                } catch (IOException notYet) {
                    // retry
                }
            }
            Thread.sleep(200);
        }
        fail("the collector did not listen on " + tcp + " within 120 s: " + tail(log));
    }

    private static String tail(Path log) {
        try {
            String all = Files.readString(log);
            return all.substring(Math.max(0, all.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
