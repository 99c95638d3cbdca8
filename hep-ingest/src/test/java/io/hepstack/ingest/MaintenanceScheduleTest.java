package io.hepstack.ingest;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The partition maintenance schedule of {@link StorageConfiguration}. */
class MaintenanceScheduleTest {

    @Test
    void aRoundLongerThanTheIntervalSkipsTicksInsteadOfEndingTheSchedule() {
        AtomicInteger started = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> StorageConfiguration.schedule(Duration.ofSeconds(2), () -> {
                    int n = started.incrementAndGet();
                    // the first round takes 7 s (3 ticks come meanwhile), the others 100 ms
                    return Mono.just(n).delayElement(n == 1 ? Duration.ofSeconds(7) : Duration.ofMillis(100));
                }))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(7))
                .expectNext(1)
                .thenAwait(Duration.ofSeconds(2))
                .expectNext(2)
                .thenAwait(Duration.ofSeconds(2))
                .expectNext(3)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void runsARoundAtOnceThenOneEveryInterval() {
        StepVerifier.withVirtualTime(() -> StorageConfiguration.schedule(Duration.ofMinutes(10), () -> Mono.just("round")))
                .expectSubscription()
                .expectNext("round")
                .expectNoEvent(Duration.ofMinutes(10).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("round")
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }
}
