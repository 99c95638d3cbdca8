package io.hepstack.tools.replay;

import com.sun.net.httpserver.HttpServer;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hep-tools replay} of the Kamailio siptrace fixture to loopback sockets of the test. */
class ReplayIT {

    private static final String FIXTURES = "/fixtures/kamailio-siptrace/";

    private static Path fixture(String name) throws Exception {
        return Path.of(ReplayIT.class.getResource(FIXTURES + name).toURI());
    }

    /** The UDP datagrams of a fixture, HEP (to port 9060) or the plain SIP ones. */
    private static List<PcapPacket> datagrams(String name, boolean hep) throws Exception {
        List<PcapPacket> out = new ArrayList<>();
        try (InputStream in = ReplayIT.class.getResourceAsStream(FIXTURES + name)) {
            PcapReader.read(in, p -> {
                if ((p.dstPort() == 9060) == hep) {
                    out.add(p);
                }
            });
        }
        return out;
    }

    private static String replay(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new CommandLine(new ReplayCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err))
                .execute(args);
        assertThat(exit).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<byte[]> receive(DatagramSocket s, int n) throws Exception {
        List<byte[]> got = new ArrayList<>();
        byte[] buf = new byte[65535];
        s.setSoTimeout(10_000);
        try {
            while (got.size() < n) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                s.receive(d);
                got.add(Arrays.copyOf(d.getData(), d.getLength()));
            }
        } catch (SocketTimeoutException e) {
            // fewer than expected: the assertion says how many
        }
        return got;
    }

    private static DatagramSocket socket() throws Exception {
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        s.setReceiveBufferSize(4 << 20);
        return s;
    }

    /** The shift the replay gave the first packet: received time minus captured time. */
    private static long shiftOf(byte[] received, byte[] captured) throws Exception {
        return new HepDecoder().decode(received).timestampMicros() - new HepDecoder().decode(captured).timestampMicros();
    }

    /** {@code captured} with its HEP time moved by {@code shift}: what an "as now" replay sends. */
    private static byte[] shifted(byte[] captured, long shift) throws Exception {
        return HepEncoder.retimed(captured, new HepDecoder().decode(captured).timestampMicros() + shift);
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    @Test
    void sendsEveryHepDatagramOfTheCaptureByteForByteButItsTimeShiftedToNowByOneOffset() throws Exception {
        List<PcapPacket> expected = datagrams("hep.pcap", true);
        assertThat(expected).hasSize(580);
        try (DatagramSocket s = socket()) {
            CompletableFuture<List<byte[]>> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return receive(s, 580);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long before = nowMicros();
            String summary = replay(fixture("hep.pcap").toString(), "--to", "udp:127.0.0.1:" + s.getLocalPort(),
                    "--speed", "0");
            assertThat(summary).contains("\"hep\":580,\"wrapped\":0,\"skipped\":0");
            List<byte[]> received = got.get(30, TimeUnit.SECONDS);
            assertThat(received).hasSize(580);
            long shift = shiftOf(received.get(0), expected.get(0).payload());
            assertThat(expected.get(0).timestampMicros() + shift).as("the first packet's capture time becomes now")
                    .isBetween(before - 1_000_000, nowMicros() + 1_000_000);
            for (int i = 0; i < 580; i++) {
                assertThat(received.get(i)).as("datagram %d", i).isEqualTo(shifted(expected.get(i).payload(), shift));
            }
        }
    }

    @Test
    void keepsTheCaptureTimingDividedByTheSpeed() throws Exception {
        try (DatagramSocket s = socket()) {
            long start = System.nanoTime();
            replay(fixture("hep.pcap").toString(), "--to", "udp:127.0.0.1:" + s.getLocalPort(), "--speed", "4");
            double seconds = (System.nanoTime() - start) / 1e9;
            // the capture spans 3.925 s
            assertThat(seconds).isBetween(0.95, 3.0);
            assertThat(receive(s, 580)).hasSize(580);
        }
    }

    @Test
    void wrapsThePlainSipOfTheCaptureAsHepv3WithItsAddressesPortsAndTime() throws Exception {
        List<PcapPacket> sip = datagrams("sip.pcap", false);
        assertThat(sip).hasSize(580);
        try (DatagramSocket s = socket()) {
            CompletableFuture<List<byte[]>> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return receive(s, 580);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String summary = replay(fixture("sip.pcap").toString(), "--to", "udp:127.0.0.1:" + s.getLocalPort(),
                    "--speed", "0", "--select", "sip", "--capture-id", "77");
            assertThat(summary).contains("\"hep\":0,\"wrapped\":580,\"skipped\":580");
            List<byte[]> received = got.get(30, TimeUnit.SECONDS);
            assertThat(received).hasSize(580);
            HepDecoder decoder = new HepDecoder();
            long shift = decoder.decode(received.get(0)).timestampMicros() - sip.get(0).timestampMicros();
            for (int i = 0; i < 580; i++) {
                HepPacket h = decoder.decode(received.get(i));
                PcapPacket p = sip.get(i);
                assertThat(h.version()).isEqualTo(3);
                assertThat(h.ipFamily()).isEqualTo(2);
                assertThat(h.ipProto()).isEqualTo(17);
                assertThat(h.srcIp()).isEqualTo(p.srcIp());
                assertThat(h.srcPort()).isEqualTo(p.srcPort());
                assertThat(h.dstIp()).isEqualTo(p.dstIp());
                assertThat(h.dstPort()).isEqualTo(p.dstPort());
                assertThat(h.timestampMicros()).as("one offset for every message").isEqualTo(p.timestampMicros() + shift);
                assertThat(h.protoType()).isEqualTo(1);
                assertThat(h.captureId()).isEqualTo(77);
                assertThat(h.payload()).isEqualTo(p.payload());
            }
        }
    }

    @Test
    void sendsTheHepPacketsBackToBackOnOneTcpConnection() throws Exception {
        List<PcapPacket> captured = datagrams("hep.pcap", true);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
                try (Socket c = server.accept()) {
                    return c.getInputStream().readAllBytes();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            replay(fixture("hep.pcap").toString(), "--to", "tcp:127.0.0.1:" + server.getLocalPort(), "--speed", "0");
            byte[] stream = got.get(30, TimeUnit.SECONDS);
            byte[] first = captured.get(0).payload();
            long shift = shiftOf(Arrays.copyOf(stream, first.length), first);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (PcapPacket p : captured) {
                expected.write(shifted(p.payload(), shift));
            }
            assertThat(stream).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void importsTheCaptureThroughTheApiWithOriginalTimes() throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        CompletableFuture<String[]> request = new CompletableFuture<>();
        api.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            request.complete(new String[] {exchange.getRequestMethod() + " " + exchange.getRequestURI(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), new String(body, StandardCharsets.ISO_8859_1)});
            byte[] answer = "{\"messages\":580,\"stored\":580}".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        api.start();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ReplayCommand command = new ReplayCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            new CommandLine(command).parseArgs(fixture("hep.pcap").toString(), "--original-times",
                    "--api", "http://127.0.0.1:" + api.getAddress().getPort() + "/");

            assertThat(command.importAtOriginalTimes("hsk_test")).isZero();

            String[] r = request.get(30, TimeUnit.SECONDS);
            assertThat(r[0]).isEqualTo("POST /api/v1/import/pcap");
            assertThat(r[1]).isEqualTo("Bearer hsk_test");
            assertThat(r[2]).startsWith("multipart/form-data; boundary=");
            String file = new String(Files.readAllBytes(fixture("hep.pcap")), StandardCharsets.ISO_8859_1);
            assertThat(r[3]).contains("name=\"file\"; filename=\"hep.pcap\"").contains(file);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("{\"messages\":580,\"stored\":580}");
            assertThat(command.importAtOriginalTimes(null)).as("no token").isEqualTo(2);
        } finally {
            api.stop(0);
        }
    }
}
