package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepChunk;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.pcap.PcapVisitor;
import io.hepstack.proto.sip.HeaderExtractor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MessageExtractorTest {

    private static final List<HepPacket> CAPTURE = new ArrayList<>();

    private final MessageExtractor extractor = new MessageExtractor(new ExtractionSettings(
            List.of(HeaderExtractor.parse("X-CID")), List.of(HeaderExtractor.parse("Subject"))));

    @BeforeAll
    static void readCapture() throws Exception {
        HepDecoder decoder = new HepDecoder();
        try (InputStream in = MessageExtractorTest.class.getResourceAsStream("/fixtures/kamailio-siptrace/hep.pcap")) {
            PcapReader.read(in, (PcapVisitor) p -> {
                try {
                    CAPTURE.add(decoder.decode(p.payload()));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertThat(CAPTURE).hasSize(580);
    }

    @Test
    void classifiesEveryFixtureMessageAndKeepsTheCallIds() {
        Map<MessageKind, Integer> kinds = new EnumMap<>(MessageKind.class);
        Set<String> callIds = new HashSet<>();
        for (HepPacket p : CAPTURE) {
            CapturedMessage m = extractor.extract(p);
            assertThat(m.parsed()).isTrue();
            assertThat(m.payload()).isSameAs(p.payload());
            kinds.merge(m.kind(), 1, Integer::sum);
            callIds.add(m.callId());
        }
        assertThat(callIds).hasSize(80);
        assertThat(kinds).containsOnlyKeys(MessageKind.SIP_CALL, MessageKind.SIP_REGISTRATION, MessageKind.SIP_OTHER);
        // The proxy answers REGISTER and OPTIONS itself: each request is mirrored once (received), its 200 once.
        assertThat(kinds.get(MessageKind.SIP_REGISTRATION)).isEqualTo(20 * 2);
        assertThat(kinds.get(MessageKind.SIP_OTHER)).isEqualTo(20 * 2);
        assertThat(kinds.get(MessageKind.SIP_CALL)).isEqualTo(580 - 80);
    }

    @Test
    void fillsEveryColumnOfTheFirstInvite() throws Exception {
        CapturedMessage m = extractor.extract(CAPTURE.get(0));
        assertThat(m.kind()).isEqualTo(MessageKind.SIP_CALL);
        assertThat(m.envelope().timestampMicros()).isEqualTo(1795375683_366306L);
        assertThat(m.envelope().captureId()).isEqualTo(2001);
        assertThat(m.envelope().protoType()).isEqualTo(1);
        assertThat(m.envelope().transport()).isEqualTo(17);
        assertThat(m.envelope().srcIp()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(m.envelope().srcPort()).isEqualTo(5080);
        assertThat(m.envelope().dstPort()).isEqualTo(5060);
        assertThat(m.callId()).isEqualTo("1-10898@127.0.0.1");
        assertThat(m.envelope().correlationId()).isEqualTo("1-10898@127.0.0.1");
        assertThat(m.sip().method()).isEqualTo("INVITE");
        assertThat(m.sip().status()).isNull();
        assertThat(m.sip().cseq()).isEqualTo(1L);
        assertThat(m.sip().cseqMethod()).isEqualTo("INVITE");
        assertThat(m.sip().fromUser()).isEqualTo("sipp");
        assertThat(m.sip().fromTag()).isEqualTo("10898SIPpTag001");
        assertThat(m.sip().toUser()).isEqualTo("1000");
        assertThat(m.sip().toTag()).isNull();
        assertThat(m.sip().ruriUser()).isEqualTo("1000");
        assertThat(m.sip().viaBranch()).isEqualTo("z9hG4bK-10898-1-0");
        assertThat(m.extra())
                .contains("\"headers\":{\"Subject\":\"Performance Test\"}")
                .contains("\"sdp\":{\"connection\":\"127.0.0.1\",\"media\":[{\"type\":\"audio\",\"port\":6008");
    }

    @Test
    void takesTheCorrelationIdFromTheALegHeader() {
        CapturedMessage busyInvite = CAPTURE.stream().map(extractor::extract)
                .filter(m -> "INVITE".equals(m.sip().method()) && m.callId().startsWith("busy-"))
                .findFirst().orElseThrow();
        assertThat(busyInvite.envelope().correlationId()).startsWith("aleg-").isNotEqualTo(busyInvite.callId());
    }

    @Test
    void prefersTheHepCorrelationIdChunk() {
        CapturedMessage m = extractor.extract(with(CAPTURE.get(0), 1, "hep-corr", null));
        assertThat(m.envelope().correlationId()).isEqualTo("hep-corr");
        assertThat(m.callId()).isEqualTo("1-10898@127.0.0.1");
    }

    @Test
    void storesAReplyWithItsStatusAndServerAsUserAgent() {
        CapturedMessage trying = extractor.extract(CAPTURE.get(1));
        assertThat(trying.sip().method()).isNull();
        assertThat(trying.sip().status()).isEqualTo(100);
        assertThat(trying.sip().ruriUser()).isNull();
        assertThat(trying.kind()).isEqualTo(MessageKind.SIP_CALL);
    }

    @Test
    void keepsMalformedSipRawAndFlaggedUnparsed() {
        byte[] noCallId = "INVITE sip:a@b SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        CapturedMessage m = extractor.extract(withPayload(CAPTURE.get(0), 1, noCallId));
        assertThat(m.parsed()).isFalse();
        assertThat(m.kind()).isEqualTo(MessageKind.SIP_OTHER);
        assertThat(m.callId()).isNull();
        assertThat(m.payload()).isEqualTo(noCallId);
        assertThat(m.envelope().srcPort()).isEqualTo(5080);
        assertThat(m.extra()).contains("\"sipError\":\"MISSING_CALL_ID");
    }

    @Test
    void storesSipCutInsideAHeaderLineWithTheFieldsBeforeTheCutAndTheDamage() {
        byte[] cut = ("INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK77\r\n"
                + "Call-ID: cut@host\r\nCSeq: 7 INVITE\r\nFrom: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@exa").getBytes(StandardCharsets.US_ASCII);
        CapturedMessage m = extractor.extract(withPayload(CAPTURE.get(0), 1, cut));
        assertThat(m.parsed()).isTrue();
        assertThat(m.kind()).isEqualTo(MessageKind.SIP_CALL);
        assertThat(m.callId()).isEqualTo("cut@host");
        assertThat(m.envelope().correlationId()).isEqualTo("cut@host");
        assertThat(m.sip().method()).isEqualTo("INVITE");
        assertThat(m.sip().cseq()).isEqualTo(7);
        assertThat(m.sip().cseqMethod()).isEqualTo("INVITE");
        assertThat(m.sip().fromUser()).isEqualTo("alice");
        assertThat(m.sip().fromTag()).isEqualTo("a1");
        assertThat(m.sip().toUser()).isNull();
        assertThat(m.sip().ruriUser()).isEqualTo("bob");
        assertThat(m.sip().viaBranch()).isEqualTo("z9hG4bK77");
        assertThat(m.payload()).isSameAs(cut);
        assertThat(m.extra()).startsWith("{\"sipError\":\"TRUNCATED: line 6: message ends inside header \\\"To\\\" (offset ");
    }

    @Test
    void storesSipWithABinaryTrailerInsteadOfTheEmptyLineWithItsFieldsAndTheDamage() {
        byte[] text = "SIP/2.0 200 OK\r\nCall-ID: trailer@host\r\nCSeq: 7 INVITE\r\nTo: <sip:bob@h>;tag=b2\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] payload = java.util.Arrays.copyOf(text, text.length + 4);
        payload[text.length] = (byte) 0xff;
        payload[text.length + 1] = (byte) 0xfe;
        CapturedMessage m = extractor.extract(withPayload(CAPTURE.get(0), 1, payload));
        assertThat(m.parsed()).isTrue();
        assertThat(m.sip().status()).isEqualTo(200);
        assertThat(m.callId()).isEqualTo("trailer@host");
        assertThat(m.sip().toTag()).isEqualTo("b2");
        assertThat(m.payload()).isEqualTo(payload);
        assertThat(m.extra()).startsWith("{\"sipError\":\"TRUNCATED: line 5: message ends inside header name ");
    }

    @Test
    void flagsNoErrorForNonUtf8BytesInTheBody() {
        byte[] text = "MESSAGE sip:bob@h SIP/2.0\r\nCall-ID: body@host\r\nCSeq: 1 MESSAGE\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] payload = java.util.Arrays.copyOf(text, text.length + 3);
        payload[text.length] = (byte) 0xff;
        CapturedMessage m = extractor.extract(withPayload(CAPTURE.get(0), 1, payload));
        assertThat(m.parsed()).isTrue();
        assertThat(m.callId()).isEqualTo("body@host");
        assertThat(m.payload()).isEqualTo(payload);
        assertThat(m.extra()).as("no sipError, no other extras").isNull();
    }

    @Test
    void storesLogsAndQosReportsByPayloadTypeWithTheirCorrelationId() {
        byte[] json = "{\"jitter\":1.5}".getBytes(StandardCharsets.US_ASCII);
        CapturedMessage rtcp = extractor.extract(withPayload(with(CAPTURE.get(0), 5, "1-10898@127.0.0.1", null), 5, json));
        assertThat(rtcp.kind()).isEqualTo(MessageKind.QOS);
        assertThat(rtcp.envelope().correlationId()).isEqualTo("1-10898@127.0.0.1");
        assertThat(rtcp.callId()).isNull();
        assertThat(rtcp.parsed()).isFalse();
        assertThat(extractor.extract(withPayload(CAPTURE.get(0), 100, "log line".getBytes())).kind())
                .isEqualTo(MessageKind.LOG);
        assertThat(extractor.extract(withPayload(CAPTURE.get(0), 53, "{}".getBytes())).kind())
                .isEqualTo(MessageKind.OTHER);
    }

    @Test
    void keepsRawHepChunksInTheExtras() {
        HepPacket p = with(CAPTURE.get(0), 1, null, List.of(new HepChunk(0, 0x23, new byte[]{0, (byte) 0xff})));
        assertThat(extractor.extract(p).extra()).contains("\"hepChunks\":[{\"vendor\":0,\"type\":35,\"hex\":\"00ff\"}]");
    }

    private static HepPacket with(HepPacket p, int protoType, String correlationId, List<HepChunk> chunks) {
        return p.toBuilder().protoType(protoType).correlationId(correlationId).chunks(chunks).build();
    }

    private static HepPacket withPayload(HepPacket p, int protoType, byte[] payload) {
        return p.toBuilder().protoType(protoType).payload(payload).build();
    }
}
