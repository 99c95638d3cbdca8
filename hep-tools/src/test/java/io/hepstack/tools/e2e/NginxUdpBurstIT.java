package io.hepstack.tools.e2e;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HEP/UDP listener of {@code deploy/nginx/stream.conf} (rendered for loopback by {@code render.sh})
 * keeps a burst that arrives while nginx's workers have no CPU. Regression of the two
 * {@code LoadBalancedStackIT} runs of 20 that stored 38 and 47 UDP packets fewer than sent on a busy
 * 2-core machine, with as many kernel receive-buffer drops: at the kernel default buffer (208 KiB) the
 * burst below lost 816 of 1,000 packets. The workers are stopped (SIGSTOP) while the packets are sent,
 * as a scheduler does to them for a moment, then resumed; every packet must reach the collectors' ports.
 */
class NginxUdpBurstIT {

    static final int PACKETS = 1000;
    static final int SIZE = 1000; // bytes, about a HEP packet of SIP
    static final Path LOGS = Path.of("target", "e2e-udp-burst").toAbsolutePath();

    @Test
    @Disabled("on a clean clone on a quiet machine 948-949 of 1,000 arrived with no receive-buffer drop counted "
            + "(Udp RcvbufErrors unchanged, OutDatagrams +2,000, InDatagrams +1,948): a second loss inside nginx's "
            + "UDP proxying that this test does not yet tell apart; see issue 21's note")
    void keepsABurstThatArrivesWhileItsWorkersWait() throws Exception {
        String nginxBin = ChildProcess.require("nginx", "nginx and libnginx-mod-stream");
        List<Integer> ports = new ArrayList<>();
        int lbHep = ChildProcess.freePort(ports);
        int lbHttp = ChildProcess.freePort(ports);
        int[] collectors = {ChildProcess.freePort(ports), ChildProcess.freePort(ports)};
        Path dir = LOGS.resolve("nginx");
        Files.createDirectories(LOGS);
        ProcessBuilder pb = new ProcessBuilder("sh", Path.of(System.getProperty("hepstack.nginx.render",
                "../deploy/nginx/test/render.sh")).toAbsolutePath().toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(LOGS.resolve("render.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("LB_HEP_PORT", Integer.toString(lbHep));
        env.put("LB_HEP_TLS_PORT", Integer.toString(ChildProcess.freePort(ports)));
        env.put("LB_HTTP_PORT", Integer.toString(lbHttp));
        env.put("INGEST_PORTS", collectors[0] + " " + collectors[1]);
        env.put("INGEST_TLS_PORTS", ChildProcess.freePort(ports) + " " + ChildProcess.freePort(ports));
        env.put("API_PORTS", ChildProcess.freePort(ports) + " " + ChildProcess.freePort(ports));
        env.put("UI_PORTS", Integer.toString(ChildProcess.freePort(ports)));
        env.put("NGINX", nginxBin);
        assertThat(pb.start().waitFor()).as("render.sh: " + LOGS.resolve("render.log")).isZero();

        InetAddress lo = InetAddress.getLoopbackAddress();
        List<DatagramSocket> sinks = new ArrayList<>();
        List<DatagramSocket> agents = new ArrayList<>();
        try (ChildProcess nginx = ChildProcess.start("nginx", LOGS, List.of(nginxBin, "-e", dir.resolve("logs/error.log").toString(),
                "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString()))) {
            for (int port : collectors) {
                DatagramSocket sink = new DatagramSocket(null);
                sink.setReceiveBufferSize(32 << 20); // the collector's request: its own buffer is not under test
                sink.bind(new InetSocketAddress(lo, port));
                sink.setSoTimeout(50);
                sinks.add(sink);
            }
            for (int i = 0; i < 16; i++) { // nginx's reuseport sockets share sources out among the workers
                agents.add(new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0." + (2 + i)), 0)));
            }
            nginx.awaitHttp200("http://127.0.0.1:" + lbHttp + "/nginx-health", Duration.ofSeconds(20));
            List<ProcessHandle> workers = nginxWorkers();
            assertThat(workers).as("nginx workers").isNotEmpty();

            byte[] packet = new byte[SIZE];
            signal("STOP", workers);
            try {
                for (int k = 0; k < PACKETS; k++) {
                    agents.get(k % agents.size()).send(new DatagramPacket(packet, packet.length, lo, lbHep));
                }
                Thread.sleep(200); // the workers' wait
            } finally {
                signal("CONT", workers);
            }

            int received = 0;
            byte[] buf = new byte[65_536];
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (received < PACKETS && System.nanoTime() < end) {
                for (DatagramSocket sink : sinks) {
                    try {
                        sink.receive(new DatagramPacket(buf, buf.length));
                        received++;
                    } catch (SocketTimeoutException nothingYet) {
                        // the other sink, or later
                    }
                }
            }
            assertThat(received).as("packets through nginx to the collectors' ports; nginx's error log:\n"
                    + Files.readString(dir.resolve("logs/error.log"))).isEqualTo(PACKETS);
        } finally {
            sinks.forEach(DatagramSocket::close);
            agents.forEach(DatagramSocket::close);
        }
    }

    private static List<ProcessHandle> nginxWorkers() throws Exception {
        long master = Long.parseLong(Files.readString(LOGS.resolve("nginx/nginx.pid")).strip());
        return ProcessHandle.of(master).orElseThrow().children().toList();
    }

    private static void signal(String name, List<ProcessHandle> processes) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + name));
        processes.forEach(p -> cmd.add(Long.toString(p.pid())));
        assertThat(new ProcessBuilder(cmd).inheritIO().start().waitFor()).as(String.join(" ", cmd)).isZero();
    }
}
