package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.model.CapturedMessage;
import io.micrometer.core.instrument.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One thread taking messages from the {@link MessageQueue} into batches, flushed when they reach
 * {@code batchSize} or when their first message is {@code batchAge} old, whichever comes first.
 * On {@link #stop}, it flushes everything queued before exiting.
 */
final class Batcher {

    private static final Logger log = LoggerFactory.getLogger(Batcher.class);
    private static final long IDLE_POLL_NANOS = /* how soon stop() is noticed */ TimeUnit.MILLISECONDS.toNanos(50);

    private final MessageQueue queue;
    private final BatchWriter writer;
    private final IngestMetrics metrics;
    private final int batchSize;
    private final long batchAgeNanos;
    private volatile boolean stopping;
    private Thread thread;

    Batcher(MessageQueue queue, BatchWriter writer, IngestProperties.Pipeline cfg, IngestMetrics metrics) {
        this.queue = queue;
        this.writer = writer;
        this.metrics = metrics;
        this.batchSize = cfg.batchSize();
        this.batchAgeNanos = cfg.batchAge().toNanos();
        Gauge.builder("hep.queue.depth", queue, MessageQueue::size).tag("stage", "queue")
                .description("Messages waiting in each stage").register(metrics.registry());
        Gauge.builder("hep.queue.capacity", queue, MessageQueue::capacity).tag("stage", "queue")
                .description("Messages a stage holds at most (homer.ingest.pipeline.queue-capacity)")
                .register(metrics.registry());
    }

    void start() {
        thread = new Thread(this::run, "hep-batcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        List<CapturedMessage> rows = new ArrayList<>(batchSize);
        long deadline = 0;
        try {
            while (true) {
                CapturedMessage m = rows.isEmpty()
                        ? queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS)
                        : queue.poll(Math.min(IDLE_POLL_NANOS, Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
                if (m != null) {
                    if (rows.isEmpty()) {
                        deadline = System.nanoTime() + batchAgeNanos;
                    }
                    rows.add(m);
                    queue.drainTo(rows, batchSize - rows.size());
                }
                if (!rows.isEmpty() && (rows.size() >= batchSize || stopping || System.nanoTime() - deadline >= 0)) {
                    writer.submit(Batch.of(rows));
                    rows = new ArrayList<>(batchSize);
                }
                queue.resumeIfDrained();
                if (stopping && rows.isEmpty() && queue.isEmpty()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            int lost = rows.size() + queue.size();
            log.warn("batcher interrupted, {} queued messages not stored", lost);
            metrics.dropped("shutdown", "timeout", lost);
        }
    }

    /** Flushes what is queued and waits for the thread to end, up to {@code timeout}. */
    boolean stop(Duration timeout) throws InterruptedException {
        stopping = true;
        if (thread == null) {
            return true;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join();
            return false;
        }
        return true;
    }
}
