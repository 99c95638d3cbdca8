package io.hepstack.api.alert;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Params;
import io.hepstack.api.web.Times;

import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What {@code GET /api/v1/alerts} asks for: alerts active at some time in [from, to] (started before
 * {@code to}, not ended before {@code from}), optionally of one state, severity and node.
 *
 * @param status   null for both
 * @param severity null for any
 * @param node     null for any
 */
record AlertQuery(Instant from, Instant to, AlertOccurrence.Status status, String severity, String node, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Pattern VALUE = Pattern.compile("[\\x21-\\x7e]{1,128}");

    /**
     * The query of the request's parameters; without {@code from}, {@code to} minus
     * {@code homer.api.alerts.default-range}; without {@code to}, now (any length: the
     * alerts kept are few).
     *
     * @throws ApiException 400 naming the parameter that is wrong
     */
    static AlertQuery of(String state, String severity, String node, String from, String to, String limit,
                         ApiProperties.Alerts cfg, Clock clock) {
        Instant[] range = Times.lookBack(from, to, cfg.defaultRange(), null, clock.instant());
        AlertOccurrence.Status status = null;
        if (state != null) {
            status = switch (state) {
                case "firing" -> AlertOccurrence.Status.FIRING;
                case "resolved" -> AlertOccurrence.Status.RESOLVED;
                default -> throw ApiException.badRequest("state: expected firing or resolved, got " + Times.quote(state));
            };
        }
        return new AlertQuery(range[0], range[1], status, value("severity", severity), value("node", node),
                Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT));
    }

    private static String value(String param, String v) {
        if (v == null) {
            return null;
        }
        if (!VALUE.matcher(v).matches()) {
            throw ApiException.badRequest(param + ": expected 1 to 128 printable characters without spaces, got " + Times.quote(v));
        }
        return v;
    }
}
