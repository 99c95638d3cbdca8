package io.hepstack.ingest;

import io.hepstack.proto.model.CapturedMessage;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The sink until common-proto's {@code MessageWriter} is wired: every write fails, so batches are
 * held and retried, and once the buffer is full the listeners' overflow policy applies (counted).
 * Nothing is ever reported stored that was not.
 */
final class UnavailableSink implements BatchSink {

    @Override
    public Mono<List<CapturedMessage>> write(Batch batch) {
        return Mono.error(new IllegalStateException("no storage writer configured yet"));
    }
}
