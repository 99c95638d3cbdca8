package io.hepstack.api.stats;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.search.SearchRequest;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import org.springframework.util.MultiValueMap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A validated statistics request: time range as every search ({@code from}, {@code to}), bucket width
 * ({@code step}) and capture nodes ({@code node}, exact names, comma-separated).
 *
 * @param from        start, inclusive
 * @param to          end, exclusive
 * @param stepSeconds bucket width; the last bucket may be cut short by {@code to}
 * @param nodes       capture nodes the statistics are limited to; empty: every node
 */
record StatsRequest(Instant from, Instant to, long stepSeconds, List<String> nodes) {

    static final Set<String> PARAMETERS = Set.of("from", "node", "step", "to");
    /** Smallest bucket. */
    static final long MIN_STEP = 60;
    /** Most buckets one request may ask for. */
    static final long MAX_BUCKETS = 1000;
    /** Buckets a default step aims at, at most. */
    static final long DEFAULT_BUCKETS = 120;
    /** Default steps, in seconds: the smallest giving at most {@link #DEFAULT_BUCKETS} buckets. */
    private static final long[] ROUND_STEPS = {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};

    static StatsRequest parse(MultiValueMap<String, String> query, ApiProperties.Search limits, Clock clock) {
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.badRequest("unknown parameter " + Times.quote(name) + " (expected one of: "
                        + String.join(", ", new java.util.TreeSet<>(PARAMETERS)) + ")");
            }
        }
        Instant[] range = SearchRequest.range(query.getFirst("from"), query.getFirst("to"), limits.defaultRange(),
                limits.maxRange(), clock);
        long seconds = Duration.between(range[0], range[1]).toSeconds();
        String rawStep = query.getFirst("step");
        long step = rawStep == null || rawStep.isBlank() ? defaultStep(seconds) : step(rawStep.trim());
        long buckets = buckets(seconds, step);
        if (buckets > MAX_BUCKETS) {
            throw ApiException.badRequest("step: " + step + " s makes " + buckets + " buckets (at most " + MAX_BUCKETS
                    + "): widen the step or narrow from/to");
        }
        return new StatsRequest(range[0], range[1], step, nodes(query.get("node"), limits));
    }

    /** Buckets of {@code [from, to)}. */
    int buckets() {
        return (int) buckets(Duration.between(from, to).toSeconds(), stepSeconds);
    }

    /** Start of bucket {@code i}. */
    Instant bucket(int i) {
        return from.plusSeconds(i * stepSeconds);
    }

    private static long buckets(long seconds, long step) {
        return Math.max(1, (seconds + step - 1) / step);
    }

    static long defaultStep(long rangeSeconds) {
        for (long s : ROUND_STEPS) {
            if (buckets(rangeSeconds, s) <= DEFAULT_BUCKETS) {
                return s;
            }
        }
        long s = (rangeSeconds + DEFAULT_BUCKETS - 1) / DEFAULT_BUCKETS;
        return (s + 86399) / 86400 * 86400;
    }

    /** {@code 300} (seconds) or an ISO-8601 duration {@code PT5M}, whole seconds, at least a minute. */
    static long step(String v) {
        long seconds;
        if (!v.isEmpty() && v.length() <= 9 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            seconds = Long.parseLong(v);
        } else {
            Duration d;
            try {
                d = v.length() > 32 ? null : Duration.parse(v);
            } catch (DateTimeParseException e) {
                d = null;
            }
            if (d == null || d.getNano() != 0) {
                throw ApiException.badRequest("step: not a duration: " + Times.quote(v)
                        + " (expected: seconds like 300 or ISO-8601 like PT5M, whole seconds)");
            }
            seconds = d.getSeconds();
        }
        if (seconds < MIN_STEP) {
            throw ApiException.badRequest("step: at least " + MIN_STEP + " s (got " + seconds + " s)");
        }
        return seconds;
    }

    /** The capture nodes of {@code node} parameters: exact names, comma-separated; none for {@code node=}. */
    static List<String> nodes(List<String> raw, ApiProperties.Search limits) {
        List<String> nodes = new ArrayList<>();
        if (raw == null) {
            return nodes;
        }
        for (String param : raw) {
            if (param.isEmpty()) {
                continue; // node= is no filter, as an empty search parameter
            }
            for (String n : param.split(",", -1)) {
                if (n.isEmpty()) {
                    throw ApiException.badRequest("node: empty value (expected: capture node names, comma-separated)");
                }
                if (n.length() > limits.maxValueLength()) {
                    throw ApiException.badRequest("node: value longer than " + limits.maxValueLength() + " characters");
                }
                if (n.chars().anyMatch(Character::isISOControl)) {
                    throw ApiException.badRequest("node: no control characters");
                }
                if (!nodes.contains(n)) {
                    nodes.add(n);
                }
            }
        }
        if (nodes.size() > limits.maxValues()) {
            throw ApiException.badRequest("node: more than " + limits.maxValues() + " values");
        }
        return List.copyOf(nodes);
    }
}
