package io.hepstack.ingest.sip;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.SipFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

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
 * {@code sip_kpi_untracked_total{reason}}. Thread-safe: called from every listener thread.
 */
public final class SipKpis implements Consumer<CapturedMessage> {

    static final Set<String> METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK",
            "UPDATE", "INFO", "REFER", "NOTIFY", "SUBSCRIBE", "MESSAGE", "PUBLISH");
    private static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** An open transaction or session; {@code done}: ended, kept so late mirror copies do not reopen it. */
    private record Open(long captureMicros, long seenNanos, boolean done) {
    }

    private final MeterRegistry registry;
    private final IngestProperties.Kpi cfg;
    private final Map<String, Counter> messages = new ConcurrentHashMap<>();
    private final NodeLabels nodes;
    private final Map<String, Open> transactions = new ConcurrentHashMap<>();
    private final Map<String, Open> sessions = new ConcurrentHashMap<>();
    private final Timer srd;
    private final Timer rrd;
    private final Timer sessionDuration;
    private final Map<String, Counter> untracked = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long lastSweep = System.nanoTime();

    public SipKpis(MeterRegistry registry, IngestProperties.Kpi cfg) {
        this.registry = registry;
        this.cfg = cfg;
        this.nodes = new NodeLabels(cfg.maxNodes());
        this.srd = Timer.builder("sip.srd").description("Session request delay: INVITE to its first final reply")
                .publishPercentileHistogram().register(registry);
        this.rrd = Timer.builder("sip.rrd").description("Registration request delay: REGISTER to its first final reply")
                .publishPercentileHistogram().register(registry);
        this.sessionDuration = Timer.builder("sip.session.duration")
                .description("Session duration: 200 to INVITE to the first BYE")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("sip.kpi.tracked", transactions, Map::size).tag("what", "transactions")
                .description("Open transactions and sessions tracked for the delay histograms").register(registry);
        Gauge.builder("sip.kpi.tracked", sessions, Map::size).tag("what", "sessions").register(registry);
    }

    @Override
    public void accept(CapturedMessage m) {
        SipFields sip = m.sip();
        if (!cfg.enabled() || sip == null) {
            return;
        }
        boolean request = sip.isRequest();
        String method = bounded(request ? sip.method() : sip.cseqMethod());
        String status = request ? "request" : status(sip.status());
        String node = node(m);
        messages.computeIfAbsent(node + ' ' + method + ' ' + status, k -> Counter.builder("sip.messages")
                .description("SIP messages seen, by method (CSeq method for replies), status and capture node")
                .tag("method", method).tag("status", status).tag("node", node).register(registry)).increment();
        if (sip.callId() != null) {
            track(m, sip, request, method);
        }
        long now = System.nanoTime();
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

    private void track(CapturedMessage m, SipFields sip, boolean request, String method) {
        boolean invite = "INVITE".equals(method);
        if (!invite && !"REGISTER".equals(method) && !"BYE".equals(method)) {
            return;
        }
        String txKey = sip.callId() + '\n' + sip.cseq() + '\n' + method;
        long captured = m.envelope().timestampMicros();
        if (request && !"BYE".equals(method)) {
            open(transactions, txKey, captured);
        } else if (request) { // BYE ends the session
            close(sessions, sip.callId(), sessionDuration, m);
        } else if (sip.status() != null && sip.status() >= 200 && !"BYE".equals(method)) {
            close(transactions, txKey, invite ? srd : rrd, m);
            if (invite && sip.status() < 300) {
                open(sessions, sip.callId(), captured);
            }
        }
    }

    private void open(Map<String, Open> map, String key, long captureMicros) {
        if (map.containsKey(key)) {
            return; // a retransmission or the second mirror copy
        }
        if (map.size() >= cfg.maxTracked()) {
            untracked("full");
            return;
        }
        map.putIfAbsent(key, new Open(captureMicros, System.nanoTime(), false));
    }

    /** Records the delay once: the entry stays, marked done, until it expires. */
    private static void close(Map<String, Open> map, String key, Timer timer, CapturedMessage end) {
        Open open = map.get(key);
        if (open == null || open.done()
                || !map.replace(key, open, new Open(open.captureMicros(), open.seenNanos(), true))) {
            return;
        }
        long micros = end.envelope().timestampMicros() - open.captureMicros();
        if (micros >= 0) {
            timer.record(micros, TimeUnit.MICROSECONDS);
        }
    }

    private void sweep(Map<String, Open> map, long expiryNanos, long now, String reason) {
        map.entrySet().removeIf(e -> {
            boolean old = now - e.getValue().seenNanos() > expiryNanos;
            if (old && !e.getValue().done()) {
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

    private String node(CapturedMessage m) {
        return nodes.of(m);
    }

    static String bounded(String method) {
        return method != null && METHODS.contains(method) ? method : "OTHER";
    }

    static String status(Integer code) {
        return code != null && code >= 100 && code <= 699 ? code.toString() : "other";
    }
}
