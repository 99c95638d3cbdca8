package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.model.CapturedMessage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores batches through the {@link BatchSink}, {@code concurrency} at a time, retrying each failed
 * batch (same id) with exponential backoff for as long as the collector runs. A write that has not
 * answered within {@code attemptTimeout} is abandoned (cancelled) and retried like a failed one.
 *
 * <p>At most {@code bufferedBatches} batches are held (being written or waiting). When all are held,
 * {@link #submit} blocks the batcher thread, the queue fills, and the listeners apply their overflow
 * policy (UDP drops and counts, TCP pauses reading). Nothing is dropped here except at shutdown
 * (timeout) and rows the sink refuses.
 */
final class BatchWriter {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    private final BatchSink sink;
    private final IngestProperties.Writer cfg;
    private final IngestMetrics metrics;
    private final Semaphore slots;
    private final Sinks.Many<Batch> batches = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicLong heldRows = new AtomicLong();
    private final AtomicBoolean outage = new AtomicBoolean();
    private Disposable subscription;

    BatchWriter(BatchSink sink, IngestProperties.Writer cfg, IngestMetrics metrics) {
        this.sink = sink;
        this.cfg = cfg;
        this.metrics = metrics;
        this.slots = new Semaphore(cfg.bufferedBatches());
        Gauge.builder("hep.queue.depth", heldRows, AtomicLong::get).tag("stage", "writer")
                .description("Messages waiting in each stage").register(metrics.registry());
    }

    void start() {
        subscription = batches.asFlux().flatMap(this::store, cfg.concurrency(), 1).subscribe();
    }

    /** Hands a batch over; blocks (the batcher thread, never an event loop) while the buffer is full. */
    void submit(Batch batch) throws InterruptedException {
        slots.acquire();
        heldRows.addAndGet(batch.rows().size());
        Sinks.EmitResult r = batches.tryEmitNext(batch);
        if (r.isFailure()) { // terminated: only after drain(), which runs after the batcher stopped
            release(batch);
            metrics.dropped("writer", "stopped", batch.rows().size());
        }
    }

    private Mono<Void> store(Batch batch) {
        int size = batch.rows().size();
        return Mono.defer(() -> {
                    Timer.Sample sample = Timer.start();
                    return sink.write(batch).defaultIfEmpty(List.of())
                            .doOnNext(rejected -> sample.stop(metrics.batchTimer()))
                            // a pooled connection can wait forever after the database restarted under load
                            // (r2dbc-pool #138): give it up; the retry's claim of the same batch id waits for
                            // this attempt's transaction, so the batch is still stored once
                            .timeout(cfg.attemptTimeout(), Mono.error(() -> new AttemptTimeout(batch, cfg.attemptTimeout())));
                })
                .doOnError(e -> {
                    metrics.batchFailed();
                    if (e instanceof AttemptTimeout) {
                        log.warn("{}; retrying it", e.getMessage());
                    } else if (outage.compareAndSet(false, true)) {
                        log.warn("storing batches fails, retrying with backoff up to {}: {}",
                                cfg.retryMaxBackoff(), e.toString());
                    } else {
                        log.debug("batch {} failed again: {}", batch.id(), e.toString());
                    }
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, cfg.retryInitialBackoff())
                        .maxBackoff(cfg.retryMaxBackoff()).jitter(0.2))
                .doOnNext(rejected -> {
                    if (outage.compareAndSet(true, false)) {
                        log.info("storing batches works again");
                    }
                    countStored(batch.rows(), rejected);
                })
                .then()
                .onErrorResume(e -> { // only when the retry itself breaks; never for a down database
                    log.error("batch {} of {} messages lost: {}", batch.id(), size, e.toString());
                    metrics.dropped("writer", "error", size);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    if (signal == SignalType.CANCEL) {
                        metrics.dropped("shutdown", "timeout", size);
                    }
                    release(batch);
                });
    }

    private void countStored(List<CapturedMessage> rows, List<CapturedMessage> rejected) {
        long[] byKind = new long[io.hepstack.proto.model.MessageKind.values().length];
        for (CapturedMessage m : rows) {
            byKind[m.kind().ordinal()]++;
        }
        for (CapturedMessage m : rejected) {
            byKind[m.kind().ordinal()]--;
        }
        for (io.hepstack.proto.model.MessageKind k : io.hepstack.proto.model.MessageKind.values()) {
            if (byKind[k.ordinal()] > 0) {
                metrics.stored(k, byKind[k.ordinal()]);
            }
        }
        if (!rejected.isEmpty()) {
            log.warn("the database refused {} of {} rows", rejected.size(), rows.size());
            metrics.dropped("store", "refused", rejected.size());
        }
    }

    private void release(Batch batch) {
        heldRows.addAndGet(-batch.rows().size());
        slots.release();
    }

    /** Messages held, being written or waiting. */
    long heldRows() {
        return heldRows.get();
    }

    /**
     * Completes the writer once every held batch is stored, waiting up to {@code timeout}; then
     * cancels what is left, counting it as dropped. Returns whether everything was stored.
     */
    boolean drain(Duration timeout) throws InterruptedException {
        batches.tryEmitComplete();
        boolean done = slots.tryAcquire(cfg.bufferedBatches(), timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (done) {
            slots.release(cfg.bufferedBatches());
        } else {
            log.warn("shutdown timeout: {} messages not stored", heldRows.get());
        }
        if (subscription != null) {
            subscription.dispose();
        }
        return done;
    }

    /** A write that did not answer in time. */
    private static final class AttemptTimeout extends RuntimeException {
        AttemptTimeout(Batch batch, Duration timeout) {
            super("batch " + batch.id() + " of " + batch.rows().size() + " messages got no answer from the database within "
                    + timeout, null, false, false);
        }
    }
}
