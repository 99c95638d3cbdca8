package io.hepstack.ingest.sip;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.SipFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SipKpisTest {

    private static final long T0 = 1_700_000_000_000_000L;
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private long now = 5 * SECOND_NANOS;

    private SipKpis kpis(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(overrides);
        IngestProperties props = new Binder(new MapConfigurationPropertySource(p)).bindOrCreate("homer.ingest", IngestProperties.class);
        return new SipKpis(registry, props.kpi(), () -> now);
    }

    private static CapturedMessage request(String method, String callId, long cseq, long micros, String node) {
        SipFields f = SipFields.builder().callId(callId).request(method).cseq(cseq, method).from("alice", "ft")
                .to("bob", null).ruriUser("bob").viaBranch("z9hG4bK" + cseq).build();
        return message(f, micros, node);
    }

    private static CapturedMessage reply(int status, String method, String callId, long cseq, long micros, String node) {
        SipFields f = SipFields.builder().callId(callId).status(status).cseq(cseq, method).from("alice", "ft")
                .to("bob", "tt").viaBranch("z9hG4bK" + cseq).build();
        return message(f, micros, node);
    }

    private static CapturedMessage message(SipFields f, long micros, String node) {
        return message(f, micros, node, 2001);
    }

    private static CapturedMessage message(SipFields f, long micros, String node, long captureId) {
        try {
            Envelope e = Envelope.builder().timestampMicros(micros).captureId(captureId).node(node)
                    .source(InetAddress.getByName("192.0.2.1"), 5060).destination(InetAddress.getByName("192.0.2.2"), 5060)
                    .build();
            return new CapturedMessage(e, MessageKind.SIP_CALL, f, "x".getBytes(StandardCharsets.UTF_8), null);
        } catch (java.net.UnknownHostException x) {
            throw new IllegalStateException(x);
        }
    }

    private double messages(String node, String method, String status) {
        Counter c = registry.find("sip.messages").tag("node", node).tag("method", method).tag("status", status).counter();
        return c == null ? 0 : c.count();
    }

    private double untracked(String reason) {
        Counter c = registry.find("sip.kpi.untracked").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private double tracked(String what) {
        return registry.get("sip.kpi.tracked").tag("what", what).gauge().value();
    }

    @Test
    void countsEachMessageByNodeMethodAndStatusRepliesByTheirCSeqMethod() {
        SipKpis k = kpis(Map.of());
        k.accept(request("INVITE", "c1", 1, T0, "edge-1"));
        k.accept(request("INVITE", "c1", 1, T0 + 1, "edge-1"));
        k.accept(reply(486, "INVITE", "c1", 1, T0 + 2, "edge-1"));
        k.accept(request("INVITE", "c2", 1, T0, "edge-2"));
        k.accept(request("FOO", "c3", 1, T0, "edge-1"));
        k.accept(reply(999, "OPTIONS", "c4", 1, T0, "edge-1"));
        assertThat(messages("edge-1", "INVITE", "request")).isEqualTo(2);
        assertThat(messages("edge-1", "INVITE", "486")).isEqualTo(1);
        assertThat(messages("edge-2", "INVITE", "request")).isEqualTo(1);
        assertThat(messages("edge-1", "OTHER", "request")).isEqualTo(1);
        assertThat(messages("edge-1", "OPTIONS", "other")).isEqualTo(1);
        assertThat(SipKpis.statusLabel(SipKpis.statusSlot(100))).isEqualTo("100");
        assertThat(SipKpis.statusLabel(SipKpis.statusSlot(699))).isEqualTo("699");
        assertThat(SipKpis.statusLabel(SipKpis.statusSlot(99))).isEqualTo("other");
        assertThat(SipKpis.statusLabel(SipKpis.statusSlot(null))).isEqualTo("other");
    }

    @Test
    void recordsEachDelayOnceThoughEveryMessageIsCapturedTwice() {
        SipKpis k = kpis(Map.of());
        for (int copy = 0; copy < 2; copy++) { // a proxy's siptrace: received and sent
            k.accept(request("INVITE", "c1", 1, T0 + copy, "edge-1"));
        }
        for (int copy = 0; copy < 2; copy++) {
            k.accept(reply(200, "INVITE", "c1", 1, T0 + 150_000 + copy, "edge-1"));
        }
        for (int copy = 0; copy < 2; copy++) {
            k.accept(request("BYE", "c1", 2, T0 + 60_000_000 + copy, "edge-1"));
        }
        k.accept(request("REGISTER", "r1", 7, T0, "edge-1"));
        k.accept(reply(401, "REGISTER", "r1", 7, T0 + 20_000, "edge-1"));
        k.accept(request("REGISTER", "r1", 8, T0 + 30_000, "edge-1")); // the next CSeq: a transaction of its own
        k.accept(reply(200, "REGISTER", "r1", 8, T0 + 70_000, "edge-1"));

        assertThat(registry.get("sip.srd").timer().count()).isEqualTo(1);
        assertThat(registry.get("sip.srd").timer().totalTime(TimeUnit.MICROSECONDS)).isEqualTo(150_000);
        assertThat(registry.get("sip.session.duration").timer().count()).isEqualTo(1);
        assertThat(registry.get("sip.session.duration").timer().totalTime(TimeUnit.SECONDS)).isCloseTo(59.85, org.assertj.core.data.Offset.offset(0.01));
        assertThat(registry.get("sip.rrd").timer().count()).isEqualTo(2);
        assertThat(registry.get("sip.rrd").timer().totalTime(TimeUnit.MICROSECONDS)).isEqualTo(60_000);
    }

    @Test
    void anEndedTransactionLingersHalfAMinuteSoALateCopyDoesNotCountItAgainThenIsForgotten() {
        SipKpis k = kpis(Map.of());
        k.accept(request("INVITE", "c1", 1, T0, "edge-1"));
        k.accept(reply(486, "INVITE", "c1", 1, T0 + 1000, "edge-1"));
        now += 20 * SECOND_NANOS; // within the linger: the retransmitted INVITE and its reply count nothing
        k.accept(request("INVITE", "c1", 1, T0 + 20_000_000, "edge-1"));
        k.accept(reply(486, "INVITE", "c1", 1, T0 + 20_001_000, "edge-1"));
        assertThat(registry.get("sip.srd").timer().count()).isEqualTo(1);
        assertThat(tracked("transactions")).isEqualTo(1);

        now += 13 * SECOND_NANOS; // 33 s after it ended: forgotten at the next sweep, not counted as untracked
        k.accept(request("OPTIONS", "o1", 1, T0, "edge-1"));
        assertThat(tracked("transactions")).isZero();
        assertThat(untracked("transaction_expired")).isZero();
    }

    @Test
    void anUnansweredTransactionExpiresAndIsCountedAsUntracked() {
        SipKpis k = kpis(Map.of("homer.ingest.kpi.transaction-expiry", "2m"));
        k.accept(request("INVITE", "c1", 1, T0, "edge-1"));
        now += 60 * SECOND_NANOS;
        k.accept(request("OPTIONS", "o1", 1, T0, "edge-1"));
        assertThat(tracked("transactions")).as("open, younger than its expiry").isEqualTo(1);
        now += 61 * SECOND_NANOS;
        k.accept(request("OPTIONS", "o1", 1, T0, "edge-1"));
        assertThat(tracked("transactions")).isZero();
        assertThat(untracked("transaction_expired")).isEqualTo(1);
        k.accept(reply(200, "INVITE", "c1", 1, T0 + 1, "edge-1")); // too late: no delay
        assertThat(registry.get("sip.srd").timer().count()).isZero();
    }

    @Test
    void aFullMapCountsWhatItCannotTrackAndEndedOnesMakeRoomOnceTheirLingerIsOver() {
        SipKpis k = kpis(Map.of("homer.ingest.kpi.max-tracked", "10"));
        for (int i = 0; i < 10; i++) {
            k.accept(request("INVITE", "c" + i, 1, T0, "edge-1"));
            k.accept(reply(404, "INVITE", "c" + i, 1, T0 + 1, "edge-1"));
        }
        k.accept(request("INVITE", "late", 1, T0, "edge-1"));
        assertThat(untracked("full")).isEqualTo(1);
        now += 33 * SECOND_NANOS; // the ten ended ones are forgotten at this message's sweep
        k.accept(request("OPTIONS", "o1", 1, T0, "edge-1"));
        k.accept(request("INVITE", "later", 1, T0, "edge-1"));
        k.accept(reply(200, "INVITE", "later", 1, T0 + 5, "edge-1"));
        assertThat(untracked("full")).isEqualTo(1);
        assertThat(registry.get("sip.srd").timer().count()).isEqualTo(11);
    }

    @Test
    void anAgentWithoutANodeNameIsLabelledByItsCaptureIdEvenAmongManyThatShareItsSlot() {
        SipKpis k = kpis(Map.of("homer.ingest.kpi.max-nodes", "150"));
        for (int round = 0; round < 2; round++) {
            for (long id = 1; id <= 200; id++) { // ids 1, 65, 129... share a slot of the label cache
                k.accept(message(SipFields.builder().callId("c").request("OPTIONS").cseq(1, "OPTIONS").build(), T0, null, id));
            }
        }
        assertThat(messages("1", "OPTIONS", "request")).isEqualTo(2);
        assertThat(messages("65", "OPTIONS", "request")).isEqualTo(2);
        assertThat(messages("150", "OPTIONS", "request")).isEqualTo(2);
        assertThat(messages("other", "OPTIONS", "request")).as("ids beyond max-nodes").isEqualTo(100);
        assertThat(messages("151", "OPTIONS", "request")).isZero();
    }

    @Test
    void keysOfDifferentTransactionsDiffer() {
        Set<Long> keys = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            keys.add(SipKpis.key("call-" + i + "@10.0.0.1", 1L, 0));
        }
        keys.add(SipKpis.key("call-0@10.0.0.1", 2L, 0)); // the next CSeq
        keys.add(SipKpis.key("call-0@10.0.0.1", 1L, 4)); // another method
        keys.add(SipKpis.key("call-0@10.0.0.1", null, -1)); // the session
        assertThat(keys).hasSize(100_003);
        assertThat(SipKpis.key("call-0@10.0.0.1", 1L, 0)).isEqualTo(SipKpis.key(new String("call-0@10.0.0.1"), 1L, 0));
    }
}
