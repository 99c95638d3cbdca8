package io.hepstack.proto.call;

import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.testing.Captures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Call records from the real Kamailio capture (every message mirrored at the proxy) and from crafted calls. */
class DialogRecorderTest {

    static final Duration RING = Duration.ofMinutes(3);
    static final MessageExtractor EXTRACTOR = new MessageExtractor(ExtractionSettings.DEFAULT);
    static final Map<String, List<CapturedMessage>> KAMAILIO = new LinkedHashMap<>();

    @BeforeAll
    static void readTheCapture() {
        for (CapturedMessage m : Captures.kamailio(ExtractionSettings.DEFAULT)) {
            KAMAILIO.computeIfAbsent(m.callId(), k -> new ArrayList<>()).add(m);
        }
    }

    private static CallRecord record(List<CapturedMessage> messages) {
        long last = messages.stream().mapToLong(m -> m.envelope().timestampMicros()).max().orElseThrow();
        return DialogRecorder.record(messages, last + 1_000_000, RING);
    }

    @Test
    void everyBasicCallOfTheCaptureCompletedAndTheCallerHungUp() {
        List<String> basic = KAMAILIO.keySet().stream().filter(id -> Character.isDigit(id.charAt(0))).toList();
        assertThat(basic).hasSize(30);
        for (String callId : basic) {
            CallRecord r = record(KAMAILIO.get(callId));
            assertThat(r.callId()).isEqualTo(callId);
            assertThat(r.outcome().state()).as(callId).isEqualTo(CallState.COMPLETED);
            assertThat(r.outcome().hangupBy()).as(callId).isEqualTo(HangupBy.CALLER);
            assertThat(r.outcome().finalStatus()).isEqualTo(200);
            assertThat(r.outcome().finalPhrase()).isEqualTo("OK");
            assertThat(r.caller().user()).isEqualTo("sipp");
            assertThat(r.callee().user()).isEqualTo("1000");
            assertThat(r.times().pddMs()).isNotNull().isLessThan(1_000);
            assertThat(r.times().durationMs()).as(callId).isBetween(400L, 2_000L);
            assertThat(r.times().firstProvisionalAt()).isLessThanOrEqualTo(r.times().ringingAt());
            assertThat(r.times().endedAt()).isGreaterThan(r.times().answeredAt());
            // mirrored at the proxy as received and as sent: each message counts once, none is a retransmission
            assertThat(r.counts().messages()).as(callId).isEqualTo(distinct(KAMAILIO.get(callId)));
            assertThat(r.counts().retransmissions()).isZero();
            assertThat(r.counts().inviteHops()).as("received and sent by the proxy").isEqualTo(2);
            assertThat(r.source()).isNotNull();
            assertThat(r.target()).isNotNull().isNotEqualTo(r.source());
            assertThat(r.nodes()).containsExactly("2001");
        }
    }

    @Test
    void theReadingNamesTheMediaEndsOfEveryOfferAndAnswerOfEveryCopy() {
        for (List<CapturedMessage> call : KAMAILIO.values()) {
            long last = call.stream().mapToLong(m -> m.envelope().timestampMicros()).max().orElseThrow();
            DialogRecorder.Reading reading = DialogRecorder.read(call, last + 1_000_000, RING);
            if (reading == null) {
                continue;
            }
            MediaEndpoints each = new MediaEndpoints();
            call.forEach(m -> each.add(m.payload()));
            assertThat(reading.media().ends()).as("the SDP of every message, parsed once with the record")
                    .containsExactlyInAnyOrderElementsOf(each.ends());
            assertThat(reading.record()).isEqualTo(record(call));
        }
        CallRecord anyBasic = record(KAMAILIO.values().iterator().next());
        assertThat(anyBasic.codecs()).isNotEmpty();
        List<CapturedMessage> first = KAMAILIO.get(anyBasic.callId());
        assertThat(DialogRecorder.read(first, first.get(0).envelope().timestampMicros() + 1, RING).media().ends())
                .as("an offer and an answer with RTP and RTCP ports").hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void everyBusyCallOfTheCaptureWasTheCallees486() {
        List<String> busy = KAMAILIO.keySet().stream().filter(id -> id.startsWith("busy-")).toList();
        assertThat(busy).hasSize(10);
        for (String callId : busy) {
            CallRecord r = record(KAMAILIO.get(callId));
            assertThat(r.outcome().state()).as(callId).isEqualTo(CallState.BUSY);
            assertThat(r.outcome().finalStatus()).isEqualTo(486);
            assertThat(r.outcome().hangupBy()).as(callId).isEqualTo(HangupBy.CALLEE);
            assertThat(r.times().answeredAt()).isNull();
            assertThat(r.times().durationMs()).isNull();
            assertThat(r.times().endedAt()).isNotNull();
        }
    }

    @Test
    void registrationsAndKeepAlivesAreNotCalls() {
        KAMAILIO.forEach((callId, messages) -> {
            if (callId.startsWith("reg-") || callId.startsWith("opt-")) {
                assertThat(record(messages)).as(callId).isNull();
            }
        });
    }

    @Test
    void theRecordDependsOnTheMessagesNotOnTheirOrderOrCollector() {
        for (List<CapturedMessage> messages : KAMAILIO.values()) {
            CallRecord expected = record(messages);
            List<CapturedMessage> shuffled = new ArrayList<>(messages);
            Collections.shuffle(shuffled, new Random(7));
            assertThat(record(shuffled)).isEqualTo(expected);
        }
    }

    // Crafted calls: A (caller, 10.0.0.1) -> P (proxy, 10.0.0.5) -> B (callee, 10.0.0.9), captured at P as sent and received.

    static final String A = "10.0.0.1:5060";
    static final String P = "10.0.0.5:5060";
    static final String B = "10.0.0.9:5060";

    /** A call's messages as the proxy mirrors them. */
    static final class Call {
        final String callId;
        final List<CapturedMessage> messages = new ArrayList<>();
        long t = 1_800_000_000_000_000L;
        int captureId = 2001;

        Call(String callId) {
            this.callId = callId;
        }

        /** One message from src to dst, {@code ms} after the previous one. */
        Call send(long ms, String src, String dst, String startLine, String cseq, String fromTag, String toTag, String... more) {
            t += ms * 1000;
            StringBuilder b = new StringBuilder(startLine).append("\r\n")
                    .append("Via: SIP/2.0/UDP ").append(src).append(";branch=z9hG4bK").append(cseq.hashCode() & 0xffff).append("\r\n")
                    .append("From: \"Alice\" <sip:alice@example.com>;tag=").append(fromTag).append("\r\n")
                    .append("To: <sip:+4930123@example.com>").append(toTag == null ? "" : ";tag=" + toTag).append("\r\n")
                    .append("Call-ID: ").append(callId).append("\r\nCSeq: ").append(cseq).append("\r\n");
            String body = "";
            for (String h : more) {
                if (h.startsWith("v=0")) {
                    body = h;
                } else {
                    b.append(h).append("\r\n");
                }
            }
            if (!body.isEmpty()) {
                b.append("Content-Type: application/sdp\r\n");
            }
            b.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
            String[] s = src.split(":");
            String[] d = dst.split(":");
            HepPacket p = HepPacket.builder().addresses(ip(s[0]), Integer.parseInt(s[1]), ip(d[0]), Integer.parseInt(d[1]))
                    .ipProto(17).timestampMicros(t).protoType(HepPayloadType.SIP.number()).captureId(captureId)
                    .payload(b.toString().getBytes(StandardCharsets.UTF_8)).build();
            messages.add(EXTRACTOR.extract(p));
            return this;
        }

        /** The message sent from {@code src} to the proxy and forwarded by it to {@code dst}, 1 ms later. */
        Call via(long ms, String src, String dst, String startLine, String cseq, String fromTag, String toTag, String... more) {
            send(ms, src, P, startLine, cseq, fromTag, toTag, more);
            return send(1, P, dst, startLine, cseq, fromTag, toTag, more);
        }

        Call invite(long ms) {
            return via(ms, A, B, "INVITE sip:+4930123@example.com SIP/2.0", "1 INVITE", "a1", null,
                    "User-Agent: softphone/2", "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                            + "m=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n");
        }

        CallRecord record(long nowMicros) {
            return DialogRecorder.record(messages, nowMicros, RING);
        }

        CallRecord record() {
            return record(t + 1_000_000);
        }
    }

    static Call answered(String callId) {
        return new Call(callId).invite(0)
                .send(1, P, A, "SIP/2.0 100 Trying", "1 INVITE", "a1", null)
                .via(300, B, A, "SIP/2.0 180 Ringing", "1 INVITE", "a1", "b1", "Server: pbx/9")
                .via(4_000, B, A, "SIP/2.0 200 OK", "1 INVITE", "a1", "b1", "Server: pbx/9",
                        "v=0\r\no=- 2 2 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\n"
                                + "m=audio 5000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n")
                .via(10, A, B, "ACK sip:+4930123@10.0.0.9 SIP/2.0", "1 ACK", "a1", "b1");
    }

    @Test
    void theCalleeHangsUp() {
        CallRecord r = answered("callee-bye@test")
                .via(30_000, B, A, "BYE sip:alice@10.0.0.1 SIP/2.0", "1 BYE", "b1", "a1",
                        "Reason: Q.850;cause=16;text=\"Normal call clearing\"")
                .via(5, A, B, "SIP/2.0 200 OK", "1 BYE", "b1", "a1").record();
        assertThat(r.outcome().state()).isEqualTo(CallState.COMPLETED);
        assertThat(r.outcome().hangupBy()).isEqualTo(HangupBy.CALLEE);
        assertThat(r.outcome().reason()).isEqualTo(new Reason("Q.850", 16, "Normal call clearing"));
        assertThat(r.times().pddMs()).isEqualTo(302);
        assertThat(r.times().setupMs()).isEqualTo(4_303);
        assertThat(r.times().ringMs()).isEqualTo(4_001);
        assertThat(r.times().durationMs()).isEqualTo(30_012);
        assertThat(r.caller()).isEqualTo(new CallRecord.Party("alice", "Alice", "softphone/2"));
        assertThat(r.callee()).isEqualTo(new CallRecord.Party("+4930123", null, "pbx/9"));
        assertThat(r.source()).isEqualTo(new InetSocketAddress(ip("10.0.0.1"), 5060));
        assertThat(r.target()).isEqualTo(new InetSocketAddress(ip("10.0.0.9"), 5060));
        assertThat(r.codecs()).containsExactly("PCMA/8000", "101"); // the answer's, as the SDP names them (101 has no rtpmap)
        // INVITE, 100, 180, 200, ACK, BYE, 200: each captured twice but the proxy's own 100; the INVITE at two hops
        assertThat(r.counts()).isEqualTo(new CallRecord.Counts(7, 0, 0, 2));
    }

    @Test
    void aCallInProgressStaysAnsweredWhateverItsLength() {
        Call call = answered("long@test");
        CallRecord r = call.record(call.t + Duration.ofHours(5).toNanos() / 1000);
        assertThat(r.outcome().state()).isEqualTo(CallState.ANSWERED);
        assertThat(r.outcome().hangupBy()).isEqualTo(HangupBy.UNKNOWN);
        assertThat(r.times().endedAt()).isNull();
        assertThat(r.times().durationMs()).isNull();
    }

    @Test
    void theCallerCancelsWhileItRings() {
        CallRecord r = new Call("cancel@test").invite(0)
                .via(200, B, A, "SIP/2.0 180 Ringing", "1 INVITE", "a1", "b1")
                .via(8_000, A, B, "CANCEL sip:+4930123@example.com SIP/2.0", "1 CANCEL", "a1", null,
                        "Reason: SIP;cause=487;text=\"Request Terminated\"")
                .via(1, B, A, "SIP/2.0 200 OK", "1 CANCEL", "a1", "b1")
                .via(1, B, A, "SIP/2.0 487 Request Terminated", "1 INVITE", "a1", "b1")
                .via(1, A, B, "ACK sip:+4930123@example.com SIP/2.0", "1 ACK", "a1", "b1").record();
        assertThat(r.outcome().state()).isEqualTo(CallState.CANCELLED);
        assertThat(r.outcome().hangupBy()).isEqualTo(HangupBy.CALLER);
        assertThat(r.outcome().finalStatus()).isEqualTo(487);
        assertThat(r.outcome().reason()).isEqualTo(new Reason("SIP", 487, "Request Terminated"));
        assertThat(r.times().endedAt()).isEqualTo(r.times().startedAt() + (1 + 200 + 1 + 8_000) * 1000L);
        assertThat(r.times().ringMs()).isEqualTo(8_001);
    }

    @Test
    void aProxysOwn503IsTheNetworksWithItsQ850Cause() {
        CallRecord r = new Call("503@test").invite(0)
                .send(1, P, A, "SIP/2.0 100 Trying", "1 INVITE", "a1", null)
                .send(32_000, P, A, "SIP/2.0 503 Service Unavailable", "1 INVITE", "a1", "p9",
                        "Reason: Q.850;cause=34;text=\"No circuit/channel available\"")
                .send(1, A, P, "ACK sip:+4930123@example.com SIP/2.0", "1 ACK", "a1", "p9").record();
        assertThat(r.outcome().state()).isEqualTo(CallState.FAILED);
        assertThat(r.outcome().hangupBy()).isEqualTo(HangupBy.NETWORK);
        assertThat(r.outcome().finalPhrase()).isEqualTo("Service Unavailable");
        assertThat(r.outcome().reason().cause()).isEqualTo(34);
        assertThat(r.outcome().reason().isQ850()).isTrue();
        assertThat(r.times().pddMs()).isNull();
    }

    @Test
    void aProxysRingTimeoutIsTheNetworksNoAnswerAndItsTwoAcksAreTwoMessages() {
        // CallScenariosIT's ring-timeout call: Kamailio's INVITE timer fires while the callee rings; it answers 408
        // to the caller and cancels the callee, whose 487 it acknowledges itself. Until this test the ACK of the 487
        // (To tag b1) and the caller's ACK of the 408 (To tag p7) were counted as one message.
        Call call = new Call("proxy-ring-timeout@test").invite(0)
                .send(1, P, A, "SIP/2.0 100 Trying", "1 INVITE", "a1", null)
                .via(20, B, A, "SIP/2.0 180 Ringing", "1 INVITE", "a1", "b1");
        long ringing = call.t;
        CallRecord r = call.send(1_500, P, A, "SIP/2.0 408 Request Timeout", "1 INVITE", "a1", "p7")
                .send(1, P, B, "CANCEL sip:+4930123@example.com SIP/2.0", "1 CANCEL", "a1", null)
                .send(1, B, P, "SIP/2.0 200 OK", "1 CANCEL", "a1", "b1")
                .send(1, B, P, "SIP/2.0 487 Request Terminated", "1 INVITE", "a1", "b1")
                .send(1, P, B, "ACK sip:+4930123@example.com SIP/2.0", "1 ACK", "a1", "b1")
                .send(1, A, P, "ACK sip:+4930123@example.com SIP/2.0", "1 ACK", "a1", "p7").record();
        assertThat(r.outcome()).isEqualTo(new CallRecord.Outcome(CallState.NO_ANSWER, 408, "Request Timeout",
                HangupBy.NETWORK, null));
        assertThat(r.times().endedAt()).isEqualTo(ringing + 1_500_000);
        assertThat(r.times().ringMs()).as("from the 180 the callee sent, 1 ms before the proxy relayed it").isEqualTo(1_501);
        // INVITE, 100, 180, 408, CANCEL, its 200, 487, the proxy's ACK, the caller's ACK
        assertThat(r.counts()).isEqualTo(new CallRecord.Counts(9, 0, 0, 2));
    }

    @Test
    void aChallengeAnsweredWithCredentialsIsOneCallFromItsFirstInvite() {
        Call call = new Call("auth@test").invite(0)
                .send(1, P, A, "SIP/2.0 407 Proxy Authentication Required", "1 INVITE", "a1", "p1")
                .send(1, A, P, "ACK sip:+4930123@example.com SIP/2.0", "1 ACK", "a1", "p1");
        long first = call.messages.get(0).envelope().timestampMicros();
        CallRecord r = call.via(20, A, B, "INVITE sip:+4930123@example.com SIP/2.0", "2 INVITE", "a1", null,
                        "Proxy-Authorization: Digest username=\"alice\"")
                .via(100, B, A, "SIP/2.0 200 OK", "2 INVITE", "a1", "b1")
                .via(5, A, B, "ACK sip:+4930123@10.0.0.9 SIP/2.0", "2 ACK", "a1", "b1")
                .via(1_000, A, B, "BYE sip:+4930123@10.0.0.9 SIP/2.0", "3 BYE", "a1", "b1").record();
        assertThat(r.outcome().state()).isEqualTo(CallState.COMPLETED);
        assertThat(r.outcome().hangupBy()).isEqualTo(HangupBy.CALLER);
        assertThat(r.outcome().finalStatus()).isEqualTo(200);
        assertThat(r.times().startedAt()).isEqualTo(first);

        CallRecord challengedOnly = new Call("auth-only@test").invite(0)
                .send(1, P, A, "SIP/2.0 401 Unauthorized", "1 INVITE", "a1", "p1")
                .send(1, A, P, "ACK sip:+4930123@example.com SIP/2.0", "1 ACK", "a1", "p1").record();
        assertThat(challengedOnly.outcome().state()).isEqualTo(CallState.AUTH_CHALLENGED_ONLY);
    }

    @Test
    void aCallNeverAnsweredRingsUntilItsTimeoutThenWasNotAnswered() {
        Call call = new Call("ring@test").invite(0).via(500, B, A, "SIP/2.0 180 Ringing", "1 INVITE", "a1", "b1");
        long start = call.messages.get(0).envelope().timestampMicros();
        CallRecord ringing = call.record(start + RING.toNanos() / 1000 - 1);
        assertThat(ringing.outcome().state()).isEqualTo(CallState.RINGING);
        assertThat(ringing.outcome().hangupBy()).isEqualTo(HangupBy.UNKNOWN);
        assertThat(ringing.times().endedAt()).isNull();
        CallRecord timedOut = call.record(start + RING.toNanos() / 1000);
        assertThat(timedOut.outcome().state()).isEqualTo(CallState.NO_ANSWER);
        assertThat(timedOut.outcome().hangupBy()).isEqualTo(HangupBy.TIMEOUT);
        assertThat(timedOut.times().endedAt()).isEqualTo(start + RING.toNanos() / 1000);
    }

    @Test
    void retransmissionsAndReInvitesAreCountedAndASecondCaptureAgentIsNot() {
        Call call = answered("retrans@test")
                .send(500, A, P, "INVITE sip:+4930123@example.com SIP/2.0", "1 INVITE", "a1", null) // a late retransmission
                .via(10_000, A, B, "INVITE sip:+4930123@10.0.0.9 SIP/2.0", "2 INVITE", "a1", "b1") // hold
                .via(1_000, A, B, "BYE sip:+4930123@10.0.0.9 SIP/2.0", "3 BYE", "a1", "b1")
                .via(1_000, A, B, "BYE sip:+4930123@10.0.0.9 SIP/2.0", "3 BYE", "a1", "b1"); // retransmitted
        CallRecord one = call.record();
        assertThat(one.counts().retransmissions()).isEqualTo(3); // the INVITE once, the BYE twice (two hops)
        assertThat(one.counts().reInvites()).isEqualTo(1);
        assertThat(one.outcome().state()).isEqualTo(CallState.COMPLETED);
        assertThat(one.times().endedAt()).as("the first BYE ends it").isLessThan(call.t - 1_000_000);

        // the same packets captured by a second agent (another capture id) as well: the same call
        List<CapturedMessage> twice = new ArrayList<>(call.messages);
        for (CapturedMessage m : call.messages) {
            HepPacket p = HepPacket.builder().addresses(m.envelope().srcIp(), m.envelope().srcPort(), m.envelope().dstIp(),
                    m.envelope().dstPort()).ipProto(17).timestampMicros(m.envelope().timestampMicros() + 50)
                    .protoType(1).captureId(3001).node("tap-2").payload(m.payload()).build();
            twice.add(EXTRACTOR.extract(p));
        }
        CallRecord both = DialogRecorder.record(twice, call.t + 1_000_000, RING);
        assertThat(both.counts()).isEqualTo(new CallRecord.Counts(one.counts().messages(), one.counts().retransmissions(),
                one.counts().reInvites(), 4)); // the second agent is a capture point of the INVITE on each of its links
        assertThat(one.counts().inviteHops()).isEqualTo(2);
        assertThat(both.outcome()).isEqualTo(one.outcome());
        assertThat(both.times()).isEqualTo(one.times());
        assertThat(both.nodes()).containsExactly("2001", "tap-2");
    }

    // A forked INVITE: the proxy forks A's INVITE to three devices B, C and D.

    static final String C = "10.0.0.10:5060";
    static final String D = "10.0.0.11:5060";

    static InetSocketAddress at(String address) {
        String[] s = address.split(":");
        return new InetSocketAddress(ip(s[0]), Integer.parseInt(s[1]));
    }

    /** A's INVITE forked by the proxy to B, C and D. */
    static Call forked(String callId) {
        return forked(callId, new Call(callId).t);
    }

    /** A's INVITE forked by the proxy to B, C and D, {@code start} µs since the epoch. */
    static Call forked(String callId, long start) {
        Call call = new Call(callId);
        call.t = start - 1000;
        return call.send(1, A, P, "INVITE sip:+4930123@example.com SIP/2.0", "1 INVITE", "a1", null)
                .send(1, P, A, "SIP/2.0 100 Trying", "1 INVITE", "a1", null)
                .send(1, P, B, "INVITE sip:+4930123@10.0.0.9 SIP/2.0", "1 INVITE", "a1", null)
                .send(1, P, C, "INVITE sip:+4930123@10.0.0.10 SIP/2.0", "1 INVITE", "a1", null)
                .send(1, P, D, "INVITE sip:+4930123@10.0.0.11 SIP/2.0", "1 INVITE", "a1", null);
    }

    /** B and C ring, C answers, the proxy cancels B and D, which answer 487. */
    static Call forkAnsweredByC(String callId) {
        return forkAnsweredByC(callId, new Call(callId).t);
    }

    /** {@link #forkAnsweredByC(String)} whose INVITE was sent at {@code start}, µs since the epoch. */
    static Call forkAnsweredByC(String callId, long start) {
        return forked(callId, start)
                .via(200, B, A, "SIP/2.0 180 Ringing", "1 INVITE", "a1", "b1")
                .via(100, C, A, "SIP/2.0 180 Ringing", "1 INVITE", "a1", "c1")
                .via(3_000, C, A, "SIP/2.0 200 OK", "1 INVITE", "a1", "c1")
                .send(1, P, B, "CANCEL sip:+4930123@10.0.0.9 SIP/2.0", "1 CANCEL", "a1", null,
                        "Reason: SIP;cause=200;text=\"Call completed elsewhere\"")
                .send(1, P, D, "CANCEL sip:+4930123@10.0.0.11 SIP/2.0", "1 CANCEL", "a1", null)
                .send(2, B, P, "SIP/2.0 200 OK", "1 CANCEL", "a1", "b1")
                .send(1, B, P, "SIP/2.0 487 Request Terminated", "1 INVITE", "a1", "b1")
                .send(1, D, P, "SIP/2.0 487 Request Terminated", "1 INVITE", "a1", "d1")
                .send(1, P, B, "ACK sip:+4930123@10.0.0.9 SIP/2.0", "1 ACK", "a1", "b1")
                .send(1, P, D, "ACK sip:+4930123@10.0.0.11 SIP/2.0", "1 ACK", "a1", "d1")
                .via(5, A, C, "ACK sip:+4930123@10.0.0.10 SIP/2.0", "1 ACK", "a1", "c1");
    }

    @Test
    void aForkToThreeDevicesGivesThreeDialogsAndMarksTheOneThatAnswered() {
        Call call = forkAnsweredByC("fork-3@test");
        long start = call.messages.get(0).envelope().timestampMicros();
        CallRecord r = call.via(20_000, A, C, "BYE sip:+4930123@10.0.0.10 SIP/2.0", "2 BYE", "a1", "c1").record();
        assertThat(r.outcome().state()).isEqualTo(CallState.COMPLETED);
        assertThat(r.outcome().finalStatus()).isEqualTo(200);
        assertThat(r.outcome().hangupBy()).isEqualTo(HangupBy.CALLER);
        long ms = 1000;
        // B's 180 left B 204 ms after the INVITE, C's 101 ms later; D replied only its 487, 3 s later
        assertThat(r.dialogs()).isEqualTo(new CallRecord.Dialogs(List.of(
                new CallRecord.Dialog("b1", at(B), start + 204 * ms, start + 204 * ms, 487, false),
                new CallRecord.Dialog("c1", at(C), start + 305 * ms, start + 305 * ms, 200, true),
                new CallRecord.Dialog("d1", at(D), start + 3_313 * ms, null, 487, false)), 0));
        assertThat(r.dialogs().kept()).extracting(CallRecord.Dialog::cancelled).containsExactly(true, false, true);
        assertThat(r.dialogs().count()).isEqualTo(3);
    }

    @Test
    void aForkWhereEveryDeviceFailsHasEveryFailureAndNoAnsweredDialog() {
        CallRecord r = forked("fork-fails@test")
                .send(200, C, P, "SIP/2.0 180 Ringing", "1 INVITE", "a1", "c1")
                .send(1, P, A, "SIP/2.0 180 Ringing", "1 INVITE", "a1", "c1")
                .send(100, B, P, "SIP/2.0 486 Busy Here", "1 INVITE", "a1", "b1")
                .send(1, P, B, "ACK sip:+4930123@10.0.0.9 SIP/2.0", "1 ACK", "a1", "b1")
                .send(2_000, C, P, "SIP/2.0 480 Temporarily Unavailable", "1 INVITE", "a1", "c1")
                .send(1, P, C, "ACK sip:+4930123@10.0.0.10 SIP/2.0", "1 ACK", "a1", "c1")
                .send(1, D, P, "SIP/2.0 603 Decline", "1 INVITE", "a1", "d1")
                .send(1, P, D, "ACK sip:+4930123@10.0.0.11 SIP/2.0", "1 ACK", "a1", "d1")
                // the proxy forwards the best answer (RFC 3261 §16.7: a 6xx): D's, with D's tag
                .send(1, P, A, "SIP/2.0 603 Decline", "1 INVITE", "a1", "d1")
                .send(1, A, P, "ACK sip:+4930123@example.com SIP/2.0", "1 ACK", "a1", "d1").record();
        assertThat(r.dialogs().kept()).extracting(CallRecord.Dialog::toTag, CallRecord.Dialog::source,
                        CallRecord.Dialog::lastStatus, CallRecord.Dialog::answered)
                .containsExactly(tuple("c1", at(C), 480, false), tuple("b1", at(B), 486, false),
                        tuple("d1", at(D), 603, false));
        assertThat(r.dialogs().kept().get(0).ringingAt()).isNotNull();
        assertThat(r.dialogs().kept()).noneMatch(CallRecord.Dialog::cancelled);
        assertThat(r.times().answeredAt()).isNull();
    }

    @Test
    void aReplyCapturedAtTwoHopsAndByTwoAgentsIsOneDialogTimedByItsEarliestCopy() {
        Call call = forkAnsweredByC("fork-hops@test");
        CallRecord one = call.record();
        List<CapturedMessage> twice = new ArrayList<>(call.messages);
        for (CapturedMessage m : call.messages) {
            HepPacket p = HepPacket.builder().addresses(m.envelope().srcIp(), m.envelope().srcPort(), m.envelope().dstIp(),
                    m.envelope().dstPort()).ipProto(17).timestampMicros(m.envelope().timestampMicros() + 50)
                    .protoType(1).captureId(3001).node("tap-2").payload(m.payload()).build();
            twice.add(EXTRACTOR.extract(p));
        }
        CallRecord both = DialogRecorder.record(twice, call.t + 1_000_000, RING);
        assertThat(both.dialogs()).isEqualTo(one.dialogs());
        assertThat(one.dialogs().kept()).hasSize(3);
    }

    @Test
    void theDialogsDependOnTheMessagesNotOnTheirOrder() {
        Call call = forkAnsweredByC("fork-order@test");
        CallRecord expected = call.record();
        for (int seed = 0; seed < 20; seed++) {
            List<CapturedMessage> shuffled = new ArrayList<>(call.messages);
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(DialogRecorder.record(shuffled, call.t + 1_000_000, RING)).isEqualTo(expected);
        }
    }

    @Test
    void anOrdinaryCallHasOneDialogAndACallNoDeviceRepliedToHasNone() {
        CallRecord r = answered("one-dialog@test").record();
        assertThat(r.dialogs().kept()).extracting(CallRecord.Dialog::toTag, CallRecord.Dialog::source,
                CallRecord.Dialog::lastStatus, CallRecord.Dialog::answered).containsExactly(tuple("b1", at(B), 200, true));
        CallRecord tried = new Call("no-dialog@test").invite(0).send(1, P, A, "SIP/2.0 100 Trying", "1 INVITE", "a1", null)
                .record();
        assertThat(tried.dialogs()).isEqualTo(CallRecord.Dialogs.NONE);
    }

    @Test
    void aChallengedInviteAndACalleesReInviteAreNotDialogs() {
        CallRecord r = new Call("auth-fork@test").invite(0)
                .send(1, P, A, "SIP/2.0 407 Proxy Authentication Required", "1 INVITE", "a1", "p1")
                .send(1, A, P, "ACK sip:+4930123@example.com SIP/2.0", "1 ACK", "a1", "p1")
                .via(20, A, B, "INVITE sip:+4930123@example.com SIP/2.0", "2 INVITE", "a1", null)
                .via(100, B, A, "SIP/2.0 200 OK", "2 INVITE", "a1", "b1")
                .via(5, A, B, "ACK sip:+4930123@10.0.0.9 SIP/2.0", "2 ACK", "a1", "b1")
                // the callee's first request in the dialog: its own CSeq 2, From its tag, answered by A with To tag a1
                .send(1_000, B, A, "INVITE sip:alice@10.0.0.1 SIP/2.0", "2 INVITE", "b1", "a1")
                .send(10, A, B, "SIP/2.0 200 OK", "2 INVITE", "b1", "a1").record();
        assertThat(r.dialogs().kept()).extracting(CallRecord.Dialog::toTag).containsExactly("b1");
        assertThat(r.dialogs().kept().get(0).answered()).isTrue();
    }

    @Test
    void aForkToMoreDevicesThanTheBoundKeepsTheFirstAndTheAnsweredOneAndCountsTheRest() {
        int devices = CallRecord.Dialogs.MAX + 8;
        Call call = forkedToMany("fork-many@test", new Call("").t, devices);
        CallRecord r = call.record();
        assertThat(r.dialogs().kept()).hasSize(CallRecord.Dialogs.MAX);
        assertThat(r.dialogs().dropped()).isEqualTo(8);
        assertThat(r.dialogs().count()).isEqualTo(devices);
        assertThat(r.dialogs().kept().subList(0, CallRecord.Dialogs.MAX - 1)).extracting(CallRecord.Dialog::toTag)
                .as("the first to reply").startsWith("t0", "t1").doesNotContain("t31", "t35");
        CallRecord.Dialog last = r.dialogs().kept().get(CallRecord.Dialogs.MAX - 1);
        assertThat(last.toTag()).isEqualTo("t35");
        assertThat(last.answered()).isTrue();
        assertThat(last.lastStatus()).isEqualTo(200);
        List<CapturedMessage> shuffled = new ArrayList<>(call.messages);
        Collections.shuffle(shuffled, new Random(3));
        assertThat(DialogRecorder.record(shuffled, call.t + 1_000_000, RING)).isEqualTo(r);
    }

    /** An INVITE sent at {@code start} to {@code devices} devices that all ring, the 36th answering a second later. */
    static Call forkedToMany(String callId, long start, int devices) {
        Call call = new Call(callId);
        call.t = start;
        call.send(0, A, P, "INVITE sip:+4930123@example.com SIP/2.0", "1 INVITE", "a1", null);
        for (int i = 0; i < devices; i++) {
            call.send(1, "10.0.1." + i + ":5060", P, "SIP/2.0 180 Ringing", "1 INVITE", "a1", "t" + i);
        }
        return call.send(1_000, "10.0.1.35:5060", P, "SIP/2.0 200 OK", "1 INVITE", "a1", "t35");
    }

    @Test
    void theInviteHopsAreItsCapturePointsOnceEachWhateverItsRetransmissions() {
        String invite = "INVITE sip:+4930123@example.com SIP/2.0";
        // captured once, between the caller and the callee, and retransmitted there twice: one hop
        Call direct = new Call("one-hop@test").send(0, A, B, invite, "1 INVITE", "a1", null)
                .send(500, A, B, invite, "1 INVITE", "a1", null).send(1_000, A, B, invite, "1 INVITE", "a1", null)
                .send(10, B, A, "SIP/2.0 486 Busy Here", "1 INVITE", "a1", "b1");
        assertThat(direct.record().counts()).isEqualTo(new CallRecord.Counts(2, 2, 0, 1));
        // received and sent by the proxy: two
        assertThat(answered("two-hops@test").record().counts().inviteHops()).isEqualTo(2);
        // one capture agent on the three links of a path through the proxy and a second one (10.0.0.6): three, its
        // retransmissions on the first two links counting once each
        String p2 = "10.0.0.6:5060";
        Call twoProxies = new Call("three-hops@test").send(0, A, P, invite, "1 INVITE", "a1", null)
                .send(1, P, p2, invite, "1 INVITE", "a1", null).send(1, p2, B, invite, "1 INVITE", "a1", null)
                .send(500, A, P, invite, "1 INVITE", "a1", null).send(1, P, p2, invite, "1 INVITE", "a1", null)
                .send(10, B, p2, "SIP/2.0 200 OK", "1 INVITE", "a1", "b1");
        assertThat(twoProxies.record().counts()).isEqualTo(new CallRecord.Counts(2, 2, 0, 3));
        // the second proxy mirroring its own link to the first one as well (capture id 2002): a fourth capture point
        twoProxies.captureId = 2002;
        twoProxies.send(0, P, p2, invite, "1 INVITE", "a1", null);
        assertThat(twoProxies.record().counts()).isEqualTo(new CallRecord.Counts(2, 2, 0, 4));
        // a challenged INVITE sent again with credentials: the hops of the first one
        Call challenged = new Call("challenged-hops@test").send(0, A, P, invite, "1 INVITE", "a1", null)
                .send(1, P, A, "SIP/2.0 407 Proxy Authentication Required", "1 INVITE", "a1", "p1")
                .via(20, A, B, invite, "2 INVITE", "a1", null).via(100, B, A, "SIP/2.0 200 OK", "2 INVITE", "a1", "b1");
        assertThat(challenged.record().counts().inviteHops()).isEqualTo(1);
    }

    @Test
    void finalErrorsMapToTheirStates() {
        assertThat(DialogRecorder.failure(486)).isEqualTo(CallState.BUSY);
        assertThat(DialogRecorder.failure(600)).isEqualTo(CallState.BUSY);
        assertThat(DialogRecorder.failure(480)).isEqualTo(CallState.NO_ANSWER);
        assertThat(DialogRecorder.failure(408)).isEqualTo(CallState.NO_ANSWER);
        assertThat(DialogRecorder.failure(487)).isEqualTo(CallState.CANCELLED);
        assertThat(DialogRecorder.failure(302)).isEqualTo(CallState.REDIRECTED);
        assertThat(DialogRecorder.failure(404)).isEqualTo(CallState.REJECTED);
        assertThat(DialogRecorder.failure(603)).isEqualTo(CallState.REJECTED);
        assertThat(DialogRecorder.failure(500)).isEqualTo(CallState.FAILED);
        assertThat(DialogRecorder.failure(407)).isEqualTo(CallState.AUTH_CHALLENGED_ONLY);
    }

    @Test
    void reasonHeadersAreReadWhateverTheirForm() {
        assertThat(Reason.parse("Q.850;cause=16;text=\"Normal call clearing\""))
                .isEqualTo(new Reason("Q.850", 16, "Normal call clearing"));
        assertThat(Reason.parse("Q.850 ; cause = 34")).isEqualTo(new Reason("Q.850", 34, null));
        assertThat(Reason.parse("SIP;cause=200;text=\"Call completed, elsewhere\", Q.850;cause=26"))
                .isEqualTo(new Reason("SIP", 200, "Call completed, elsewhere"));
        assertThat(Reason.parse("Q.850;cause=x16")).isEqualTo(new Reason("Q.850", null, null));
        assertThat(Reason.parse("Q.850;cause=99999999999")).isEqualTo(new Reason("Q.850", null, null));
        assertThat(Reason.parse("")).isNull();
        assertThat(Reason.parse(null)).isNull();
        assertThat(Reason.parse(";cause=1")).isNull();
    }

    private static int distinct(List<CapturedMessage> messages) {
        return (int) messages.stream().map(m -> m.sip().isRequest() ? m.sip().method() + m.sip().cseq() + m.sip().fromTag()
                + " " + m.sip().toTag() : m.sip().status() + " " + m.sip().cseq() + m.sip().cseqMethod() + m.sip().toTag()).distinct().count();
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
