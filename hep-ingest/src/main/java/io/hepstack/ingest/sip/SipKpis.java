package io.hepstack.ingest.sip;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.SipFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * SIP traffic metrics per capture node, from which PromQL computes the RFC 6076 KPIs (ASR, NER, ISA,
 * SRD, RRD, SD; see docs/ingest.md):
 * <ul>
 *   <li>{@code sip_messages_total{method,status,node}}: requests with {@code status="request"}, replies
 *       with the 3-digit code and their CSeq method. Unknown methods are {@code OTHER}; nodes are
 *       bounded by {@link NodeLabels} ({@code other} beyond the configured number, {@code invalid} for a
 *       name too long or with odd characters): the label set stays bounded.</li>
 *   <li>{@code sip_srd_seconds}, {@code sip_rrd_seconds}: INVITE / REGISTER to its first final reply,
 *       by capture time, per transaction (Call-ID + CSeq).</li>
 *   <li>{@code sip_session_duration_seconds}: 200 to INVITE to the first BYE, per Call-ID.</li>
 * </ul>
 * Open transactions and sessions live in bounded maps; what does not fit or expires is counted in
 * {@code sip_kpi_untracked_total{reason}}. An ended one stays {@link #ENDED_LINGER_NANOS 32 s} more, so that a late copy (a
 * retransmission, the same message from a second capture point) neither reopens nor counts it twice, then is
 * forgotten: the maps hold what is open plus half a minute of what ended, not 12 hours of ended calls.
 * <p>Per message, nothing is allocated to count it: a counter is found by node label, then by method and status
 * in arrays, and a transaction or session by a 64-bit hash of its Call-ID, CSeq and method (two keys collide with
 * odds of about 10<sup>-9</sup> among 200,000 open ones), not by a key string built for it (docs/performance.md).
 * Thread-safe: called from every listener thread.
 */
public final class SipKpis implements Consumer<CapturedMessage> {

    /** The methods counted by name, in their index order; any other is {@code OTHER}. */
    static final List<String> METHODS = List.of("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK",
            "UPDATE", "INFO", "REFER", "NOTIFY", "SUBSCRIBE", "MESSAGE", "PUBLISH");
    /**
     * How long an ended transaction or session is kept: 64 × T1, the longest a SIP transaction lives (RFC 3261,
     * Timers B and F), so the longest a copy of its request or final reply can follow it.
     */
    static final long ENDED_LINGER_NANOS = TimeUnit.SECONDS.toNanos(32);
    private static final Map<String, Integer> METHOD_INDEX = new HashMap<>();
    private static final int OTHER_METHOD = METHODS.size();
    private static final int INVITE = 0;
    private static final int BYE = 2;
    private static final int REGISTER = 4;
    /** Status slots of a method's counters: 0 a request, 1-600 the codes 100-699, 601 any other status. */
    private static final int STATUS_SLOTS = 602;
    private static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    static {
        for (int i = 0; i < METHODS.size(); i++) {
            METHOD_INDEX.put(METHODS.get(i), i);
        }
    }

    /**
     * An open transaction or session; {@code done}: ended, kept {@link #ENDED_LINGER_NANOS 32 s} so late copies neither reopen
     * nor count it. {@code seenNanos}: when it was opened, or ended once done.
     */
    private record Open(long captureMicros, long seenNanos, boolean done) {
    }

    private final MeterRegistry registry;
    private final IngestProperties.Kpi cfg;
    private final LongSupplier nanoTime;
    /** Per node label, per method: the counters by status slot, each made when first counted. */
    private final Map<String, AtomicReferenceArray<AtomicReferenceArray<Counter>>> messages = new ConcurrentHashMap<>();
    private final NodeLabels nodes;
    private final Map<Long, Open> transactions = new ConcurrentHashMap<>();
    private final Map<Long, Open> sessions = new ConcurrentHashMap<>();
    private final Timer srd;
    private final Timer rrd;
    private final Timer sessionDuration;
    private final Map<String, Counter> untracked = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long lastSweep;

    public SipKpis(MeterRegistry registry, IngestProperties.Kpi cfg) {
        this(registry, cfg, System::nanoTime);
    }

    /** @param nanoTime the clock of expiry and lingering ({@link System#nanoTime()}; tests pass their own) */
    SipKpis(MeterRegistry registry, IngestProperties.Kpi cfg, LongSupplier nanoTime) {
        this.registry = registry;
        this.cfg = cfg;
        this.nanoTime = nanoTime;
        this.lastSweep = nanoTime.getAsLong();
        this.nodes = new NodeLabels(cfg.maxNodes());
        this.srd = Timer.builder("sip.srd").description("Session request delay: INVITE to its first final reply")
                .publishPercentileHistogram().register(registry);
        this.rrd = Timer.builder("sip.rrd").description("Registration request delay: REGISTER to its first final reply")
                .publishPercentileHistogram().register(registry);
        this.sessionDuration = Timer.builder("sip.session.duration")
                .description("Session duration: 200 to INVITE to the first BYE")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("sip.kpi.tracked", transactions, Map::size).tag("what", "transactions")
                .description("Open transactions and sessions tracked for the delay histograms, with those ended within "
                        + "the last 32 s").register(registry);
        Gauge.builder("sip.kpi.tracked", sessions, Map::size).tag("what", "sessions").register(registry);
    }

    @Override
    public void accept(CapturedMessage m) {
        SipFields sip = m.sip();
        if (!cfg.enabled() || sip == null) {
            return;
        }
        boolean request = sip.isRequest();
        int method = methodIndex(request ? sip.method() : sip.cseqMethod());
        int status = request ? 0 : statusSlot(sip.status());
        counter(nodes.of(m), method, status).increment();
        long now = nanoTime.getAsLong();
        if (sip.callId() != null) {
            track(m, sip, request, method, now);
        }
        if (now - lastSweep > SWEEP_EVERY_NANOS && sweeping.compareAndSet(false, true)) {
            try {
                lastSweep = now;
                sweep(transactions, cfg.transactionExpiry().toNanos(), now, "transaction_expired");
                sweep(sessions, cfg.sessionExpiry().toNanos(), now, "session_expired");
            } finally {
                sweeping.set(false);
            }
        }
    }

    /** The counter of {@code sip_messages_total{node,method,status}}, made and registered the first time. */
    private Counter counter(String node, int method, int status) {
        AtomicReferenceArray<AtomicReferenceArray<Counter>> byMethod =
                messages.computeIfAbsent(node, n -> new AtomicReferenceArray<>(METHODS.size() + 1));
        AtomicReferenceArray<Counter> byStatus = byMethod.get(method);
        if (byStatus == null) {
            byMethod.compareAndSet(method, null, new AtomicReferenceArray<>(STATUS_SLOTS));
            byStatus = byMethod.get(method);
        }
        Counter counter = byStatus.get(status);
        if (counter == null) { // two threads may both build it: the registry gives both the same counter
            counter = Counter.builder("sip.messages")
                    .description("SIP messages seen, by method (CSeq method for replies), status and capture node")
                    .tag("method", method == OTHER_METHOD ? "OTHER" : METHODS.get(method))
                    .tag("status", statusLabel(status)).tag("node", node).register(registry);
            byStatus.set(status, counter);
        }
        return counter;
    }

    private void track(CapturedMessage m, SipFields sip, boolean request, int method, long now) {
        if (method != INVITE && method != REGISTER && method != BYE) {
            return;
        }
        long captured = m.envelope().timestampMicros();
        if (request && method != BYE) {
            open(transactions, key(sip.callId(), sip.cseq(), method), captured, now);
        } else if (request) { // BYE ends the session
            close(sessions, key(sip.callId(), null, -1), sessionDuration, m, now);
        } else if (sip.status() != null && sip.status() >= 200 && method != BYE) {
            close(transactions, key(sip.callId(), sip.cseq(), method), method == INVITE ? srd : rrd, m, now);
            if (method == INVITE && sip.status() < 300) {
                open(sessions, key(sip.callId(), null, -1), captured, now);
            }
        }
    }

    /**
     * A transaction's (Call-ID, CSeq number, method) or a session's (Call-ID; {@code cseq} null, {@code method} -1)
     * key: 64-bit FNV-1a over the Call-ID's characters, then the number and method, with a final mix.
     */
    static long key(String callId, Long cseq, int method) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < callId.length(); i++) {
            h = (h ^ callId.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (cseq == null ? -1L : cseq)) * 0x100000001b3L;
        h = (h ^ method) * 0x100000001b3L;
        h ^= h >>> 33; // murmur3's finalizer: the low bits the map uses depend on every input bit
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }

    private void open(Map<Long, Open> map, long key, long captureMicros, long now) {
        if (map.containsKey(key)) {
            return; // a retransmission or the second mirror copy
        }
        if (map.size() >= cfg.maxTracked()) {
            untracked("full");
            return;
        }
        map.putIfAbsent(key, new Open(captureMicros, now, false));
    }

    /** Records the delay once: the entry stays, marked done, for {@link #ENDED_LINGER_NANOS 32 s}. */
    private static void close(Map<Long, Open> map, long key, Timer timer, CapturedMessage end, long now) {
        Open open = map.get(key);
        if (open == null || open.done() || !map.replace(key, open, new Open(open.captureMicros(), now, true))) {
            return;
        }
        long micros = end.envelope().timestampMicros() - open.captureMicros();
        if (micros >= 0) {
            timer.record(micros, TimeUnit.MICROSECONDS);
        }
    }

    private void sweep(Map<Long, Open> map, long expiryNanos, long now, String reason) {
        map.values().removeIf(open -> {
            if (open.done()) {
                return now - open.seenNanos() > ENDED_LINGER_NANOS;
            }
            boolean old = now - open.seenNanos() > expiryNanos;
            if (old) {
                untracked(reason);
            }
            return old;
        });
    }

    private void untracked(String reason) {
        untracked.computeIfAbsent(reason, r -> Counter.builder("sip.kpi.untracked")
                .description("Transactions and sessions left out of the delay histograms")
                .tag("reason", r).register(registry)).increment();
    }

    static int methodIndex(String method) {
        Integer i = method == null ? null : METHOD_INDEX.get(method);
        return i == null ? OTHER_METHOD : i;
    }

    static int statusSlot(Integer code) {
        return code != null && code >= 100 && code <= 699 ? code - 99 : STATUS_SLOTS - 1;
    }

    static String statusLabel(int slot) {
        return slot == 0 ? "request" : slot == STATUS_SLOTS - 1 ? "other" : Integer.toString(slot + 99);
    }
}
