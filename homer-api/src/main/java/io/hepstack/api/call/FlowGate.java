package io.hepstack.api.call;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How many flows a replica reads at once ({@code homer.api.flow.max-concurrent}) and how many of them for one
 * reader, an account, API token or share link ({@code max-concurrent-per-user}). A flow holds up to
 * {@code max-bytes} of payloads, so these bound the heap the flows take: a request beyond them is refused at
 * once with 429 and {@code Retry-After: 1}, counted in {@code homer.api.flow.refused{reason=user|busy}}.
 */
final class FlowGate {

    private final int max;
    private final int perReader;
    private final Map<String, Integer> byReader = new HashMap<>();
    private final Counter refusedUser;
    private final Counter refusedBusy;
    private int open;

    FlowGate(ApiProperties.Flow limits, MeterRegistry meters) {
        this.max = limits.maxConcurrent();
        this.perReader = limits.maxConcurrentPerUser();
        this.refusedUser = Counter.builder("homer.api.flow.refused").tag("reason", "user")
                .description("Flow requests refused: the reader had max-concurrent-per-user open").register(meters);
        this.refusedBusy = Counter.builder("homer.api.flow.refused").tag("reason", "busy")
                .description("Flow requests refused: the replica had max-concurrent open").register(meters);
    }

    /** {@code work} once the reader may read one more flow, the gate left when it ends; a 429 error otherwise. */
    <T> Mono<T> around(String reader, Mono<T> work) {
        return Mono.defer(() -> {
            String refused = enter(reader);
            if (refused != null) {
                return Mono.error(ApiException.tooManyRequests(refused, Duration.ofSeconds(1)));
            }
            return work.doFinally(signal -> leave(reader));
        });
    }

    /** {@code null} when entered, else why not. */
    synchronized String enter(String reader) {
        int mine = byReader.getOrDefault(reader, 0);
        if (mine >= perReader) {
            refusedUser.increment();
            return "too many flows or exports at once for this caller (homer.api.flow.max-concurrent-per-user: "
                    + perReader + "): wait for one to finish";
        }
        if (open >= max) {
            refusedBusy.increment();
            return "too many flows or exports at once on this server (homer.api.flow.max-concurrent: " + max + ")";
        }
        byReader.put(reader, mine + 1);
        open++;
        return null;
    }

    synchronized void leave(String reader) {
        byReader.computeIfPresent(reader, (k, n) -> n <= 1 ? null : n - 1);
        open--;
    }

    synchronized int open() {
        return open;
    }
}
