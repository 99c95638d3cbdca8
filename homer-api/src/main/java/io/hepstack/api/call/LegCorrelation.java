package io.hepstack.api.call;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The correlation algorithm of a call flow, apart from SQL and from the answer: the legs (Call-IDs) and
 * keys (correlation ids) found so far, grown one round at a time from the links a round reads.
 *
 * <p>Correlation, as the collector stores it: {@code correlation_id} is HEP chunk 0x0011, else the first
 * configured A-leg header (X-CID...), else the Call-ID. So two legs are linked when they share a
 * correlation id, or when one leg's correlation id is the other's Call-ID; QoS reports and logs are linked
 * by their correlation id. A round's links are {@code (call_id, correlation_id)} pairs of rows that
 * touch the frontier (the legs and keys the last round added); at most {@code maxLegs} legs and twice as
 * many keys are followed.
 */
final class LegCorrelation {

    private final int maxLegs;
    private final Set<String> legs = new LinkedHashSet<>();
    private final Set<String> keys = new LinkedHashSet<>();
    /** Leg that brought each key, to name the leg of QoS and logs. */
    private final Map<String, String> keyLeg = new LinkedHashMap<>();
    private Set<String> newLegs = new LinkedHashSet<>();
    private Set<String> newKeys = new LinkedHashSet<>();

    /** The correlation of one call: its Call-ID is the first leg and the first key. */
    LegCorrelation(String callId, int maxLegs) {
        this.maxLegs = maxLegs;
        legs.add(callId);
        keys.add(callId);
        keyLeg.put(callId, callId);
        newLegs.add(callId);
        newKeys.add(callId);
    }

    /** Whether the last round found anything to follow. */
    boolean hasFrontier() {
        return !newLegs.isEmpty() || !newKeys.isEmpty();
    }

    /** The legs the last round added (the first: the call itself). */
    Set<String> newLegs() {
        return Collections.unmodifiableSet(newLegs);
    }

    /** The keys the last round added. */
    Set<String> newKeys() {
        return Collections.unmodifiableSet(newKeys);
    }

    /** Every leg found, in the order found. */
    Set<String> legs() {
        return Collections.unmodifiableSet(legs);
    }

    /** Every key found, and every leg (a leg's Call-ID is a key too). */
    Set<String> keysAndLegs() {
        Set<String> all = new LinkedHashSet<>(keys);
        all.addAll(legs);
        return all;
    }

    /**
     * One round: the {@code (call_id, correlation_id)} links read for the frontier. A new Call-ID is a
     * new leg (within the bound); a leg's correlation id is a new key; a leg's own Call-ID becomes a key
     * (a further leg may name it: the X-CID of a C-leg). What this round added is the next frontier.
     */
    void absorb(List<String[]> links) {
        Set<String> addedLegs = new LinkedHashSet<>();
        Set<String> addedKeys = new LinkedHashSet<>();
        for (String[] link : links) {
            String leg = link[0];
            String key = link[1];
            if (leg == null) {
                continue;
            }
            if (!legs.contains(leg) && legs.size() < maxLegs) {
                legs.add(leg);
                addedLegs.add(leg);
            }
            if (!legs.contains(leg)) {
                continue;
            }
            if (key != null && !keys.contains(key) && keys.size() < maxLegs * 2) {
                keys.add(key);
                keyLeg.put(key, leg);
                addedKeys.add(key);
            }
            if (!keys.contains(leg)) {
                keys.add(leg);
                keyLeg.put(leg, leg);
                addedKeys.add(leg);
            }
        }
        newLegs = addedLegs;
        newKeys = addedKeys;
    }

    /** The leg a row belongs to: its Call-ID when that is a leg, else the leg its correlation id came with. */
    String legOf(String callId, String correlationId) {
        if (callId != null && legs.contains(callId)) {
            return callId;
        }
        if (correlationId != null && legs.contains(correlationId)) {
            return correlationId;
        }
        return correlationId == null ? null : keyLeg.get(correlationId);
    }
}
