package io.hepstack.api.stats;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.query.NumberPlan;
import io.hepstack.api.search.SearchRequest;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Params;
import io.hepstack.api.web.Times;
import org.springframework.util.MultiValueMap;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A validated breakdown request: the range as every search ({@code from}, {@code to}), what the figures are
 * grouped by ({@code by}), how many groups are listed ({@code top}) and, by callee prefix, how many digits
 * make the prefix ({@code prefixLength}), and the capture nodes the records are limited to ({@code node}, as for
 * {@code /stats/kpi}).
 *
 * @param prefixLength digits of a callee prefix; 0 unless {@code by} is {@link By#CALLEE_PREFIX}
 * @param nodes        capture nodes: the calls and bindings one of them captured; empty: every node
 */
record BreakdownRequest(Instant from, Instant to, By by, int top, int prefixLength, List<String> nodes) {

    static final Set<String> PARAMETERS = Set.of("by", "from", "node", "prefixLength", "to", "top");
    static final int DEFAULT_TOP = 10;
    static final int MAX_TOP = 100;
    static final int DEFAULT_PREFIX_LENGTH = 4;
    static final int MAX_PREFIX_LENGTH = 15;

    /** What a breakdown groups by, with the call list's parameter that lists one group's calls. */
    enum By {
        /** A capture node of the call (a call seen by two nodes counts under each), or of the binding's REGISTERs. */
        NODE("node", "node"),
        /** The address the call's first INVITE came from; the binding's client address. */
        SRC_IP("srcIp", "srcIp"),
        /** The first digits of the callee number (To user of the first INVITE) read with the number plan. */
        CALLEE_PREFIX("calleePrefix", "callee");

        final String code;
        /** The call list's parameter ({@code GET /api/v1/calls}) matching a group's key. */
        final String callParameter;

        By(String code, String callParameter) {
            this.code = code;
            this.callParameter = callParameter;
        }

        static By of(String v) {
            for (By b : values()) {
                if (b.code.equals(v)) {
                    return b;
                }
            }
            throw ApiException.badRequest("by: " + Times.quote(v) + " is not a breakdown (expected one of: "
                    + String.join(", ", Arrays.stream(values()).map(b -> b.code).toList()) + ")");
        }
    }

    static BreakdownRequest parse(MultiValueMap<String, String> query, ApiProperties.Search limits, NumberPlan plan, Clock clock) {
        Params.only(query, PARAMETERS);
        String rawBy = query.getFirst("by");
        if (rawBy == null || rawBy.isBlank()) {
            throw ApiException.badRequest("by: missing (expected one of: node, srcIp, calleePrefix)");
        }
        By by = By.of(rawBy.trim());
        Instant[] range = SearchRequest.range(query.getFirst("from"), query.getFirst("to"), limits.defaultRange(),
                limits.maxRange(), clock);
        int top = Params.number(query.getFirst("top"), "top", 1, MAX_TOP, DEFAULT_TOP);
        // a prefix longer than the country code: its national form is then one pattern of the call list
        int shortest = plan.countryCode().length() + 1;
        String rawLength = query.getFirst("prefixLength");
        if (by != By.CALLEE_PREFIX && rawLength != null) {
            throw ApiException.badRequest("prefixLength: only with by=calleePrefix");
        }
        int prefixLength = by != By.CALLEE_PREFIX ? 0
                : Params.number(rawLength, "prefixLength", Math.max(1, shortest), MAX_PREFIX_LENGTH, Math.max(DEFAULT_PREFIX_LENGTH, shortest));
        return new BreakdownRequest(range[0], range[1], by, top, prefixLength, StatsRequest.nodes(query.get("node"), limits));
    }
}
