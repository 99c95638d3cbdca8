package io.hepstack.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.pcap.PcapMessage;
import io.hepstack.proto.pcap.PcapWriter;
import io.hepstack.proto.pcap.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DecodeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void printsEveryPacketOfTheKamailioCaptureInCaptureOrder() throws Exception {
        Path file = dir.resolve("hep.pcap");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/kamailio-siptrace/hep.pcap")) {
            Files.copy(in, file);
        }
        Result r = run(file.toString());
        assertThat(r.exit).isZero();
        assertThat(r.lines).hasSize(580);
        Set<String> callIds = new HashSet<>();
        long frame = 0;
        for (JsonNode n : r.lines) {
            assertThat(n.get("frame").asLong()).isEqualTo(++frame);
            callIds.add(n.get("sip").get("callId").asText());
        }
        assertThat(callIds).hasSize(80);

        JsonNode first = r.lines.get(0);
        assertThat(first.get("version").asInt()).isEqualTo(3);
        assertThat(first.get("ipFamily").asInt()).isEqualTo(2);
        assertThat(first.get("ipProto").asInt()).isEqualTo(17);
        assertThat(first.get("srcIp").asText()).isEqualTo("127.0.0.1");
        assertThat(first.get("srcPort").asInt()).isEqualTo(5080);
        assertThat(first.get("dstPort").asInt()).isEqualTo(5060);
        assertThat(first.get("tsSec").asLong()).isEqualTo(1795375683L);
        assertThat(first.get("tsUsec").asLong()).isEqualTo(366306L);
        assertThat(first.get("protoType").asInt()).isEqualTo(1);
        assertThat(first.get("captureId").asLong()).isEqualTo(2001L);
        assertThat(first.get("node").isNull()).isTrue();
        assertThat(first.get("vlan").isNull()).isTrue();
        assertThat(first.get("chunks")).isEmpty();
        assertThat(first.get("payloadEncoding").asText()).isEqualTo("utf8");
        assertThat(first.get("payload").asText()).startsWith("INVITE sip:1000@127.0.0.1:5060 SIP/2.0\r\n");
        JsonNode sip = first.get("sip");
        assertThat(sip.get("method").asText()).isEqualTo("INVITE");
        assertThat(sip.get("status").isNull()).isTrue();
        assertThat(sip.get("callId").asText()).isEqualTo("1-10898@127.0.0.1");
        assertThat(sip.get("cseq").asLong()).isEqualTo(1);
        assertThat(sip.get("cseqMethod").asText()).isEqualTo("INVITE");
        assertThat(sip.get("fromUser").asText()).isEqualTo("sipp");
        assertThat(sip.get("fromTag").asText()).isEqualTo("10898SIPpTag001");
        assertThat(sip.get("toUser").asText()).isEqualTo("1000");
        assertThat(sip.get("toTag").isNull()).isTrue();
        assertThat(sip.get("ruriUser").asText()).isEqualTo("1000");
    }

    @Test
    void reassemblesHepOverTcpSplitAcrossSegments() throws Exception {
        byte[] a = HepEncoder.encode(packet("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: a\r\nCSeq: 1 OPTIONS\r\n\r\n"));
        byte[] b = HepEncoder.encode(packet("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: b\r\nCSeq: 1 OPTIONS\r\n\r\n"));
        byte[] c = HepEncoder.encode(packet("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n"));
        byte[] segment1 = concat(a, Arrays.copyOf(b, 20));                       // a and the head of b
        byte[] segment2 = concat(Arrays.copyOfRange(b, 20, b.length), c);         // the rest of b, and c
        Path file = dir.resolve("tcp.pcap");
        InetAddress agent = InetAddress.getByName("2001:db8::10");
        InetAddress collector = InetAddress.getByName("2001:db8::20");
        try (OutputStream out = Files.newOutputStream(file)) {
            PcapWriter.write(out, List.of(
                    new PcapMessage(1_000_000, agent, 40000, collector, 9060, Transport.TCP, segment1),
                    new PcapMessage(2_000_000, agent, 40000, collector, 9060, Transport.TCP, segment2)));
        }
        Result r = run(file.toString());
        assertThat(r.exit).isZero();
        assertThat(r.lines).extracting(n -> n.get("frame").asLong() + ":" + n.get("sip").get("callId").asText())
                .containsExactly("1:a", "2:b", "2:c");
    }

    @Test
    void printsTheRejectionReasonOfAMalformedDatagramAndGoesOn() throws Exception {
        byte[] bad = "HEP3\u0000\u0009xyz".getBytes(StandardCharsets.ISO_8859_1); // total length 9, 9 bytes, chunk header cut
        byte[] good = HepEncoder.encode(packet("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: g\r\nCSeq: 1 OPTIONS\r\n\r\n"));
        Result r = run(udpCapture(bad, good).toString());
        assertThat(r.exit).isZero();
        assertThat(r.lines.get(0).get("frame").asLong()).isEqualTo(1);
        assertThat(r.lines.get(0).get("error").asText()).isEqualTo("CHUNK_PAST_END");
        assertThat(r.lines.get(0).get("detail").asText()).contains("chunk header cut, 3 bytes left (expected: 6)");
        assertThat(r.lines.get(1).get("sip").get("callId").asText()).isEqualTo("g");
    }

    @Test
    void printsANonUtf8PayloadAsBase64WithoutSip() throws Exception {
        byte[] payload = {(byte) 0xff, (byte) 0xfe, 0, 'x'};
        HepPacket p = packet("").withPayload(payload);
        Result r = run(udpCapture(HepEncoder.encode(p)).toString());
        JsonNode n = r.lines.get(0);
        assertThat(n.get("payloadEncoding").asText()).isEqualTo("base64");
        assertThat(n.get("payload").asText()).isEqualTo("//4AeA==");
        assertThat(n.get("sip").isNull()).isTrue();
        assertThat(n.get("sipError").asText()).startsWith("NOT_SIP: line 1: ");
    }

    @Test
    void printsTheFieldsOfSipDamagedAtItsEndWithTheDamage() throws Exception {
        String head = "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK77\r\n"
                + "Call-ID: cut@host\r\nCSeq: 7 INVITE\r\nFrom: <sip:alice@example.com>;tag=a1\r\n"; // 153 bytes
        byte[] trailer = concat(head.getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xff, (byte) 0xfe, 0, ' ', 'x', '\r', '\n'});
        Result r = run(udpCapture(
                HepEncoder.encode(packet(head + "To: <sip:bo")),
                HepEncoder.encode(packet("").withPayload(trailer)),
                HepEncoder.encode(packet(head + "\r\n")),
                HepEncoder.encode(packet("INVITE sip:bob@example.com SIP/2.0\r\nCSeq: 7 INVITE\r\nCall-ID: cu"))).toString());

        JsonNode cut = r.lines.get(0);
        assertThat(cut.get("payloadEncoding").asText()).isEqualTo("utf8");
        assertThat(cut.get("payload").asText()).isEqualTo(head + "To: <sip:bo");
        JsonNode sip = cut.get("sip");
        assertThat(sip.get("method").asText()).isEqualTo("INVITE");
        assertThat(sip.get("callId").asText()).isEqualTo("cut@host");
        assertThat(sip.get("cseq").asLong()).isEqualTo(7);
        assertThat(sip.get("cseqMethod").asText()).isEqualTo("INVITE");
        assertThat(sip.get("fromUser").asText()).isEqualTo("alice");
        assertThat(sip.get("fromTag").asText()).isEqualTo("a1");
        assertThat(sip.get("toUser").isNull()).isTrue();
        assertThat(sip.get("ruriUser").asText()).isEqualTo("bob");
        assertThat(cut.get("sipError").asText())
                .isEqualTo("TRUNCATED: line 6: message ends inside header \"To\" (offset 153)");

        JsonNode binary = r.lines.get(1);
        assertThat(binary.get("payloadEncoding").asText()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(binary.get("payload").asText())).isEqualTo(trailer);
        assertThat(binary.get("sip").get("callId").asText()).isEqualTo("cut@host");
        assertThat(binary.get("sip").get("fromTag").asText()).isEqualTo("a1");
        assertThat(binary.get("sipError").asText())
                .isEqualTo("BAD_HEADER: line 6: header line \"??? x\" has no colon (offset 153)");

        assertThat(r.lines.get(2).get("sip").get("callId").asText()).isEqualTo("cut@host");
        assertThat(r.lines.get(2).get("sipError").isNull()).isTrue();

        JsonNode callIdCut = r.lines.get(3);
        assertThat(callIdCut.get("sip").isNull()).isTrue();
        assertThat(callIdCut.get("sipError").asText())
                .isEqualTo("TRUNCATED: line 3: message ends inside header \"Call-ID\" (offset 52)");
    }

    @Test
    void failsWithStatus1WhenTheFileCannotBeRead() throws Exception {
        Result r = run(dir.resolve("missing.pcap").toString());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.stderr).contains("missing.pcap");
        Files.writeString(dir.resolve("garbage.pcap"), "not a capture at all, really");
        Result g = run(dir.resolve("garbage.pcap").toString());
        assertThat(g.exit).isEqualTo(1);
        assertThat(g.stderr).contains("magic");
    }

    // ---- helpers ----

    private record Result(int exit, List<JsonNode> lines, String stderr) {
    }

    private static Result run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new picocli.CommandLine(new DecodeCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Result(exit, lines, err.toString(StandardCharsets.UTF_8));
    }

    private Path udpCapture(byte[]... datagrams) throws Exception {
        Path file = dir.resolve("udp-" + System.nanoTime() + ".pcap");
        List<PcapMessage> messages = new ArrayList<>();
        long t = 1_700_000_000_000_000L;
        for (byte[] d : datagrams) {
            messages.add(new PcapMessage(t++, InetAddress.getByName("192.0.2.1"), 9999,
                    InetAddress.getByName("192.0.2.2"), 9060, Transport.UDP, d));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            PcapWriter.write(out, messages);
        }
        return file;
    }

    private static HepPacket packet(String sip) throws Exception {
        return new HepPacket(3, 2, 17, InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"),
                5060, 5060, 1_700_000_000L, 1, 1, 7, null, null, null, null,
                sip.getBytes(StandardCharsets.UTF_8), false, null);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
