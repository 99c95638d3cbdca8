package io.hepstack.ingest;

import io.hepstack.proto.testing.MutableClock;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.MessagePart;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AgentClocksTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final long HOUR = 3_600_000_000L;
    private static final InetSocketAddress AGENT = new InetSocketAddress("192.0.2.7", 9060);

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AgentClocks clocks = new AgentClocks(Duration.ofMinutes(1), 3, clock, registry);

    private static CapturedMessage at(long captureId, long micros, MessageKind kind) {
        return new CapturedMessage(Envelope.builder().timestampMicros(micros).captureId(captureId).build(), kind,
                MessagePart.OPAQUE, new byte[0], null);
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    @Test
    void believesAnAgentWithinTheTolerance() {
        clock.set(T0);
        CapturedMessage m = at(1, micros(T0) - 30_000_000L, MessageKind.SIP_CALL); // 30 s late: a slow network
        assertThat(clocks.place(m, AGENT)).isSameAs(m);
        assertThat(registry.get("hep.agent.clock.skew").tag("capture_id", "1").gauge().value()).isEqualTo(-30.0);
    }

    @Test
    void placesEveryMessageOfASkewedAgentWithTheOffsetOfItsFirstWhateverItsKindKeepingItsSpacing() {
        long agentStart = micros(T0) - 3 * HOUR;
        clock.set(T0);
        long first = clocks.place(at(1, agentStart, MessageKind.SIP_CALL), AGENT).envelope().clockOffsetMicros();
        clock.set(T0.plusMillis(20)); // arrives sooner than the agent's 2 s spacing: deltas are the agent's
        long later = clocks.place(at(1, agentStart + 2_000_000L, MessageKind.SIP_REGISTRATION), AGENT)
                .envelope().clockOffsetMicros();
        clock.set(T0.plusSeconds(40)); // a late one, within the tolerance of the offset
        long late = clocks.place(at(1, agentStart + 3_000_000L, MessageKind.LOG), AGENT).envelope().clockOffsetMicros();

        assertThat(first).isEqualTo(3 * HOUR);
        assertThat(later).isEqualTo(first);
        assertThat(late).isEqualTo(first);
        assertThat(registry.get("hep.agent.clock.skew").tag("capture_id", "1").gauge().value()).isEqualTo(-3 * 3600.0);
    }

    @Test
    void anchorsAgainWhenTheAgentsClockJumpsAndCountsIt() {
        clock.set(T0);
        clocks.place(at(1, micros(T0) + 48 * HOUR, MessageKind.SIP_CALL), AGENT);       // 2 days ahead
        clock.set(T0.plusSeconds(1));
        CapturedMessage set = at(1, micros(T0.plusSeconds(1)), MessageKind.SIP_CALL);    // its clock set right
        assertThat(clocks.place(set, AGENT)).as("believed again").isSameAs(set);
        assertThat(registry.get("hep.agent.clock.reanchored").counter().count()).isEqualTo(1);
    }

    @Test
    void tracksEachSourceOfACaptureIdOnItsOwn() {
        clock.set(T0);
        InetSocketAddress other = new InetSocketAddress("192.0.2.8", 9060);
        assertThat(clocks.place(at(1, micros(T0) - HOUR, MessageKind.SIP_CALL), AGENT).envelope().clockOffsetMicros())
                .isEqualTo(HOUR);
        assertThat(clocks.place(at(1, micros(T0), MessageKind.SIP_CALL), other).envelope().clockOffsetMicros()).isZero();
        clocks.forget(other);
        assertThat(clocks.place(at(1, micros(T0) - 2 * HOUR, MessageKind.SIP_CALL), other).envelope().clockOffsetMicros())
                .as("a new connection is anchored anew").isEqualTo(2 * HOUR);
    }

    @Test
    void leavesTimestampsNoClockHoldsToTheWritersRule() {
        clock.set(T0);
        for (long odd : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            CapturedMessage m = at(2, odd, MessageKind.SIP_CALL);
            assertThat(clocks.place(m, AGENT)).isSameAs(m);
        }
        CapturedMessage zero = at(3, 0, MessageKind.SIP_CALL);
        assertThat(clocks.place(zero, AGENT).envelope().clockOffsetMicros()).isEqualTo(micros(T0));
    }

    @Test
    void tracksAtMostItsMaximumOfSourcesAndCountsTheOthers() {
        clock.set(T0);
        for (int port = 1; port <= 4; port++) {
            clocks.place(at(1, micros(T0) - HOUR, MessageKind.SIP_CALL), new InetSocketAddress("192.0.2.9", port));
        }
        CapturedMessage fifth = at(1, micros(T0) - HOUR, MessageKind.SIP_CALL);
        assertThat(clocks.place(fifth, new InetSocketAddress("192.0.2.9", 5))).isSameAs(fifth);
        assertThat(registry.get("hep.agent.clock.untracked").counter().count()).isEqualTo(2);
    }

    @Test
    void forgetsSourcesSilentForTenMinutesWhenTheTableIsFull() {
        clock.set(T0);
        for (int port = 1; port <= 3; port++) {
            clocks.place(at(1, micros(T0) - HOUR, MessageKind.SIP_CALL), new InetSocketAddress("192.0.2.9", port));
        }
        clock.set(T0.plus(Duration.ofMinutes(5)));
        clocks.place(at(1, micros(clock.instant()) - HOUR, MessageKind.SIP_CALL), new InetSocketAddress("192.0.2.9", 1));
        clock.set(T0.plus(Duration.ofMinutes(11))); // ports 2 and 3 silent for 11 minutes, port 1 for 6

        CapturedMessage restarted = at(1, micros(clock.instant()) - 2 * HOUR, MessageKind.SIP_CALL);
        assertThat(clocks.place(restarted, new InetSocketAddress("192.0.2.9", 4)).envelope().clockOffsetMicros())
                .isEqualTo(2 * HOUR);
        assertThat(clocks.place(at(1, micros(clock.instant()) - HOUR - 1, MessageKind.SIP_CALL),
                new InetSocketAddress("192.0.2.9", 1)).envelope().clockOffsetMicros()).as("still anchored").isEqualTo(HOUR);
        assertThat(registry.get("hep.agent.clock.untracked").counter().count()).isZero();
    }
}
