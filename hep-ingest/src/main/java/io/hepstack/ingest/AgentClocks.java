package io.hepstack.ingest;

import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.CapturedMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of every agent as the collector sees it: per capture id and source (a UDP sender's address
 * and port, a TCP or TLS connection), the offset between the collector's clock at arrival and the agent's
 * timestamps, so that a skewed agent's messages are stored at the collector's time of them with their
 * order and deltas kept, instead of each at its own arrival (docs/ingest.md, "Agent clocks").
 *
 * <p>The offset is anchored: the first message of a source sets it to {@code arrival - agent time}; later
 * messages keep it, so that their spacing is the agent's, until one arrives more than {@code tolerance}
 * away from it (the agent's clock was set, or the agent started a replay): then it is anchored again on
 * that message. An offset within {@code tolerance} (network and batching delay, a clock a few seconds off)
 * is not applied: the agent's time is believed. Every message of a source gets the same offset, whatever
 * its kind, so one call's SIP, reports and logs are never split in time.
 *
 * <p>Bounded: at most {@code maxSources} sources are tracked. A connection's entry goes when it closes; when
 * the table is full, the sources silent for {@link #IDLE} are forgotten (a sweep at most once a second); messages
 * of sources still beyond the maximum get no offset (the writer's odd-timestamp rule applies to them) and are
 * counted ({@code hep.agent.clock.untracked}). Thread-safe.
 */
final class AgentClocks {

    /** Sources tracked at most (UDP senders and open connections): about 100 bytes each. */
    static final int MAX_SOURCES = 10_000;

    /** A source silent this long may be forgotten when the table is full (an agent restarted on a new port). */
    static final Duration IDLE = Duration.ofMinutes(10);

    private static final long SWEEP_EVERY_MICROS = 1_000_000L;

    private final long toleranceMicros;
    private final int maxSources;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<Source, Anchor> anchors = new ConcurrentHashMap<>();
    /** The last offset estimated per capture id, in µs, read by the skew gauge. */
    private final Map<Long, AtomicLong> skewByCaptureId = new ConcurrentHashMap<>();
    private final Counter untracked;
    private final Counter reanchored;
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);

    AgentClocks(Duration tolerance, int maxSources, Clock clock, MeterRegistry registry) {
        this.toleranceMicros = tolerance.toNanos() / 1000;
        this.maxSources = maxSources;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.untracked = Counter.builder("hep.agent.clock.untracked")
                .description("Messages of sources beyond the tracked maximum, stored without a clock offset")
                .register(registry);
        this.reanchored = Counter.builder("hep.agent.clock.reanchored")
                .description("Times an agent's clock offset was anchored again (its clock or its traffic jumped)")
                .register(registry);
    }

    /**
     * {@code message}, received now from {@code source} (a UDP sender's address, a stream's channel), with
     * the offset its agent's clock needs to be placed on the collector's: the same message when none does.
     */
    CapturedMessage place(CapturedMessage message, Object source) {
        long agent = message.envelope().timestampMicros();
        long arrival = Envelope.micros(clock.instant());
        long sample;
        try {
            sample = Math.subtractExact(arrival, agent);
        } catch (ArithmeticException e) {
            return message; // a timestamp no clock holds: the writer's odd-timestamp rule
        }
        long captureId = message.envelope().captureId();
        Source key = new Source(captureId, source);
        Anchor anchor = anchors.get(key);
        if (anchor == null) {
            if (anchors.size() >= maxSources && (!sweep(arrival) || anchors.size() >= maxSources)) {
                untracked.increment();
                return message;
            }
            anchor = anchors.computeIfAbsent(key, k -> new Anchor());
        }
        long offset = anchor.offset(sample, arrival);
        skew(captureId).set(offset);
        return Math.abs(offset) > toleranceMicros ? message.withClockOffsetMicros(offset) : message;
    }

    /** Forgets the sources silent for {@link #IDLE}; false when a sweep ran less than a second ago. */
    private boolean sweep(long now) {
        long last = lastSweep.get();
        if (last != Long.MIN_VALUE && now - last < SWEEP_EVERY_MICROS || !lastSweep.compareAndSet(last, now)) {
            return false;
        }
        long idleBefore = now - IDLE.toNanos() / 1000;
        anchors.values().removeIf(a -> a.lastSeen() < idleBefore);
        return true;
    }

    /** A connection closed: its sources are no longer tracked. */
    void forget(Object source) {
        anchors.keySet().removeIf(k -> k.source().equals(source));
    }

    private AtomicLong skew(long captureId) {
        AtomicLong v = skewByCaptureId.get(captureId);
        if (v == null && skewByCaptureId.size() >= maxSources) {
            return new AtomicLong(); // as many gauges as tracked sources at most
        }
        if (v == null) {
            v = skewByCaptureId.computeIfAbsent(captureId, id -> {
                AtomicLong created = new AtomicLong();
                Gauge.builder("hep.agent.clock.skew", created, a -> -a.get() / 1e6)
                        .description("The agent's clock minus the collector's, in seconds, as last estimated from "
                                + "arrival times (negative: behind)")
                        .baseUnit("seconds").tag("capture_id", Long.toString(id)).register(registry);
                return created;
            });
        }
        return v;
    }

    private record Source(long captureId, Object source) {
    }

    /** One source's anchored offset. */
    private final class Anchor {
        private boolean set;
        private long offset;
        private volatile long lastSeen;

        long lastSeen() {
            return lastSeen;
        }

        synchronized long offset(long sample, long arrival) {
            lastSeen = arrival;
            if (!set) {
                set = true;
                offset = sample;
            } else if (farFrom(sample)) {
                offset = sample;
                reanchored.increment();
            }
            return offset;
        }

        private boolean farFrom(long sample) {
            try {
                return Math.abs(Math.subtractExact(sample, offset)) > toleranceMicros;
            } catch (ArithmeticException e) {
                return true;
            }
        }
    }
}
