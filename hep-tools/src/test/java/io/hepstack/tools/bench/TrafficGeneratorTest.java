package io.hepstack.tools.bench;

import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.media.RtcpReport;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.QosReport;
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
                .hasMessageContaining("expected: call, busy, register, options or rtcp");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrafficMix.parse("register=1,rtcp=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mix with rtcp=1 and no call (expected: call > 0 with rtcp: a report is on a call of the run)");
    }

    @Test
    void anRtcpReportIsRtpenginesJsonInHepType5OnTheLatestCallWithItsCallIdAsCorrelationId() throws Exception {
        TrafficGenerator gen = new TrafficGenerator(0xBEEF, 2002, TrafficMix.parse("call=1,rtcp=1"));
        List<HepPacket> run = generate(gen, 3 * 8);
        for (int cycle = 0; cycle < 3; cycle++) {
            List<HepPacket> call = run.subList(cycle * 8, cycle * 8 + 7);
            HepPacket report = run.get(cycle * 8 + 7);
            SipMessage invite = SipParser.parse(call.get(0).payload());
            String inviteText = new String(call.get(0).payload(), StandardCharsets.US_ASCII);
            String okText = new String(call.get(3).payload(), StandardCharsets.US_ASCII);

            assertThat(report.protoType()).isEqualTo(HepPayloadType.RTCP.number());
            assertThat(report.captureId()).isEqualTo(2002);
            assertThat(report.ipProto()).isEqualTo(17);
            assertThat(report.correlationId()).isEqualTo(invite.callId()).startsWith("bench-0000beef-");
            // from A's RTCP port to B's: the ports after those of the SDP offer and answer
            assertThat(report.srcIp()).isEqualTo(call.get(0).srcIp());
            assertThat(report.dstIp()).isEqualTo(call.get(0).dstIp());
            assertThat(report.srcPort()).isEqualTo(mediaPort(inviteText) + 1);
            assertThat(report.dstPort()).isEqualTo(mediaPort(okText) + 1);
            assertThat(report.timestampMicros()).isEqualTo(T0 + cycle * 8 + 7);

            String json = new String(report.payload(), StandardCharsets.US_ASCII);
            assertThat(json).startsWith("{\"sender_information\":{\"ntp_timestamp_sec\":")
                    .contains("\"type\":200,\"report_count\":1,\"report_blocks\":[{\"source_ssrc\":");
            RtcpReport r = RtcpReport.read(report.payload());
            assertThat(r.reports()).hasSize(1);
            RtcpReport.SenderOrReceiver sr = r.reports().get(0);
            assertThat(sr.packetType()).isEqualTo(200);
            assertThat(sr.ssrc()).isBetween(1_000_000_000L, 0xFFFF_FFFFL);
            // the NTP timestamp is the capture time, to the microsecond
            assertThat(sr.sender().wallclockMicros()).isEqualTo(report.timestampMicros());
            assertThat(sr.sender().octets()).isEqualTo(160 * sr.sender().packets());
            assertThat(sr.blocks()).singleElement().satisfies(b -> {
                assertThat(b.sourceSsrc()).isNotEqualTo(sr.ssrc()).isBetween(1_000_000_000L, 0xFFFF_FFFFL);
                assertThat(b.fractionLost()).isBetween(0, 25);
                assertThat(b.cumulativeLost()).isBetween(0, 999);
                assertThat(b.jitter()).isBetween(0L, 399L);
            });
            assertThat(r.cname()).isEqualTo(invite.from().uri().user() + "@" + call.get(0).srcIp().getHostAddress());
        }
    }

    @Test
    void reportsOnTheSameCallKeepItsSsrcsAndEveryReportHasTheSameLengthAndIsStoredAsAReadQosRow() throws Exception {
        TrafficGenerator gen = new TrafficGenerator(7, 2001, TrafficMix.parse("call=1,rtcp=3"));
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        Set<String> callIds = new HashSet<>();
        Map<String, Set<Long>> ssrcsByCall = new HashMap<>();
        Set<Integer> lengths = new HashSet<>();
        List<HepPacket> run = generate(gen, 40 * 10);
        for (HepPacket p : run) {
            if (p.protoType() == HepPayloadType.SIP.number()) {
                callIds.add(SipParser.parse(p.payload()).callId());
                continue;
            }
            lengths.add(p.payload().length);
            RtcpReport r = RtcpReport.read(p.payload());
            ssrcsByCall.computeIfAbsent(p.correlationId(), k -> new HashSet<>()).add(r.reports().get(0).ssrc());
            CapturedMessage row = extractor.extract(p);
            assertThat(row.kind()).isEqualTo(MessageKind.QOS);
            assertThat(row.part()).isInstanceOf(QosReport.class);
            assertThat(row.extra()).startsWith("{\"rtcp\":{\"reports\":[{\"type\":\"sr\"").doesNotContain("rtcpError");
            assertThat(row.envelope().correlationId()).isEqualTo(p.correlationId());
        }
        assertThat(callIds).hasSize(40);
        // three reports a call; those before the first call are on it
        assertThat(ssrcsByCall.keySet()).isEqualTo(callIds);
        assertThat(ssrcsByCall.values()).allSatisfy(ssrcs -> assertThat(ssrcs).hasSize(1));
        assertThat(lengths).hasSize(1);
        assertThat(gen.scenarios()).isEqualTo(160);
    }

    @Test
    void twelveReportsInTheDefaultCycleMakeAboutATenthOfTheMessages() {
        TrafficMix mix = TrafficMix.parse("call=10,busy=2,register=5,options=3,rtcp=12");
        assertThat(mix.messagesPerCycle()).isEqualTo(TrafficMix.DEFAULT.messagesPerCycle() + 12);
        assertThat(12.0 / mix.messagesPerCycle()).isBetween(0.10, 0.11);
    }

    private static int mediaPort(String sip) {
        int m = sip.indexOf("m=audio ") + "m=audio ".length();
        return Integer.parseInt(sip.substring(m, sip.indexOf(' ', m)));
    }
}
