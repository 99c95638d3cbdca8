package io.hepstack.tools.bench;

import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficGeneratorTest {

    private static final long T0 = 1_800_000_000_123_456L;
    private final HepDecoder decoder = new HepDecoder();

    private List<HepPacket> generate(TrafficGenerator gen, int n) throws Exception {
        List<HepPacket> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(decoder.decode(gen.next(T0 + i)));
        }
        return out;
    }

    @Test
    void everyMessageIsSipThatParsesWithAMatchingContentLengthAndASizeBetween500And1200Bytes() throws Exception {
        TrafficGenerator gen = new TrafficGenerator(0xCAFE, 2001, TrafficMix.DEFAULT);
        for (HepPacket p : generate(gen, 3 * TrafficMix.DEFAULT.messagesPerCycle())) {
            assertThat(p.version()).isEqualTo(3);
            assertThat(p.protoType()).isEqualTo(1);
            assertThat(p.captureId()).isEqualTo(2001);
            SipMessage sip = SipParser.parse(p.payload());
            String text = new String(p.payload(), StandardCharsets.US_ASCII);
            int body = text.indexOf("\r\n\r\n") + 4;
            assertThat(text.substring(body).length()).as(text)
                    .isEqualTo(sip.contentLength());
            assertThat(p.payload().length).as(text).isBetween(500, 1200);
            assertThat(sip.callId()).startsWith("bench-0000cafe-");
        }
    }

    @Test
    void repliesTravelBackFromBToAAndCarryTheTimestampGiven() throws Exception {
        TrafficGenerator gen = new TrafficGenerator(1, 7, TrafficMix.parse("call=1"));
        List<HepPacket> call = generate(gen, 7);
        HepPacket invite = call.get(0);
        HepPacket ok = call.get(3);
        assertThat(ok.srcIp()).isEqualTo(invite.dstIp());
        assertThat(ok.dstIp()).isEqualTo(invite.srcIp());
        assertThat(invite.srcIp().getAddress()[0]).isEqualTo((byte) 10);
        assertThat(invite.timestampMicros()).isEqualTo(T0);
        assertThat(call.get(6).timestampMicros()).isEqualTo(T0 + 6);
        String inviteText = new String(invite.payload(), StandardCharsets.US_ASCII);
        assertThat(inviteText).contains("c=IN IP4 " + invite.srcIp().getHostAddress() + "\r\n");
        List<String> firstLines = call.stream()
                .map(p -> new String(p.payload(), StandardCharsets.US_ASCII).split("\r\n")[0]).toList();
        assertThat(firstLines).extracting(l -> l.split(" ")[0].equals("SIP/2.0") ? l.split(" ")[1] : l.split(" ")[0])
                .containsExactly("INVITE", "100", "180", "200", "ACK", "BYE", "200");
    }

    @Test
    void eachScenarioHasItsOwnCallIdTagsAndBranchAndTheMessagesItsFlowNeeds() throws Exception {
        TrafficGenerator gen = new TrafficGenerator(42, 2001, TrafficMix.DEFAULT);
        int n = 100 * TrafficMix.DEFAULT.messagesPerCycle();
        Map<String, List<SipMessage>> byCallId = new LinkedHashMap<>();
        for (HepPacket p : generate(gen, n)) {
            SipMessage sip = SipParser.parse(p.payload());
            byCallId.computeIfAbsent(sip.callId(), k -> new ArrayList<>()).add(sip);
        }
        assertThat(byCallId).hasSize(2000);
        assertThat(gen.scenarios()).isEqualTo(2000);
        Set<String> fromTags = new HashSet<>();
        Set<String> branches = new HashSet<>();
        Set<String> callers = new HashSet<>();
        Map<String, Integer> flows = new HashMap<>();
        for (List<SipMessage> flow : byCallId.values()) {
            fromTags.add(flow.get(0).from().tag());
            branches.add(flow.get(0).via().branch());
            if (!flow.get(0).cseq().method().equals("OPTIONS")) {
                callers.add(flow.get(0).from().uri().user());
            }
            String shape = flow.get(0).cseq().method() + "/" + flow.size();
            flows.merge(shape, 1, Integer::sum);
            for (SipMessage m : flow) {
                assertThat(m.from().tag()).isEqualTo(flow.get(0).from().tag());
            }
        }
        assertThat(fromTags).hasSize(2000);
        assertThat(branches).hasSize(2000);
        assertThat(callers.size()).isGreaterThan(1690); // of 1700 calls and registrations
        // 100 cycles of call=10, busy=2, register=5, options=3
        assertThat(flows).containsOnly(Map.entry("INVITE/7", 1000), Map.entry("INVITE/4", 200),
                Map.entry("REGISTER/4", 500), Map.entry("OPTIONS/2", 300));
    }

    @Test
    void theMixHoldsItsProportionsInEveryWindowOfOneCycle() {
        TrafficMix mix = TrafficMix.parse("call=10,busy=2,register=5,options=3");
        List<Scenario> cycle = mix.cycle();
        assertThat(cycle).hasSize(20);
        Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
        cycle.forEach(s -> counts.merge(s, 1, Integer::sum));
        assertThat(counts).containsEntry(Scenario.CALL, 10).containsEntry(Scenario.BUSY, 2)
                .containsEntry(Scenario.REGISTER, 5).containsEntry(Scenario.OPTIONS, 3);
        assertThat(cycle.subList(0, 4)).contains(Scenario.CALL, Scenario.REGISTER); // interleaved, not grouped
        assertThat(mix.messagesPerCycle()).isEqualTo(10 * 7 + 2 * 4 + 5 * 4 + 3 * 2);
    }

    @Test
    void theSameRunIdGivesTheSameMessagesAndAnotherOneDifferentCallIds() throws Exception {
        List<HepPacket> a = generate(new TrafficGenerator(99, 2001, TrafficMix.DEFAULT), 300);
        List<HepPacket> b = generate(new TrafficGenerator(99, 2001, TrafficMix.DEFAULT), 300);
        List<HepPacket> c = generate(new TrafficGenerator(100, 2001, TrafficMix.DEFAULT), 300);
        assertThat(a).isEqualTo(b);
        assertThat(SipParser.parse(a.get(0).payload()).callId())
                .isNotEqualTo(SipParser.parse(c.get(0).payload()).callId());
    }

    @Test
    void rejectsAMixWithoutAnyScenario() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrafficMix.parse("call=0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one positive weight");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrafficMix.parse("fax=1"))
                .hasMessageContaining("expected: call, busy, register or options");
    }
}
