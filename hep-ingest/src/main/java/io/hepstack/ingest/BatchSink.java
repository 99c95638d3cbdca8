package io.hepstack.ingest;

import io.hepstack.proto.model.CapturedMessage;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Where batches are stored. {@link #write} either completes with the rows it refused (data the
 * database will never accept, counted as dropped) or fails with a transient error, after which the
 * collector retries the same {@link Batch} (same id) with backoff.
 *
 * <p>Contract: writing a batch id that was already committed stores nothing again and succeeds.
 */
@FunctionalInterface
public interface BatchSink {

    /** Stores the batch; emits the rows refused (empty when all stored). */
    Mono<List<CapturedMessage>> write(Batch batch);
}
