package io.hepstack.ingest.sip;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.SipFields;
import io.hepstack.proto.model.MessagePart;
import io.hepstack.proto.model.MessageKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityEventsTest {

    private static final long T0 = 1_700_000_000_000_000L;
    private static final long SECOND = 1_000_000L;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private SecurityEvents events(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(Map.of(
                "homer.ingest.security.brute-force-threshold", "3",
                "homer.ingest.security.brute-force-window", "10s"));
        p.putAll(overrides);
        IngestProperties props = new Binder(new MapConfigurationPropertySource(p))
                .bindOrCreate("homer.ingest", IngestProperties.class);
        return new SecurityEvents(registry, props.security(), 2);
    }

    private double count(String kind) {
        return registry.find("sip.security.events").tag("kind", kind).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    /** A request from 203.0.113.7 with the given User-Agent and SIP text. */
    private static CapturedMessage request(String method, String userAgent, String sip) {
        Envelope envelope = envelope(T0, "edge-1", ip("203.0.113.7"), 5070, ip("192.0.2.1"), 5060, "c1");
        SipFields fields = SipFields.builder().callId("c1").request(method).cseq(1, method).from("100", "t")
                .to("100", null).ruriUser("100").userAgent(userAgent).viaBranch("z9hG4bK1").build();
        return new CapturedMessage(envelope, MessageKind.SIP_OTHER, fields, sip.getBytes(StandardCharsets.UTF_8), null);
    }

    /** A reply to a REGISTER, sent by the registrar 192.0.2.1 to {@code client}, at {@code micros}. */
    private static CapturedMessage registerReply(int status, String client, long micros) {
        Envelope envelope = envelope(micros, "edge-1", ip("192.0.2.1"), 5060, ip(client), 5070, "c" + micros);
        SipFields fields = SipFields.builder().callId("c" + micros).status(status).cseq(1, "REGISTER").from("100", "t")
                .to("100", "x").userAgent("registrar").viaBranch("z9hG4bK1").build();
        return new CapturedMessage(envelope, MessageKind.SIP_REGISTRATION, fields,
                ("SIP/2.0 " + status + " X\r\n\r\n").getBytes(StandardCharsets.UTF_8), null);
    }

    private static Envelope envelope(long micros, String node, InetAddress src, int srcPort, InetAddress dst, int dstPort,
                                     String correlationId) {
        return Envelope.builder().timestampMicros(micros).captureId(2001).node(node).source(src, srcPort)
                .destination(dst, dstPort).correlationId(correlationId).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"friendly-scanner", "sipvicious 0.3.4", "SIPVicious", "sipcli/v1.8", "sundayddr",
            "iWar", "VaxSIPUserAgent/3.1", "PortSIP VoIP SDK 11.2", "pplsip", "sip-scan"})
    void countsARequestWhoseUserAgentNamesAKnownScanner(String userAgent) {
        SecurityEvents e = events(Map.of());
        e.accept(request("OPTIONS", userAgent, "OPTIONS sip:100@192.0.2.1 SIP/2.0\r\n\r\n"));
        assertThat(count(SecurityEvents.SCANNER_USER_AGENT)).isEqualTo(1);
        assertThat(registry.get("sip.security.events").tag("node", "edge-1").counter().count()).isEqualTo(1);
    }

    @Test
    void countsARequestWhoseFromDisplayNameNamesAScannerWhenTheUserAgentIsAbsent() {
        SecurityEvents e = events(Map.of());
        e.accept(request("REGISTER", null, "REGISTER sip:192.0.2.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 203.0.113.7:5070;branch=z9hG4bK1\r\n"
                + "From: \"sipvicious\" <sip:100@192.0.2.1>;tag=1\r\n"
                + "To: \"sipvicious\" <sip:100@192.0.2.1>\r\n\r\n"));
        e.accept(request("REGISTER", null, "REGISTER sip:192.0.2.1 SIP/2.0\r\nf: friendly-scanner <sip:1@x>\r\n\r\n"));
        assertThat(count(SecurityEvents.SCANNER_USER_AGENT)).isEqualTo(2);
    }

    @Test
    void ignoresOrdinaryAgentsRepliesAndUserAgentsOnlyInTheBody() {
        SecurityEvents e = events(Map.of());
        e.accept(request("INVITE", "Zoiper rv2.10", "INVITE sip:1@x SIP/2.0\r\nFrom: \"Alice\" <sip:a@x>\r\n\r\n"
                + "v=0\r\nFrom: \"sipvicious\" <sip:in-the-body@x>\r\n"));
        e.accept(registerReply(200, "203.0.113.7", T0));
        assertThat(count(SecurityEvents.SCANNER_USER_AGENT)).isZero();
        assertThat(registry.find("sip.security.events").counters()).isEmpty();
    }

    @Test
    void usesTheConfiguredScannerListCaseInsensitively() {
        SecurityEvents e = events(Map.of("homer.ingest.security.scanner-user-agents", "EvilDialer"));
        e.accept(request("INVITE", "evildialer/2", "INVITE sip:1@x SIP/2.0\r\n\r\n"));
        e.accept(request("INVITE", "friendly-scanner", "INVITE sip:1@x SIP/2.0\r\n\r\n"));
        assertThat(count(SecurityEvents.SCANNER_USER_AGENT)).isEqualTo(1);
    }

    @Test
    void countsRegisterBruteForceOncePerWindowWhenRejectionsTowardsOneClientExceedTheThreshold() {
        SecurityEvents e = events(Map.of());
        for (int i = 0; i < 3; i++) {
            e.accept(registerReply(401, "203.0.113.7", T0 + i * SECOND));
        }
        assertThat(count(SecurityEvents.REGISTER_BRUTE_FORCE)).as("3 is not more than 3").isZero();

        e.accept(registerReply(403, "203.0.113.7", T0 + 3 * SECOND));
        assertThat(count(SecurityEvents.REGISTER_BRUTE_FORCE)).isEqualTo(1);
        for (int i = 4; i < 12; i++) { // still inside the window that was counted
            e.accept(registerReply(401, "203.0.113.7", T0 + i * SECOND));
        }
        assertThat(count(SecurityEvents.REGISTER_BRUTE_FORCE)).as("once per window").isEqualTo(1);

        e.accept(registerReply(401, "203.0.113.7", T0 + 14 * SECOND)); // next window, attack goes on
        assertThat(count(SecurityEvents.REGISTER_BRUTE_FORCE)).isEqualTo(2);
    }

    @Test
    void doesNotCountRejectionsSpreadWiderThanTheWindowOrOverManyClients() {
        SecurityEvents e = events(Map.of());
        for (int i = 0; i < 10; i++) {
            e.accept(registerReply(401, "203.0.113.7", T0 + i * 4 * SECOND)); // 2 or 3 per 10 s
            e.accept(registerReply(401, "198.51.100." + i, T0 + i * SECOND)); // one each
            e.accept(registerReply(404, "192.0.2.200", T0 + i * SECOND)); // not an auth failure
        }
        assertThat(count(SecurityEvents.REGISTER_BRUTE_FORCE)).isZero();
    }

    @Test
    void keepsTheBruteForceMapWithinItsBound() {
        SecurityEvents e = events(Map.of("homer.ingest.security.max-tracked-sources", "50"));
        for (int i = 0; i < 1000; i++) {
            e.accept(registerReply(401, "10.0." + (i / 250) + "." + (i % 250), T0 + i));
        }
        assertThat(e.trackedSources()).isEqualTo(50);
    }

    @Test
    void countsSipThatFailedToParseAndNotOtherPayloadTypes() {
        SecurityEvents e = events(Map.of());
        CapturedMessage garbage = new CapturedMessage(envelope(T0, null, ip("203.0.113.9"), 5060, ip("192.0.2.1"), 5060, null),
                MessageKind.SIP_OTHER, MessagePart.OPAQUE, "\u0001\u0002not sip".getBytes(StandardCharsets.UTF_8), null);
        Envelope rtcpEnvelope = Envelope.builder().timestampMicros(T0).captureId(2001).protoType(5)
                .source(ip("203.0.113.9"), 5060).destination(ip("192.0.2.1"), 5060).build();
        CapturedMessage rtcp = new CapturedMessage(rtcpEnvelope, MessageKind.QOS, MessagePart.OPAQUE,
                new byte[] {(byte) 0x80, (byte) 0xc8}, null);
        e.accept(garbage);
        e.accept(garbage);
        e.accept(rtcp);
        assertThat(count(SecurityEvents.MALFORMED_SIP)).isEqualTo(2);
        assertThat(registry.get("sip.security.events").tag("node", "2001").counter().count()).isEqualTo(2);
    }

    @Test
    void labelsNodesBeyondTheLimitAsOther() {
        SecurityEvents e = events(Map.of());
        for (String node : new String[] {"a", "b", "c", "d"}) {
            e.accept(new CapturedMessage(Envelope.builder().timestampMicros(T0).captureId(1).node(node).build(),
                    MessageKind.SIP_OTHER, MessagePart.OPAQUE, new byte[] {1}, null));
        }
        assertThat(registry.get("sip.security.events").tag("node", "other").counter().count()).isEqualTo(2);
    }

    @Test
    void aNodeNameTooLongOrWithOddCharactersIsLabelledInvalidAndTakesNoSlot() {
        SecurityEvents e = events(Map.of());
        for (String node : new String[] {"x".repeat(4000), "x".repeat(65), "edge 1", "a\"b", "\u00e9", "", "edge-1:5060", "a"}) {
            e.accept(new CapturedMessage(Envelope.builder().timestampMicros(T0).captureId(1).node(node).build(),
                    MessageKind.SIP_OTHER, MessagePart.OPAQUE, new byte[] {1}, null));
        }
        assertThat(registry.get("sip.security.events").tag("node", "invalid").counter().count()).isEqualTo(6);
        // the two valid names took the two slots: invalid names take none
        assertThat(registry.get("sip.security.events").tag("node", "edge-1:5060").counter().count()).isEqualTo(1);
        assertThat(registry.get("sip.security.events").tag("node", "a").counter().count()).isEqualTo(1);
        assertThat(registry.find("sip.security.events").tag("node", "other").counter()).isNull();
    }

    @Test
    void readsTheFromDisplayNameQuotedOrNotAndNothingWithoutOne() {
        assertThat(SecurityEvents.fromDisplayName("X\r\nFrom: \"A B\" <sip:a@x>\r\n\r\n".getBytes())).isEqualTo("A B");
        assertThat(SecurityEvents.fromDisplayName("X\r\nf:bob <sip:a@x>\r\n\r\n".getBytes())).isEqualTo("bob");
        assertThat(SecurityEvents.fromDisplayName("X\r\nFrom: <sip:a@x>\r\n\r\n".getBytes())).isNull();
        assertThat(SecurityEvents.fromDisplayName("X\r\nFrom: sip:a@x\r\n\r\n".getBytes())).isNull();
        assertThat(SecurityEvents.fromDisplayName("X\r\n\r\nFrom: \"body\" <sip:a@x>\r\n".getBytes())).isNull();
        assertThat(SecurityEvents.fromDisplayName("X\nFROM :  Sipvicious <sip:a@x>\n\n".getBytes())).isEqualTo("Sipvicious");
        assertThat(SecurityEvents.fromDisplayName("X\r\nfrom:\t\"friendly-scanner\"\t<sip:a@x>\r\n".getBytes()))
                .isEqualTo("friendly-scanner");
        assertThat(SecurityEvents.fromDisplayName("X\r\nFromage: \"no\" <sip:a@x>\r\n".getBytes())).isNull();
    }
}
