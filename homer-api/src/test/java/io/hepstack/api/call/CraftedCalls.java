package io.hepstack.api.call;

import io.hepstack.api.Fixture;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.MessagePart;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.model.MessageKind;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-made rows for correlation: a B2BUA chain linked by X-CID (A ← B ← C), two legs sharing a HEP
 * correlation id, an RTCP report and a log line, a Pion RTCP report (type 58) of the first of those two
 * legs, an unrelated call, an IPv6/TCP call and a chain of six legs for the depth bound. SIP rows and
 * the Pion report go through {@link MessageExtractor} like the collector's.
 */
final class CraftedCalls {

    final long base;
    final List<CapturedMessage> rows = new ArrayList<>();
    private long t;

    CraftedCalls(long baseMicros) {
        this.base = baseMicros;
        this.t = baseMicros;
        call("b2b-a@test", "10.0.0.1", "10.0.0.2", null, null, 17);
        call("b2b-b@test", "10.0.0.2", "10.0.0.3", "b2b-a@test", null, 17);
        call("b2b-c@test", "10.0.0.3", "10.0.0.4", "b2b-b@test", null, 17);
        rows.add(nonSip(5, MessageKind.QOS, "b2b-a@test", "10.0.0.1", "10.0.0.2",
                "{\"type\":200,\"ssrc\":1234,\"report_blocks\":[{\"fraction_lost\":0,\"packets_lost\":0}]}"));
        rows.add(nonSip(100, MessageKind.LOG, "b2b-b@test", "10.0.0.2", "10.0.0.3", "b2bua: bridged b2b-a@test to b2b-b@test"));
        call("hep-a@test", "10.0.1.1", "10.0.1.2", null, "hepcorr-1", 17);
        call("hep-b@test", "10.0.1.2", "10.0.1.3", null, "hepcorr-1", 17);
        report(HepPayloadType.RTCP_PION, "hep-a@test", "10.0.1.1", "10.0.1.2",
                "{\"ssrc\":5678,\"jitter\":12,\"packets_lost\":3,\"fraction_lost\":0.01}");
        call("other@test", "10.0.2.1", "10.0.2.2", null, null, 17);
        call("v6@test", "2001:db8::1", "2001:db8::2", null, null, 6);
        String previous = null;
        for (int i = 1; i <= 6; i++) {
            call("chain-" + i + "@test", "10.0.3." + i, "10.0.3." + (i + 1), previous, null, 17);
            previous = "chain-" + i + "@test";
        }
    }

    /** INVITE, 200, ACK, BYE, 200 of one leg; the INVITE carries X-CID when {@code xcid} is set. */
    private void call(String callId, String a, String b, String xcid, String hepCorrelation, int transport) {
        String proto = transport == 6 ? "TCP" : "UDP";
        String via = "Via: SIP/2.0/" + proto + " " + host(a) + ":5060;branch=z9hG4bK-" + callId.hashCode() + "\r\n";
        String dialog = "From: <sip:alice@" + host(a) + ">;tag=a1\r\nCall-ID: " + callId + "\r\n";
        String to = "To: <sip:bob@" + host(b) + ">";
        sip("INVITE sip:bob@" + host(b) + " SIP/2.0\r\n" + via + dialog + to + "\r\nCSeq: 1 INVITE\r\n"
                + (xcid == null ? "" : "X-CID: " + xcid + "\r\n") + "Content-Length: 0\r\n\r\n", a, b, hepCorrelation, transport);
        sip("SIP/2.0 200 OK\r\n" + via + dialog + to + ";tag=b1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
                b, a, hepCorrelation, transport);
        sip("ACK sip:bob@" + host(b) + " SIP/2.0\r\n" + via + dialog + to + ";tag=b1\r\nCSeq: 1 ACK\r\n"
                + "Content-Length: 0\r\n\r\n", a, b, hepCorrelation, transport);
        sip("BYE sip:bob@" + host(b) + " SIP/2.0\r\n" + via + dialog + to + ";tag=b1\r\nCSeq: 2 BYE\r\n"
                + "Content-Length: 0\r\n\r\n", a, b, hepCorrelation, transport);
        sip("SIP/2.0 200 OK\r\n" + via + dialog + to + ";tag=b1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
                b, a, hepCorrelation, transport);
    }

    private void sip(String text, String src, String dst, String hepCorrelation, int transport) {
        t += 1000; // 1 ms apart
        InetAddress s = ip(src);
        HepPacket p = new HepPacket(3, s instanceof java.net.Inet6Address ? 10 : 2, transport, s, ip(dst), 5060, 5060,
                t / 1_000_000, (int) (t % 1_000_000), HepPayloadType.SIP.number(), 3001, null, hepCorrelation, null,
                "b2bua-node", text.getBytes(StandardCharsets.UTF_8), false, List.of());
        rows.add(new MessageExtractor(Fixture.SETTINGS).extract(p));
    }

    /** A QoS report of {@code type} correlated to {@code correlationId} by HEP chunk 0x0011, classified by the collector's extractor. */
    private void report(HepPayloadType type, String correlationId, String src, String dst, String json) {
        t += 1000;
        HepPacket p = new HepPacket(3, 2, 17, ip(src), ip(dst), 5062, 5064, t / 1_000_000, (int) (t % 1_000_000),
                type.number(), 3001, null, correlationId, null, "b2bua-node", json.getBytes(StandardCharsets.UTF_8),
                false, List.of());
        rows.add(new MessageExtractor(Fixture.SETTINGS).extract(p));
    }

    private CapturedMessage nonSip(int protoType, MessageKind kind, String correlationId, String src, String dst, String text) {
        t += 1000;
        Envelope envelope = Envelope.builder().timestampMicros(t).captureId(3001).node("b2bua-node").protoType(protoType)
                .source(ip(src), 5062).destination(ip(dst), 5064).correlationId(correlationId).build();
        return new CapturedMessage(envelope, kind, MessagePart.OPAQUE, text.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String host(String ip) {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
