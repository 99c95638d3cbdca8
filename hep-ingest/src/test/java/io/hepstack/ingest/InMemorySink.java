package io.hepstack.ingest;

import io.hepstack.proto.model.CapturedMessage;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A {@link BatchSink} in memory for pipeline tests, honouring the contract: a batch id is stored once.
 * Can be "down" (every write fails), can lose acknowledgements (store, then fail) and can hang (a
 * write that never answers, as a pooled connection can after the database restarts).
 */
final class InMemorySink implements BatchSink {

    private final Map<UUID, List<CapturedMessage>> batches = new ConcurrentHashMap<>();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger lostAcks = new AtomicInteger();
    volatile boolean down;
    final AtomicInteger hangs = new AtomicInteger();
    volatile Duration delay = Duration.ZERO;

    @Override
    public Mono<List<CapturedMessage>> write(Batch batch) {
        return Mono.defer(() -> {
            attempts.incrementAndGet();
            if (hangs.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return Mono.never();
            }
            if (down) {
                return Mono.error(new IllegalStateException("database down"));
            }
            batches.putIfAbsent(batch.id(), batch.rows());
            if (lostAcks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return Mono.error(new IllegalStateException("connection lost after commit"));
            }
            return Mono.just(List.<CapturedMessage>of());
        }).delaySubscription(delay);
    }

    int batchCount() {
        return batches.size();
    }

    List<CapturedMessage> rows() {
        return batches.values().stream().flatMap(List::stream).toList();
    }

    Set<String> callIds() {
        return rows().stream().map(CapturedMessage::callId).collect(Collectors.toSet());
    }
}
