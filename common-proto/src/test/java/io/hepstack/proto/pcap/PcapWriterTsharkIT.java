package io.hepstack.proto.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that Wireshark's decoder, run as {@code tshark}, reads what {@link PcapWriter} writes: every SIP
 * message, over UDP and TCP, IPv4 and IPv6, with its Call-ID and exact timestamp. Needs tshark on the
 * PATH: {@code apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tshark}.
 */
class PcapWriterTsharkIT {

    private static final String INSTALL = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tshark";

    private static byte[] sip(String startLine, String callId, String via, String body) {
        String msg = startLine + "\r\n"
                + "Via: SIP/2.0/" + via + " 192.0.2.10:5060;branch=z9hG4bK-" + callId + "\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + (startLine.startsWith("SIP/") ? "INVITE" : startLine.split(" ")[0]) + "\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "\r\n" + body;
        return msg.getBytes(StandardCharsets.UTF_8);
    }

    private static final InetAddress A4 = address("192.0.2.10");
    private static final InetAddress B4 = address("192.0.2.20");
    private static final InetAddress A6 = address("2001:db8::10");
    private static final InetAddress B6 = address("2001:db8::20");

    /** SIP over UDP and TCP, IPv4 and IPv6, one TCP message large enough to span two segments. */
    private static final List<PcapMessage> MESSAGES = List.of(
            new PcapMessage(1_700_000_000_000_001L, A4, 5060, B4, 5060, Transport.UDP,
                    sip("INVITE sip:bob@example.com SIP/2.0", "udp4-call", "UDP", "")),
            new PcapMessage(1_700_000_000_250_000L, B4, 5060, A4, 5060, Transport.UDP,
                    sip("SIP/2.0 180 Ringing", "udp4-call", "UDP", "")),
            new PcapMessage(1_700_000_001_000_002L, A6, 5060, B6, 5060, Transport.UDP,
                    sip("OPTIONS sip:bob@example.com SIP/2.0", "udp6-call", "UDP", "")),
            new PcapMessage(1_700_000_002_123_456L, A4, 40000, B4, 5060, Transport.TCP,
                    sip("INVITE sip:bob@example.com SIP/2.0", "tcp4-call", "TCP", "")),
            new PcapMessage(1_700_000_002_223_457L, B4, 5060, A4, 40000, Transport.TCP,
                    sip("SIP/2.0 200 OK", "tcp4-call", "TCP", "")),
            new PcapMessage(1_700_000_002_323_458L, A4, 40000, B4, 5060, Transport.TCP,
                    sip("BYE sip:bob@example.com SIP/2.0", "tcp4-call", "TCP", "")),
            new PcapMessage(1_700_000_003_999_999L, A6, 40001, B6, 5060, Transport.TCP,
                    sip("MESSAGE sip:bob@example.com SIP/2.0", "tcp6-big", "TCP", "x".repeat(70_000))),
            new PcapMessage(1_700_000_004_000_000L, B6, 5060, A6, 40001, Transport.TCP,
                    sip("SIP/2.0 200 OK", "tcp6-big", "TCP", "")));

    @Test
    void tsharkDecodesEverySipMessageWithItsCallIdAndTimestamp(@TempDir Path dir) throws Exception {
        Path file = writeMessages(dir);

        String output = tshark(dir, "-r", file.toString(), "-Y", "sip", "-T", "fields",
                "-e", "sip.Call-ID", "-e", "frame.time_epoch", "-E", "separator=|");

        List<String> decoded = new ArrayList<>();
        for (String line : output.strip().split("\n")) {
            String[] f = line.split("\\|");
            long micros = new BigDecimal(f[1]).movePointRight(6).longValueExact();
            decoded.add(f[0] + " " + micros);
        }
        List<String> expected = MESSAGES.stream()
                .map(m -> callId(m.payload()) + " " + m.timestampMicros())
                .toList();
        assertThat(decoded).containsExactlyElementsOf(expected);
    }

    @Test
    void tsharkFindsEveryChecksumGoodAndRaisesNoExpertWarning(@TempDir Path dir) throws Exception {
        Path file = writeMessages(dir);

        String output = tshark(dir, "-r", file.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=|", "-E", "occurrence=f",
                "-e", "frame.number", "-e", "ip.checksum.status", "-e", "udp.checksum.status",
                "-e", "tcp.checksum.status", "-e", "_ws.expert.severity");

        String[] lines = output.strip().split("\n");
        assertThat(lines).hasSize(9); // 8 messages, the 70 kB one in two segments
        for (String line : lines) {
            String[] f = (line + "|end").split("\\|");
            // checksum status 1 is "Good"; IPv6 has no header checksum
            assertThat(f[1]).as("IPv4 checksum of frame %s", f[0]).isIn("", "1");
            assertThat(f[2] + f[3]).as("UDP/TCP checksum of frame %s", f[0]).isEqualTo("1");
            assertThat(f[4]).as("expert info of frame %s", f[0]).isEmpty();
        }
    }

    private static Path writeMessages(Path dir) throws IOException {
        Path file = dir.resolve("export.pcap");
        try (OutputStream out = Files.newOutputStream(file)) {
            PcapWriter.write(out, MESSAGES);
        }
        return file;
    }

    private static String tshark(Path dir, String... args) throws Exception {
        String tshark = findOnPath("tshark");
        if (tshark == null) {
            fail("tshark is not on the PATH; this integration test needs it (CI installs it): " + INSTALL);
        }
        List<String> command = new ArrayList<>(List.of(tshark));
        command.addAll(List.of(args));
        Path err = dir.resolve("tshark.err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        assertThat(p.exitValue()).as("tshark exit code; stderr: %s", Files.readString(err)).isZero();
        return output;
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String callId(byte[] sip) {
        String s = new String(sip, StandardCharsets.UTF_8);
        int i = s.indexOf("Call-ID: ") + 9;
        return s.substring(i, s.indexOf("\r\n", i));
    }

    private static String findOnPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
