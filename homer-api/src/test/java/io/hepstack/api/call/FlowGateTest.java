package io.hepstack.api.call;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.web.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FlowGateTest {

    static final ApiProperties.Flow LIMITS = new ApiProperties.Flow(Duration.ofHours(24), Duration.ofHours(1),
            Duration.ofHours(12), 20, 4, 5000, DataSize.ofMegabytes(8), 3, 2);

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final FlowGate gate = new FlowGate(LIMITS, meters);

    @Test
    void aReaderMayHoldTwoFlowsAtOnceAndTheReplicaThree() {
        assertThat(gate.enter("ACCOUNT:1")).isNull();
        assertThat(gate.enter("ACCOUNT:1")).isNull();
        assertThat(gate.enter("ACCOUNT:1")).contains("max-concurrent-per-user: 2");
        assertThat(gate.enter("API_TOKEN:1")).isNull();
        assertThat(gate.enter("share:9")).contains("max-concurrent: 3");
        gate.leave("ACCOUNT:1");
        assertThat(gate.enter("share:9")).isNull();
        assertThat(meters.counter("homer.api.flow.refused", "reason", "user").count()).isEqualTo(1);
        assertThat(meters.counter("homer.api.flow.refused", "reason", "busy").count()).isEqualTo(1);
    }

    @Test
    void aFlowLeavesTheGateWhenItEndsFailsOrIsCancelledAndARefusalIsA429() {
        Sinks.One<String> slow = Sinks.one();
        var first = gate.around("ACCOUNT:1", slow.asMono()).subscribe();
        StepVerifier.create(gate.around("ACCOUNT:1", Mono.error(new IllegalStateException("db")))).expectError().verify();
        StepVerifier.create(gate.around("ACCOUNT:1", Mono.just("x")))
                .expectNext("x").verifyComplete();
        StepVerifier.create(gate.around("ACCOUNT:1", gate.around("ACCOUNT:1", Mono.just("y"))))
                .expectErrorSatisfies(e -> assertThat(((ApiException) e).status().value()).isEqualTo(429)).verify();
        first.dispose(); // the client left
        assertThat(gate.open()).isZero();
    }
}
