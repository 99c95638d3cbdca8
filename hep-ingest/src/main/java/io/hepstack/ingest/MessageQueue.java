package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.model.CapturedMessage;
import io.netty.channel.Channel;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The queue between the listeners (many event-loop threads) and the batcher (one thread).
 *
 * <p>Overflow policy per transport: a datagram finding the queue at capacity is refused (the caller
 * counts the drop). A stream frame is always taken, and its connection stops reading above
 * {@code pauseAbove} until the queue drains below {@code resumeBelow}; the overshoot is bounded by
 * what the paused connections had already read (at most one read buffer each).
 */
final class MessageQueue {

    private final LinkedBlockingQueue<CapturedMessage> queue = new LinkedBlockingQueue<>();
    private final Set<Channel> paused = ConcurrentHashMap.newKeySet();
    private final int capacity;
    private final int pauseAbove;
    private final int resumeBelow;
    private final IngestMetrics metrics;

    MessageQueue(IngestProperties.Pipeline cfg, IngestMetrics metrics) {
        this.capacity = cfg.queueCapacity();
        this.pauseAbove = cfg.pauseAbove();
        this.resumeBelow = cfg.resumeBelow();
        this.metrics = metrics;
    }

    /** Messages the queue holds at most for datagrams (streams pause reading before it). */
    int capacity() {
        return capacity;
    }

    /** Takes a datagram's message unless the queue is at capacity. */
    boolean offer(CapturedMessage m) {
        if (queue.size() >= capacity) {
            return false;
        }
        return queue.offer(m);
    }

    /** Takes a stream's message, and pauses reading on {@code channel} when the queue is high. */
    void put(CapturedMessage m, Channel channel) {
        queue.offer(m);
        if (queue.size() >= pauseAbove && channel.config().isAutoRead()) {
            channel.config().setAutoRead(false);
            paused.add(channel);
            metrics.tcpPaused();
            if (queue.size() < resumeBelow) { // the batcher drained it meanwhile
                resume(channel);
            }
        }
    }

    /** Resumes paused connections once the queue is low. Called by the batcher after draining. */
    void resumeIfDrained() {
        if (!paused.isEmpty() && queue.size() < resumeBelow) {
            for (Channel ch : paused) {
                resume(ch);
            }
        }
    }

    boolean anyPaused() {
        return !paused.isEmpty();
    }

    /** Forgets a closed connection. */
    void forget(Channel channel) {
        paused.remove(channel);
    }

    private void resume(Channel ch) {
        if (paused.remove(ch)) {
            ch.config().setAutoRead(true);
        }
    }

    CapturedMessage poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    int drainTo(Collection<CapturedMessage> to, int max) {
        return queue.drainTo(to, max);
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
