package io.hepstack.api.stream;

import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounds of one stream's event pipeline ({@link LiveStreams#bounded}), without a database. */
class LiveStreamsTest {

    private static Flux<ServerSentEvent<Integer>> events(int n) {
        return Flux.range(1, n).map(i -> ServerSentEvent.builder(i).id(Integer.toString(i)).event("message").build());
    }

    @Test
    void aClientThatStopsReadingEndsItsStreamInsteadOfGrowingABuffer() {
        List<LiveStreams.Reason> reasons = new ArrayList<>();
        // the source produces far more than buffer + merge prefetch while the client asks for one event
        StepVerifier.create(LiveStreams.bounded(events(100_000), 16, Duration.ofHours(1), Mono.never(), reasons::add), 1)
                .expectNextCount(1)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(reasons).containsExactly(LiveStreams.Reason.SLOW_CLIENT);
    }

    @Test
    void aClientThatReadsGetsEveryEventInOrder() {
        List<LiveStreams.Reason> reasons = new ArrayList<>();
        StepVerifier.create(LiveStreams.bounded(events(1000).concatWith(Flux.never()), 16, Duration.ofHours(1),
                        Mono.never(), reasons::add))
                .expectNextSequence(events(1000).toIterable())
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(reasons).containsExactly(LiveStreams.Reason.CLIENT_GONE);
    }

    @Test
    void aStorageErrorOrShutdownEndsTheStreamWithItsReason() {
        List<LiveStreams.Reason> reasons = new ArrayList<>();
        StepVerifier.create(LiveStreams.bounded(Flux.<ServerSentEvent<Integer>>error(new IllegalStateException("db down")),
                        16, Duration.ofHours(1), Mono.never(), reasons::add))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        Sinks.Empty<Void> shutdown = Sinks.empty();
        StepVerifier.create(LiveStreams.bounded(Flux.<ServerSentEvent<Integer>>never(), 16, Duration.ofHours(1),
                        shutdown.asMono(), reasons::add))
                .then(shutdown::tryEmitEmpty)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(reasons).containsExactly(LiveStreams.Reason.ERROR, LiveStreams.Reason.SHUTDOWN);
    }

    @Test
    void heartbeatsAreCommentsThatKeepAnIdleStreamAlive() {
        StepVerifier.withVirtualTime(() -> LiveStreams.bounded(Flux.<ServerSentEvent<Integer>>never(), 16,
                        Duration.ofSeconds(15), Mono.never(), r -> { }))
                .thenAwait(Duration.ofSeconds(31))
                .expectNextMatches(e -> "heartbeat".equals(e.comment()) && e.data() == null)
                .expectNextMatches(e -> "heartbeat".equals(e.comment()))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }
}
