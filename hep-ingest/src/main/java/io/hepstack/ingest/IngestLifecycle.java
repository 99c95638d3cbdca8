package io.hepstack.ingest;

import io.hepstack.ingest.listen.HepListeners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * Starts the writer, the batcher, then the listeners; on shutdown (SIGTERM) stops reading first,
 * flushes everything queued, waits for it to be stored (up to {@code homer.ingest.shutdown-timeout}),
 * then lets the context close. Its phase stops it before the web server and before the database
 * connection pool is closed.
 */
final class IngestLifecycle implements SmartLifecycle {

    /** Stops before the web server's graceful shutdown (DEFAULT_PHASE - 1024). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger log = LoggerFactory.getLogger(IngestLifecycle.class);

    private final HepListeners listeners;
    private final Batcher batcher;
    private final BatchWriter writer;
    private final Duration shutdownTimeout;
    private final Duration drainTimeout;
    private volatile boolean running;

    /**
     * @param shutdownTimeout how long stopping may take to store what is queued
     * @param drainTimeout how long stream connections are read on after their half-close, at most
     */
    IngestLifecycle(HepListeners listeners, Batcher batcher, BatchWriter writer, Duration shutdownTimeout,
                    Duration drainTimeout) {
        this.listeners = listeners;
        this.batcher = batcher;
        this.writer = writer;
        this.shutdownTimeout = shutdownTimeout;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void start() {
        writer.start();
        batcher.start();
        listeners.start();
        running = true;
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        log.info("stopping HEP listeners, then storing what is queued (up to {})", shutdownTimeout);
        listeners.stop(drainTimeout);
        try {
            boolean flushed = batcher.stop(left(deadline));
            boolean stored = writer.drain(left(deadline));
            log.info(flushed && stored ? "every accepted message is stored" : "shutdown timeout: messages lost (counted)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
