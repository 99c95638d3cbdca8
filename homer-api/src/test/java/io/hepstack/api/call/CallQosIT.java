package io.hepstack.api.call;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.media.MediaThresholds;
import io.hepstack.proto.media.ReportBlock;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.media.RtcpWriter;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.store.IngestSettings;
import io.hepstack.proto.store.IngestSettingsStore;
import io.hepstack.proto.testing.AgentReports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/calls/{callId}/qos} over real PostgreSQL: a PCMA call whose caller receives nothing
 * while the callee receives the caller's media. The caller's side mirrors binary RTCP, the callee's sends
 * an agent's JSON; both are correlated by HEP chunk 0x0011, as rtpengine and captagent do.
 */
@SuppressWarnings("unchecked")
class CallQosIT extends AdminApiIT {

    static final String CALL = "qos-1@test";
    static final String VQ_CALL = "qos-vq@test";
    static final String SDP_CALL = "qos-sdp@test";
    static final String AGENT_CALL = "qos-agent@test";
    static long t0;
    static String from;
    static String to;

    @BeforeAll
    static void storeACallWithOneWayAudio() {
        t0 = (Clock.systemUTC().millis() - 600_000) * 1000; // ten minutes ago: in every retention and window
        List<CapturedMessage> rows = new ArrayList<>();
        String sdp = "v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\nm=audio %d RTP/AVP 8 0 101\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
        String offer = sdp.formatted("10.0.0.10", "10.0.0.10", 30000);
        String answer = sdp.formatted("10.0.0.30", "10.0.0.30", 40000);
        String dialog = "Via: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK-q1\r\nFrom: <sip:alice@test>;tag=a\r\n"
                + "To: <sip:bob@test>%s\r\nCall-ID: " + CALL + "\r\nCSeq: %s\r\n";
        rows.add(sip(0, "10.0.0.10", "10.0.0.30", "INVITE sip:bob@10.0.0.30 SIP/2.0\r\n" + dialog.formatted("", "1 INVITE")
                + "Content-Type: application/sdp\r\nContent-Length: " + offer.length() + "\r\n\r\n" + offer));
        rows.add(sip(1, "10.0.0.30", "10.0.0.10", "SIP/2.0 200 OK\r\n" + dialog.formatted(";tag=b", "1 INVITE")
                + "Content-Type: application/sdp\r\nContent-Length: " + answer.length() + "\r\n\r\n" + answer));
        rows.add(sip(2, "10.0.0.10", "10.0.0.30", "ACK sip:bob@10.0.0.30 SIP/2.0\r\n" + dialog.formatted(";tag=b", "1 ACK")
                + "Content-Length: 0\r\n\r\n"));
        for (int i = 0; i < 3; i++) {
            long at = 5 + i * 5L;
            // the caller received nothing: its receiver reports have no block
            rows.add(rtcp(at, "10.0.0.10", 30001, "10.0.0.30", 40001, RtcpWriter.write(new RtcpReport(
                    List.of(new RtcpReport.SenderOrReceiver(0x1111, null, List.of())), List.of(), "alice"))));
            // the callee received the caller's stream: no loss, 40 units of jitter at 8 kHz (5 ms)
            rows.add(rtcp(at, "10.0.0.30", 40001, "10.0.0.10", 30001, ("{\"ssrc\":8738,\"type\":201,\"report_count\":1,"
                    + "\"report_blocks\":[{\"source_ssrc\":4369,\"highest_seq_no\":" + (250 * (i + 1)) + ",\"fraction_lost\":0,"
                    + "\"ia_jitter\":40,\"packets_lost\":0,\"lsr\":0,\"dlsr\":0}]}").getBytes(StandardCharsets.UTF_8)));
        }
        rows.add(rtcp(20, "10.0.0.30", 40001, "10.0.0.10", 30001, HexFormat.of().parseHex("82c90007123456789abcdef0")));
        String silent = dialog.replace(CALL, "qos-none@test");
        rows.add(sip(30, "10.0.0.10", "10.0.0.30", "INVITE sip:bob@10.0.0.30 SIP/2.0\r\n" + silent.formatted("", "1 INVITE")
                + "Content-Length: 0\r\n\r\n"));
        rows.add(sip(31, "10.0.0.30", "10.0.0.10", "SIP/2.0 200 OK\r\n" + silent.formatted(";tag=b", "1 INVITE")
                + "Content-Length: 0\r\n\r\n"));
        // a call whose caller's phone reports its quality in a PUBLISH (RFC 6035), and a second PUBLISH whose body does
        // not read, tied to the call by its agent's correlation id
        String vqDialog = dialog.replace(CALL, VQ_CALL);
        rows.add(sip(40, "10.0.0.10", "10.0.0.30", "INVITE sip:bob@10.0.0.30 SIP/2.0\r\n" + vqDialog.formatted("", "1 INVITE")
                + "Content-Type: application/sdp\r\nContent-Length: " + offer.length() + "\r\n\r\n" + offer));
        rows.add(sip(41, "10.0.0.30", "10.0.0.10", "SIP/2.0 200 OK\r\n" + vqDialog.formatted(";tag=b", "1 INVITE")
                + "Content-Type: application/sdp\r\nContent-Length: " + answer.length() + "\r\n\r\n" + answer));
        String vq = "VQSessionReport: CallTerm\r\nCallID: " + VQ_CALL + "\r\nLocalAddr: IP=10.0.0.10 PORT=30000 SSRC=0x1111\r\n"
                + "RemoteAddr: IP=10.0.0.30 PORT=40000 SSRC=0x2222\r\nLocalMetrics:\r\nSessionDesc: PT=8 PD=PCMA SR=8000\r\n"
                + "PacketLoss: NLR=8.0 JDR=1.0\r\nDelay: RTD=150 ESD=60 IAJ=30\r\nQualityEst: RLQ=70 MOSLQ=3.4 MOSCQ=3.3\r\n";
        rows.add(sip(50, "10.0.0.10", "10.0.0.99", publish("vq-1@10.0.0.10", vq)));
        rows.add(extract(51, "10.0.0.10", 5060, "10.0.0.99", 5060, HepPayloadType.SIP, VQ_CALL,
                publish("vq-2@10.0.0.10", "VQSessionReport: CallTerm\r\nCallID: " + VQ_CALL + "\r\n").getBytes(StandardCharsets.UTF_8)));
        // a call whose reports carry no correlation id (a PCAP import): tied to it by its SDP's media ends; a report
        // of another stream of the same relay (another port) and one long after the call are not its own
        String sdpDialog = dialog.replace(CALL, SDP_CALL);
        String sdpOffer = sdp.formatted("10.0.0.11", "10.0.0.11", 31000);
        String sdpAnswer = sdp.formatted("10.0.0.31", "10.0.0.31", 41000);
        rows.add(sip(60, "10.0.0.11", "10.0.0.31", "INVITE sip:bob@10.0.0.31 SIP/2.0\r\n" + sdpDialog.formatted("", "1 INVITE")
                + "Content-Type: application/sdp\r\nContent-Length: " + sdpOffer.length() + "\r\n\r\n" + sdpOffer));
        rows.add(sip(61, "10.0.0.31", "10.0.0.11", "SIP/2.0 200 OK\r\n" + sdpDialog.formatted(";tag=b", "1 INVITE")
                + "Content-Type: application/sdp\r\nContent-Length: " + sdpAnswer.length() + "\r\n\r\n" + sdpAnswer));
        byte[] received = RtcpWriter.write(new RtcpReport(List.of(new RtcpReport.SenderOrReceiver(0x3333, null,
                List.of(new ReportBlock(0x4444, 13, 0, 500, 80, 0, 0)))), List.of(), null)); // 5 % lost, 10 ms of jitter
        for (long at : new long[] {65, 70}) {
            rows.add(extract(at, "10.0.0.11", 31001, "10.0.0.31", 41001, HepPayloadType.RTCP, null, received));
        }
        rows.add(extract(66, "10.0.0.11", 31051, "10.0.0.31", 41051, HepPayloadType.RTCP, null, received));
        rows.add(extract(300, "10.0.0.11", 31001, "10.0.0.31", 41001, HepPayloadType.RTCP, null, received));
        // a call whose media an RTP agent reports (HEP type 34, the call named in the body only): the callee's stream
        // loses 10 %, the caller's nothing
        String agentDialog = dialog.replace(CALL, AGENT_CALL);
        rows.add(sip(80, "10.0.0.10", "10.0.0.30", "INVITE sip:bob@10.0.0.30 SIP/2.0\r\n" + agentDialog.formatted("", "1 INVITE")
                + "Content-Type: application/sdp\r\nContent-Length: " + offer.length() + "\r\n\r\n" + offer));
        rows.add(sip(81, "10.0.0.30", "10.0.0.10", "SIP/2.0 200 OK\r\n" + agentDialog.formatted(";tag=b", "1 INVITE")
                + "Content-Type: application/sdp\r\nContent-Length: " + answer.length() + "\r\n\r\n" + answer));
        rows.add(extract(85, "10.0.0.10", 30000, "10.0.0.30", 40000, HepPayloadType.RTP_AGENT_REPORT, null, AgentReports.stream(
                AGENT_CALL, "10.0.0.10", 30000, "10.0.0.30", 40000, 250, 0, 3.0, 4.3).getBytes(StandardCharsets.UTF_8)));
        rows.add(extract(85, "10.0.0.30", 40000, "10.0.0.10", 30000, HepPayloadType.RTP_AGENT_REPORT, null, AgentReports.stream(
                AGENT_CALL, "10.0.0.30", 40000, "10.0.0.10", 30000, 250, 25, 3.0, 3.5).getBytes(StandardCharsets.UTF_8)));
        Fixture.store(db.connectionFactory(), rows);
        from = Times.format(Fixture.instant(t0 - 1_000_000));
        to = Times.format(Fixture.instant(t0 + 600_000_000));
    }

    private static String publish(String callId, String body) {
        return "PUBLISH sip:collector@10.0.0.99 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK-" + callId.hashCode()
                + "\r\nFrom: <sip:alice@test>;tag=p\r\nTo: <sip:collector@test>\r\nCall-ID: " + callId + "\r\nCSeq: 1 PUBLISH\r\n"
                + "Event: vq-rtcpxr\r\nContent-Type: application/vq-rtcpxr\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static CapturedMessage sip(long second, String src, String dst, String text) {
        return extract(second, src, 5060, dst, 5060, HepPayloadType.SIP, null, text.getBytes(StandardCharsets.UTF_8));
    }

    private static CapturedMessage rtcp(long second, String src, int srcPort, String dst, int dstPort, byte[] payload) {
        return extract(second, src, srcPort, dst, dstPort, HepPayloadType.RTCP, CALL, payload);
    }

    private static CapturedMessage extract(long second, String src, int srcPort, String dst, int dstPort, HepPayloadType type,
                                           String correlationId, byte[] payload) {
        long t = t0 + second * 1_000_000L;
        HepPacket p = HepPacket.builder().addresses(CraftedCalls.ip(src), srcPort, CraftedCalls.ip(dst), dstPort).ipProto(17)
                .timestampMicros(t).protoType(type.number()).captureId(4001).node("media-node").correlationId(correlationId)
                .payload(payload).build();
        return new MessageExtractor(Fixture.SETTINGS).extract(p);
    }

    private Map<String, Object> qos(org.springframework.test.web.reactive.server.WebTestClient client, String path) {
        return client.get().uri(path).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @Test
    void theCallsMediaIsRatedWithItsAnsweredCodecAndItsOneWayAudioSaid() {
        Map<String, Object> q = qos(admin, "/api/v1/calls/" + CALL + "/qos?from=" + from + "&to=" + to);
        assertThat(q).containsEntry("callId", CALL).containsEntry("reports", 6).containsEntry("unreadReports", 1);
        assertThat((Map<String, Object>) q.get("codec")).containsEntry("name", "PCMA").containsEntry("clockRate", 8000)
                .containsEntry("fromSdp", true);
        List<Map<String, Object>> streams = (List<Map<String, Object>>) q.get("streams");
        assertThat(streams).singleElement().satisfies(s -> {
            assertThat(s).containsEntry("from", "10.0.0.10:30001").containsEntry("to", "10.0.0.30:40001")
                    .containsEntry("sourceSsrc", 4369).containsEntry("reporterSsrc", 8738).containsEntry("leg", CALL)
                    .containsEntry("reports", 3).containsEntry("jitterMs", 5.0).containsEntry("lossPercent", 0.0)
                    .containsEntry("packetsExpected", 500).containsEntry("packetsReceived", 500); // sequence 250 to 750
            assertThat((Double) s.get("mos")).isBetween(4.3, 4.41);
            assertThat((List<Object>) s.get("series")).hasSize(3);
        });
        assertThat((List<Map<String, Object>>) q.get("verdicts")).singleElement().satisfies(v -> {
            assertThat(v).containsEntry("code", "one_way_audio");
            assertThat(v.get("text")).isEqualTo("10.0.0.10:30001 received no media from 10.0.0.30:40001 (3 reports over 10 s), "
                    + "while media flowed the other way: one-way audio");
        });
        assertThat((Map<String, Object>) q.get("units")).containsEntry("jitter", "ms");
    }

    @Test
    void aVoiceQualityReportInSipIsReadAsTheStreamItMeasured() {
        Map<String, Object> q = qos(admin, "/api/v1/calls/" + VQ_CALL + "/qos?from=" + from + "&to=" + to);
        assertThat(q).containsEntry("reports", 1).containsEntry("unreadReports", 1); // the PUBLISH whose body does not read
        List<Map<String, Object>> streams = (List<Map<String, Object>>) q.get("streams");
        assertThat(streams).singleElement().satisfies(s -> {
            // the media ends the body names, not the PUBLISH's signalling addresses
            assertThat(s).containsEntry("from", "10.0.0.30:40000").containsEntry("to", "10.0.0.10:30000")
                    .containsEntry("leg", VQ_CALL).containsEntry("reportedMos", 3.4).containsEntry("rttMs", 150.0)
                    .containsEntry("jitterMs", 30.0);
            assertThat((Double) s.get("lossPercent")).isEqualTo(7.8125); // 8 % as RTCP carries it: 20/256
        });
        assertThat((List<Map<String, Object>>) q.get("verdicts")).extracting(v -> v.get("code")).containsExactly("high_loss");
    }

    @Test
    void anRtpAgentsReportsAreTheCallsStreamsWithTheAgentsMos() {
        Map<String, Object> q = qos(admin, "/api/v1/calls/" + AGENT_CALL + "/qos?from=" + from + "&to=" + to);
        assertThat(q).containsEntry("reports", 2).containsEntry("unreadReports", 0);
        List<Map<String, Object>> streams = (List<Map<String, Object>>) q.get("streams");
        assertThat(streams).hasSize(2);
        assertThat(streams).anySatisfy(s -> assertThat(s).containsEntry("from", "10.0.0.10:30000").containsEntry("to", "10.0.0.30:40000")
                .containsEntry("leg", AGENT_CALL).containsEntry("reportedMos", 4.3).containsEntry("lossPercent", 0.0)
                .containsEntry("jitterMs", 3.0));
        assertThat(streams).anySatisfy(s -> {
            assertThat(s).containsEntry("from", "10.0.0.30:40000").containsEntry("to", "10.0.0.10:30000")
                    .containsEntry("reportedMos", 3.5);
            assertThat((Double) s.get("lossPercent")).isEqualTo(10.15625); // 10 % as RTCP carries it: 26/256
        });
        assertThat((List<Map<String, Object>>) q.get("verdicts")).extracting(v -> v.get("code")).containsExactly("high_loss");
    }

    @Test
    void reportsWithoutACorrelationIdAreTiedToTheCallByItsSdp() {
        Map<String, Object> q = qos(admin, "/api/v1/calls/" + SDP_CALL + "/qos?from=" + from + "&to=" + to);
        assertThat(q).containsEntry("reports", 2);
        assertThat((List<Map<String, Object>>) q.get("streams")).singleElement().satisfies(s -> assertThat(s)
                .containsEntry("from", "10.0.0.31:41001").containsEntry("to", "10.0.0.11:31001").containsEntry("reports", 2)
                .containsEntry("jitterMs", 10.0));
        // the flow shows them with the call's messages, in time order
        Map<String, Object> flow = qos(admin, "/api/v1/calls/" + SDP_CALL + "/flow?from=" + from + "&to=" + to);
        assertThat((List<Map<String, Object>>) flow.get("qos")).hasSize(2)
                .allSatisfy(e -> assertThat(e).containsEntry("srcPort", 31001).containsEntry("correlationId", null));
        // a correlated call does not take them: its SDP names other ends
        assertThat(qos(admin, "/api/v1/calls/" + CALL + "/qos?from=" + from + "&to=" + to)).containsEntry("reports", 6);
    }

    @Test
    void aShareLinkShowsTheSameQualityWithoutLogin() {
        String token = (String) admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", CALL, "from", from, "to", to)).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
        Map<String, Object> shared = qos(anonymous, "/api/v1/shared/" + token + "/qos");
        assertThat((List<Map<String, Object>>) shared.get("verdicts")).extracting(v -> v.get("code")).containsExactly("one_way_audio");
        assertThat(shared).containsEntry("callId", CALL);
    }

    @Test
    void theVerdictsFollowTheThresholdsTheCollectorsPublished() {
        // the collectors' qos thresholds are the one setting: 5 ms of jitter is high against 4 ms, with or without login
        IngestSettingsStore settings = new IngestSettingsStore(db.connectionFactory(), Clock.systemUTC());
        IngestSettings d = IngestSettings.defaults();
        String token = (String) admin.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", CALL, "from", from, "to", to)).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
        settings.publish(new IngestSettings(d.partitions(), d.extraction(), d.discard(), d.maxInflatedPayload(), d.censor(),
                d.callRecords(), new MediaThresholds(5, 4, 400)), "ingest-test").block(Duration.ofSeconds(30));
        try {
            for (Map<String, Object> q : List.of(qos(admin, "/api/v1/calls/" + CALL + "/qos?from=" + from + "&to=" + to),
                    qos(anonymous, "/api/v1/shared/" + token + "/qos"))) {
                assertThat((List<Map<String, Object>>) q.get("verdicts")).extracting(v -> v.get("code"))
                        .containsExactly("one_way_audio", "high_jitter");
            }
        } finally {
            settings.publish(d, null).block(Duration.ofSeconds(30));
        }
        assertThat((List<Map<String, Object>>) qos(admin, "/api/v1/calls/" + CALL + "/qos?from=" + from + "&to=" + to)
                .get("verdicts")).extracting(v -> v.get("code")).as("the defaults again").containsExactly("one_way_audio");
    }

    @Test
    void aCallWithoutReportsSaysSoAndAnUnknownCallIsNotFound() {
        Map<String, Object> q = qos(admin, "/api/v1/calls/qos-none@test/qos?from=" + from + "&to=" + to);
        assertThat(q).containsEntry("reports", 0);
        assertThat((Map<String, Object>) q.get("codec")).containsEntry("name", "PCMU").containsEntry("fromSdp", false);
        assertThat((List<Map<String, Object>>) q.get("verdicts")).extracting(v -> v.get("code")).containsExactly("no_media_reports");
        admin.get().uri("/api/v1/calls/nobody@test/qos?from=" + from + "&to=" + to).exchange().expectStatus().isNotFound()
                .expectBody(Void.class);
    }
}
