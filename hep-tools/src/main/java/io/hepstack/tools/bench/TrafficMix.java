package io.hepstack.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How many scenarios of each kind make one cycle of generated traffic, e.g. {@code call=10,busy=2,
 * register=5,options=3,rtcp=12} (about 10 % of the messages RTCP reports). The cycle is interleaved (smooth weighted round robin), so any window of a
 * cycle's length holds the configured proportions exactly.
 */
public record TrafficMix(Map<Scenario, Integer> weights) {

    /** Half the scenarios calls, a quarter registrations: 67 % of messages are call messages. */
    public static final TrafficMix DEFAULT = parse("call=10,busy=2,register=5,options=3");

    public TrafficMix {
        weights = Collections.unmodifiableMap(new EnumMap<>(weights));
        if (weights.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
            throw new IllegalArgumentException("mix " + weights + " (expected: at least one positive weight)");
        }
        for (Map.Entry<Scenario, Integer> e : weights.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("weight " + e.getKey().label() + "=" + e.getValue() + " (expected: >= 0)");
            }
        }
        if (weights.getOrDefault(Scenario.RTCP, 0) > 0 && weights.getOrDefault(Scenario.CALL, 0) <= 0) {
            throw new IllegalArgumentException("mix with rtcp=" + weights.get(Scenario.RTCP)
                    + " and no call (expected: call > 0 with rtcp: a report is on a call of the run)");
        }
    }

    /** Parses {@code label=weight,...}; scenarios not named get weight 0. */
    public static TrafficMix parse(String text) {
        Map<Scenario, Integer> w = new EnumMap<>(Scenario.class);
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("mix entry " + part + " (expected: scenario=weight)");
            }
            w.put(Scenario.of(kv[0].trim()), Integer.parseInt(kv[1].trim()));
        }
        return new TrafficMix(w);
    }

    /** The scenarios of one cycle, in order. */
    public List<Scenario> cycle() {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        Map<Scenario, Integer> current = new EnumMap<>(Scenario.class);
        List<Scenario> out = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            Scenario best = null;
            for (Map.Entry<Scenario, Integer> e : weights.entrySet()) {
                int c = current.merge(e.getKey(), e.getValue(), Integer::sum);
                if (e.getValue() > 0 && (best == null || c > current.get(best))) {
                    best = e.getKey();
                }
            }
            current.merge(best, -total, Integer::sum);
            out.add(best);
        }
        return out;
    }

    /** Messages in one cycle. */
    public int messagesPerCycle() {
        return weights.entrySet().stream().mapToInt(e -> e.getKey().size() * e.getValue()).sum();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        weights.forEach((s, n) -> b.append(b.length() == 0 ? "" : ",").append(s.label()).append('=').append(n));
        return b.toString();
    }
}
