package io.hepstack.api.export;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/calls/{callId}/sipp}: the exported scenario is run by the real {@code sipp}
 * (Debian sip-tester) against a SIPp UAS on loopback, and must complete its one call (exit 0).
 */
class SippExportIT extends AdminApiIT {

    /** Header bytes that must neither break the XML nor become SIPp markup or keywords. */
    static final byte[] HOSTILE = bytes("X-Evil: a ]]> b <!-- c --> &amp; [call_id] [len \\x41 \"q\" \u0001\u000b\t<x/> end");
    static final byte[] NOT_UTF8 = {'X', '-', 'B', 'y', 't', 'e', 's', ':', ' ', (byte) 0xff, (byte) 0xfe, 'z'};

    static List<CapturedMessage> kamailio;
    static String from;
    static String to;
    static String basicCallId;
    static String busyCallId;
    static String optionsCallId;

    @BeforeAll
    static void storeTheCaptureAndAHostileCall() {
        kamailio = Fixture.kamailio();
        long first = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = kamailio.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        List<CapturedMessage> all = new ArrayList<>(kamailio);
        all.addAll(hostileCall(last + 60_000_000L));
        Fixture.store(db.connectionFactory(), all);
        from = Times.format(Fixture.instant(first));
        to = Times.format(Fixture.instant(last + 120_000_000L));
        basicCallId = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method()) && !m.callId().startsWith("busy"))
                .findFirst().orElseThrow().callId();
        busyCallId = kamailio.stream().filter(m -> "INVITE".equals(m.sip().method()) && m.callId().startsWith("busy"))
                .findFirst().orElseThrow().callId();
        optionsCallId = kamailio.stream().filter(m -> "OPTIONS".equals(m.sip().method())).findFirst().orElseThrow().callId();
    }

    @TempDir
    Path dir;

    @Test
    void theScenarioOfABasicCallCompletesAgainstASippUas() throws Exception {
        String xml = export(basicCallId);
        assertWellFormed(xml);
        assertThat(xml).contains("<recv response=\"100\" optional=\"true\"/>", "<recv response=\"180\" optional=\"true\"/>",
                "<recv response=\"200\" rrs=\"true\" rtd=\"true\"/>", "Call-ID: [call_id]", "Content-Length: [len]",
                "CSeq: 1 INVITE", "CSeq: 2 BYE", "ACK [next_url] SIP/2.0", "BYE [next_url] SIP/2.0", "<pause milliseconds=\"");
        assertThat(xml.indexOf("<pause")).isBetween(xml.indexOf("ACK [next_url]"), xml.indexOf("BYE [next_url]"));
        Run run = run(xml, null);
        assertThat(run.exit).as(run.log).isZero();
    }

    @Test
    void theScenarioOfABusyCallExpects486AndCompletesAgainstABusyUas() throws Exception {
        String xml = export(busyCallId);
        assertWellFormed(xml);
        assertThat(xml).contains("<recv response=\"486\" rtd=\"true\"/>", "ACK sip:")
                .doesNotContain("response=\"200\"", "BYE");
        Run run = run(xml, Path.of(SippExportIT.class.getResource("/sipp/uas-486.xml").toURI()));
        assertThat(run.exit).as(run.log).isZero();
    }

    @Test
    void hostileHeadersKeepTheXmlWellFormedAndReachTheWireByteForByte() throws Exception {
        String xml = export("evil-1@test");
        assertWellFormed(xml);
        assertThat(xml).doesNotContain("[call_id] [len").contains("\\x5bcall_id\\x5d");
        Run run = run(xml, null);
        assertThat(run.exit).as(run.log).isZero();
        byte[] sent = Files.readAllBytes(run.messages);
        assertThat(indexOf(sent, HOSTILE)).as(new String(sent, StandardCharsets.ISO_8859_1)).isNotNegative();
        assertThat(indexOf(sent, NOT_UTF8)).isNotNegative();
    }

    @Test
    void aCallWithoutInviteIsRefusedWithAReason() {
        String body = admin.get().uri(b -> b.path("/api/v1/calls/{id}/sipp").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build(optionsCallId, from, to))
                .exchange().expectStatus().isBadRequest().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("has no parsed INVITE request").contains("a SIPp scenario replays an INVITE dialog");
        admin.get().uri(b -> b.path("/api/v1/calls/{id}/sipp").queryParam("from", "{f}").queryParam("to", "{t}")
                .build("no-such-call@test", from, to)).exchange().expectStatus().isNotFound().expectBody(Void.class);
        admin.get().uri(b -> b.path("/api/v1/calls/{id}/sipp").queryParam("form", "{f}").build(basicCallId, from))
                .exchange().expectStatus().isBadRequest().expectBody(Void.class);
        anonymous.get().uri(b -> b.path("/api/v1/calls/{id}/sipp").build(basicCallId)).exchange()
                .expectStatus().isUnauthorized().expectBody(Void.class);
    }

    @Test
    void aShareLinkServesTheScenarioWithoutLogin() {
        Map<?, ?> share = admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", basicCallId, "from", from, "to", to))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String xml = anonymous.get().uri("/api/v1/shared/{t}/sipp", share.get("token")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(xml).contains("<scenario name=\"hepstack call " + basicCallId + "\">");
        anonymous.get().uri("/api/v1/shared/{t}/sipp", share.get("token") + "x").exchange().expectStatus().isNotFound().expectBody(Void.class);
    }

    private String export(String callId) {
        var result = admin.get().uri(b -> b.path("/api/v1/calls/{id}/sipp").queryParam("from", "{f}").queryParam("to", "{t}")
                        .build(callId, from, to))
                .exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_XML)
                .expectHeader().valueMatches("Content-Disposition", "attachment; filename=\"call-[A-Za-z0-9._-]+\\.xml\"")
                .expectBody(byte[].class).returnResult().getResponseBody();
        return new String(result, StandardCharsets.UTF_8);
    }

    private static void assertWellFormed(String xml) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("scenario");
    }

    private record Run(int exit, String log, Path messages) {
    }

    /** Runs {@code xml} once against a SIPp UAS ({@code uas}, or SIPp's built-in one) on loopback. */
    private Run run(String xml, Path uasScenario) throws Exception {
        Path scenario = dir.resolve("call.xml");
        Files.writeString(scenario, xml);
        String uasPort = Integer.toString(freePort());
        List<String> uasCommand = new ArrayList<>(List.of("sipp"));
        uasCommand.addAll(uasScenario == null ? List.of("-sn", "uas") : List.of("-sf", uasScenario.toString()));
        uasCommand.addAll(List.of("-i", "127.0.0.1", "-p", uasPort, "-mp", Integer.toString(freePort()), "-m", "1",
                "-timeout", "60s", "-nostdin"));
        Path uasLog = dir.resolve("uas.log");
        Process uas = new ProcessBuilder(uasCommand).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(uasLog.toFile()).start();
        Path messages = dir.resolve("uac-messages.log");
        Path uacLog = dir.resolve("uac.log");
        Process uac = new ProcessBuilder("sipp", "-sf", scenario.toString(), "-i", "127.0.0.1", "-p",
                Integer.toString(freePort()), "-mp", Integer.toString(freePort()), "-m", "1", "-timeout", "60s",
                "-timeout_error", "-nostdin", "-trace_msg", "-message_file", messages.toString(), "-trace_err",
                "-error_file", dir.resolve("uac-errors.log").toString(), "127.0.0.1:" + uasPort)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(uacLog.toFile()).start();
        try {
            assertThat(uac.waitFor(90, TimeUnit.SECONDS)).as("sipp UAC ended").isTrue();
            uas.waitFor(10, TimeUnit.SECONDS);
        } finally {
            uac.destroyForcibly();
            uas.destroyForcibly();
        }
        String log = "scenario:\n" + xml + "\nUAC:\n" + tail(uacLog) + "\nUAC errors:\n" + tail(dir.resolve("uac-errors.log"))
                + "\nUAS:\n" + tail(uasLog);
        return new Run(uac.exitValue(), log, messages);
    }

    private static String tail(Path file) throws Exception {
        if (!Files.exists(file)) {
            return "(none)";
        }
        String s = Files.readString(file, StandardCharsets.ISO_8859_1);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** INVITE, 200, ACK, BYE, 200 between 10.9.0.1:5070 and 10.9.0.2:5060 whose INVITE carries {@link #HOSTILE}. */
    private static List<CapturedMessage> hostileCall(long t0) {
        String dialog = "From: \"Mallory\" <sip:mallory@10.9.0.1>;tag=m1\r\nCall-ID: evil-1@test\r\n";
        String via = "Via: SIP/2.0/UDP 10.9.0.1:5070;branch=z9hG4bK-evil;rport\r\n";
        String sdp = "v=0\r\no=- 1 1 IN IP4 10.9.0.1\r\ns=-\r\nc=IN IP4 10.9.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
        ByteArrayOutputStream invite = new ByteArrayOutputStream();
        invite.writeBytes(bytes("INVITE sip:bob@10.9.0.2 SIP/2.0\r\n" + via + dialog + "To: <sip:bob@10.9.0.2>\r\n"
                + "CSeq: 1 INVITE\r\nContact: <sip:mallory@10.9.0.1:5070>\r\n"));
        invite.writeBytes(HOSTILE);
        invite.writeBytes(bytes("\r\n"));
        invite.writeBytes(NOT_UTF8);
        invite.writeBytes(bytes("\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp));
        String toTagged = "To: <sip:bob@10.9.0.2>;tag=b1\r\n";
        List<CapturedMessage> rows = new ArrayList<>();
        rows.add(row(t0, invite.toByteArray(), "10.9.0.1", 5070, "10.9.0.2", 5060));
        rows.add(row(t0 + 2000, bytes("SIP/2.0 200 OK\r\n" + via + dialog + toTagged + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:bob@10.9.0.2:5060>\r\nContent-Length: 0\r\n\r\n"), "10.9.0.2", 5060, "10.9.0.1", 5070));
        rows.add(row(t0 + 3000, bytes("ACK sip:bob@10.9.0.2:5060 SIP/2.0\r\n" + via + dialog + toTagged
                + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"), "10.9.0.1", 5070, "10.9.0.2", 5060));
        rows.add(row(t0 + 53_000, bytes("BYE sip:bob@10.9.0.2:5060 SIP/2.0\r\n" + via + dialog + toTagged
                + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"), "10.9.0.1", 5070, "10.9.0.2", 5060));
        rows.add(row(t0 + 54_000, bytes("SIP/2.0 200 OK\r\n" + via + dialog + toTagged
                + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"), "10.9.0.2", 5060, "10.9.0.1", 5070));
        return rows;
    }

    private static CapturedMessage row(long t, byte[] sip, String src, int srcPort, String dst, int dstPort) {
        try {
            HepPacket p = new HepPacket(3, 2, 17, InetAddress.getByName(src), InetAddress.getByName(dst), srcPort, dstPort,
                    t / 1_000_000, (int) (t % 1_000_000), HepPayloadType.SIP.number(), 3001, null, null, null,
                    "edge", sip, false, List.of());
            return new MessageExtractor(Fixture.SETTINGS).extract(p);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
