package io.hepstack.api.query;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class StatementsTest {

    /** Which route a statement takes is in its subscriber's context (ReadRouting): a whole statement must see it. */
    @Test
    void aWholeStatementRunsInItsSubscribersContext() {
        Mono<String> statement = Mono.deferContextual(c -> Mono.just(c.getOrDefault("route", "none")));
        assertThat(Statements.whole(statement).contextWrite(Context.of("route", "reads")).block(Duration.ofSeconds(5)))
                .isEqualTo("reads");
        assertThat(Statements.whole(statement).block(Duration.ofSeconds(5))).isEqualTo("none");
    }

    @Test
    void aWholeStatementRunsToItsEndWhenItsSubscriberCancels() throws InterruptedException {
        AtomicInteger finished = new AtomicInteger();
        Mono<String> slow = Mono.delay(Duration.ofMillis(200)).map(x -> "rows").doOnNext(x -> finished.incrementAndGet());
        Statements.whole(slow).subscribe().dispose();
        Thread.sleep(600);
        assertThat(finished).hasValue(1);
    }
}
