package io.hepstack.ingest;

import io.hepstack.ingest.listen.ListenerMetrics;
import io.hepstack.ingest.listen.Transport;
import io.hepstack.proto.hep.HepRejectReason;
import io.hepstack.proto.model.MessageKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The collector's own counters. Every packet received ends in exactly one of: rejected (could not be
 * decoded or authenticated), discarded (filtered by configuration), dropped (accepted but lost, with
 * the stage and reason), or stored. Hot-path counters are resolved once, not looked up per packet.
 */
public final class IngestMetrics implements ListenerMetrics {

    /** Reject reason for a packet without the configured HEP authentication key. */
    public static final String AUTH_MISSING = "auth_missing";
    /** Reject reason for a packet with a wrong HEP authentication key. */
    public static final String AUTH_WRONG = "auth_wrong";
    /** Strict mode: a capture id its agent's key does not list. */
    public static final String AUTH_CAPTURE_ID = "auth_capture_id";
    /** Strict mode: a node name its agent's key does not list. */
    public static final String AUTH_NODE = "auth_node";
    /** Reject reason for bytes left unframed when a TCP/TLS connection closed. */
    public static final String STREAM_TRUNCATED = "stream_truncated";

    private final MeterRegistry registry;
    private final Counter[][] received = new Counter[Transport.values().length][4];
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> discarded = new ConcurrentHashMap<>();
    private final Map<String, Counter> connectionsClosed = new ConcurrentHashMap<>();
    private final EnumMap<MessageKind, Counter> stored = new EnumMap<>(MessageKind.class);
    private final Timer batch;
    private final Counter batchFailures;
    private final Counter tcpPauses;
    private final Counter censored;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Transport t : Transport.values()) {
            for (int v = 0; v < 4; v++) {
                received[t.ordinal()][v] = Counter.builder("hep.packets.received")
                        .description("HEP packets received, before decoding")
                        .tag("transport", t.label()).tag("version", v == 0 ? "unknown" : Integer.toString(v))
                        .register(registry);
            }
        }
        for (HepRejectReason r : HepRejectReason.values()) {
            rejectedCounter(label(r));
        }
        rejectedCounter(AUTH_MISSING);
        rejectedCounter(AUTH_WRONG);
        rejectedCounter(AUTH_CAPTURE_ID);
        rejectedCounter(AUTH_NODE);
        for (MessageKind k : MessageKind.values()) {
            stored.put(k, Counter.builder("hep.messages.stored").description("Messages stored in the database")
                    .tag("kind", k.code()).register(registry));
        }
        batch = Timer.builder("hep.batch").description("Time to store one batch (successful attempts)")
                .publishPercentileHistogram().register(registry);
        batchFailures = Counter.builder("hep.batch.failures")
                .description("Batch store attempts that failed and were retried").register(registry);
        tcpPauses = Counter.builder("hep.tcp.pauses")
                .description("Times a TCP/TLS connection stopped reading because the queue was full")
                .register(registry);
        censored = Counter.builder("hep.messages.censored")
                .description("SIP messages stored with their body censored (homer.ingest.privacy)")
                .register(registry);
    }

    /** The label of a decoder reject reason. */
    public static String label(HepRejectReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    /** A packet arrived; {@code version} 1, 2 or 3, anything else is "unknown". */
    public void received(Transport transport, int version) {
        received[transport.ordinal()][version >= 1 && version <= 3 ? version : 0].increment();
    }

    @Override
    public void rejected(HepRejectReason reason) {
        rejected(label(reason));
    }

    @Override
    public void streamTruncated() {
        rejected(STREAM_TRUNCATED);
    }

    /** A packet could not be accepted. */
    public void rejected(String reason) {
        rejectedCounter(reason).increment();
    }

    private Counter rejectedCounter(String reason) {
        return counter(rejected, reason, () -> Counter.builder("hep.packets.rejected")
                .description("HEP packets not accepted: undecodable or unauthenticated")
                .tag("reason", reason).register(registry));
    }

    /** Accepted messages lost at a stage (queue, writer, store, shutdown). */
    public void dropped(String stage, String reason, long count) {
        counter(dropped, stage + '/' + reason, () -> Counter.builder("hep.packets.dropped")
                .description(ListenerMetrics.DROPPED_DESCRIPTION)
                .tag("stage", stage).tag("reason", reason).register(registry)).increment(count);
    }

    /** Discard reason of a message whose method is in filter.discard-methods. */
    public static final String DISCARD_FILTER = "filter";
    /** Discard reason of a packet seen before within dedup.window. */
    public static final String DISCARD_DUPLICATE = "duplicate";

    /** A message not stored by configuration: {@code reason} filter (with its method) or duplicate (method "any"). */
    public void discarded(String reason, String method) {
        counter(discarded, reason + '/' + method, () -> Counter.builder("hep.messages.discarded")
                .description("Messages not stored by configuration (homer.ingest.filter, homer.ingest.dedup)")
                .tag("reason", reason).tag("method", method).register(registry)).increment();
    }

    /** A SIP message whose body was censored before storing (homer.ingest.privacy). */
    public void censored() {
        censored.increment();
    }

    /** Messages of one kind stored. */
    public void stored(MessageKind kind, long count) {
        stored.get(kind).increment(count);
    }

    /** A TCP/TLS connection closed by the collector. */
    @Override
    public void connectionClosed(String reason) {
        counter(connectionsClosed, reason, () -> Counter.builder("hep.connections.closed")
                .description("TCP/TLS connections closed by the collector")
                .tag("reason", reason).register(registry)).increment();
    }

    Timer batchTimer() {
        return batch;
    }

    void batchFailed() {
        batchFailures.increment();
    }

    void tcpPaused() {
        tcpPauses.increment();
    }

    /** The registry the collector's other meters go to. */
    @Override
    public MeterRegistry registry() {
        return registry;
    }

    private static Counter counter(Map<String, Counter> cache, String key, Supplier<Counter> create) {
        Counter c = cache.get(key);
        return c != null ? c : cache.computeIfAbsent(key, k -> create.get());
    }
}
