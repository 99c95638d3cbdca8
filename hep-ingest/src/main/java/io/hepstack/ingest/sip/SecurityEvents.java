package io.hepstack.ingest.sip;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.SipFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * SIP security events per capture node, {@code sip_security_events_total{kind,node}}:
 * <ul>
 *   <li>{@code scanner_user_agent}: a request whose User-Agent or From display name contains one of
 *       the configured scanner signatures (case-insensitive), one per such request;</li>
 *   <li>{@code register_brute_force}: more than {@code threshold} 401/403 replies to REGISTERs towards
 *       one address (the registering client) within the sliding window, by capture time; counted once
 *       per window per address. Addresses live in a map bounded by {@code maxTrackedSources} (least
 *       recently seen forgotten first);</li>
 *   <li>{@code malformed_sip}: a SIP payload (HEP type 1) that failed to parse, one per message; the
 *       source address is logged at DEBUG.</li>
 * </ul>
 * Node labels are bounded as the KPIs' ({@link NodeLabels}, with the KPI's {@code max-nodes}). Thread-safe: called from every
 * listener thread.
 */
public final class SecurityEvents implements Consumer<CapturedMessage> {

    private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);

    public static final String SCANNER_USER_AGENT = "scanner_user_agent";
    public static final String REGISTER_BRUTE_FORCE = "register_brute_force";
    public static final String MALFORMED_SIP = "malformed_sip";

    /** How far into a payload the From header is looked for. */
    private static final int HEADER_SCAN_BYTES = 4096;

    private final MeterRegistry registry;
    private final IngestProperties.Security cfg;
    private final List<String> signatures;
    private final long windowMicros;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final NodeLabels nodes;
    private final Map<InetAddress, Failures> failures;

    /** Recent failure times of one address (at most threshold + 1), and until when it is flagged. */
    private static final class Failures {
        final ArrayDeque<Long> times = new ArrayDeque<>();
        long flaggedUntil = Long.MIN_VALUE;
    }

    public SecurityEvents(MeterRegistry registry, IngestProperties.Security cfg, int maxNodes) {
        this.registry = registry;
        this.cfg = cfg;
        this.nodes = new NodeLabels(maxNodes);
        this.signatures = cfg.scannerUserAgents().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.windowMicros = cfg.bruteForceWindow().toNanos() / 1000;
        int max = cfg.maxTrackedSources();
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public void accept(CapturedMessage m) {
        Envelope e = m.envelope();
        if (!cfg.enabled() || e.protoType() != HepPayloadType.SIP.number()) {
            return;
        }
        SipFields sip = m.sip();
        if (sip == null) {
            log.debug("malformed SIP from {}:{}", e.srcIp(), e.srcPort());
            count(MALFORMED_SIP, m);
            return;
        }
        if (sip.isRequest()) {
            if (isScanner(sip.userAgent()) || isScanner(fromDisplayName(m.payload()))) {
                count(SCANNER_USER_AGENT, m);
            }
        } else if (sip.status() != null && (sip.status() == 401 || sip.status() == 403)
                && "REGISTER".equals(sip.cseqMethod()) && e.dstIp() != null
                && authFailure(e.dstIp(), e.timestampMicros())) {
            log.info("REGISTER brute force from {}: more than {} rejected REGISTERs within {}", e.dstIp(),
                    cfg.bruteForceThreshold(), cfg.bruteForceWindow());
            count(REGISTER_BRUTE_FORCE, m);
        }
    }

    private boolean isScanner(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String s : signatures) {
            if (lower.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** Records a rejected REGISTER towards {@code client}; whether that makes it a new brute-force event. */
    private synchronized boolean authFailure(InetAddress client, long micros) {
        Failures f = failures.computeIfAbsent(client, k -> new Failures());
        f.times.addLast(micros);
        while (!f.times.isEmpty() && f.times.peekFirst() <= micros - windowMicros) {
            f.times.pollFirst();
        }
        while (f.times.size() > cfg.bruteForceThreshold() + 1) {
            f.times.pollFirst();
        }
        if (f.times.size() > cfg.bruteForceThreshold() && micros >= f.flaggedUntil) {
            f.flaggedUntil = micros + windowMicros;
            return true;
        }
        return false;
    }

    /** Addresses tracked for brute force. */
    synchronized int trackedSources() {
        return failures.size();
    }

    /** The display name of the From header (RFC 3261 §20.20, compact form "f"), or {@code null}. */
    static String fromDisplayName(byte[] payload) {
        // Scans bytes and builds one String, the display name, only when there is one: this runs for
        // every request on the listener thread.
        int limit = Math.min(payload.length, HEADER_SCAN_BYTES);
        int at = 0;
        while (at < limit) {
            int end = at;
            while (end < limit && payload[end] != '\n') {
                end++;
            }
            int a = at;
            int e = end;
            while (a < e && isSpace(payload[a])) {
                a++;
            }
            while (e > a && isSpace(payload[e - 1])) {
                e--;
            }
            if (a == e && at > 0) {
                return null; // end of headers
            }
            int colon = a;
            while (colon < e && payload[colon] != ':') {
                colon++;
            }
            if (colon > a && colon < e && isFromName(payload, a, colon)) {
                int v = colon + 1;
                int angle = v;
                while (angle < e && payload[angle] != '<') {
                    angle++;
                }
                while (v < angle && isSpace(payload[v])) {
                    v++;
                }
                if (angle >= e || angle <= v) {
                    return null; // no display name (or "<" first)
                }
                int d = angle;
                while (d > v && isSpace(payload[d - 1])) {
                    d--;
                }
                if (d - v >= 2 && payload[v] == '"' && payload[d - 1] == '"') {
                    v++;
                    d--;
                }
                return new String(payload, v, d - v, StandardCharsets.ISO_8859_1);
            }
            at = end + 1;
        }
        return null;
    }

    /** "From" or compact "f", any case, with optional whitespace before the colon. */
    private static boolean isFromName(byte[] b, int from, int colon) {
        int end = colon;
        while (end > from && isSpace(b[end - 1])) {
            end--;
        }
        int len = end - from;
        if (len == 1) {
            return (b[from] | 0x20) == 'f';
        }
        return len == 4 && (b[from] | 0x20) == 'f' && (b[from + 1] | 0x20) == 'r' && (b[from + 2] | 0x20) == 'o'
                && (b[from + 3] | 0x20) == 'm';
    }

    /** What String.strip() removes among ASCII: SP, HT, CR, LF, VT, FF, and the other control characters it treats as space. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
    }

    private void count(String kind, CapturedMessage m) {
        String node = node(m);
        counters.computeIfAbsent(kind + ' ' + node, k -> Counter.builder("sip.security.events")
                .description("SIP security events: scanner requests, REGISTER brute force, malformed SIP")
                .tag("kind", kind).tag("node", node).register(registry)).increment();
    }

    private String node(CapturedMessage m) {
        return nodes.of(m);
    }
}
