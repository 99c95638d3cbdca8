package io.hepstack.api.alert;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.web.ApiException;
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
     * {@code homer.api.alerts.default-range}; without {@code to}, now.
     *
     * @throws ApiException 400 naming the parameter that is wrong
     */
    static AlertQuery of(String state, String severity, String node, String from, String to, String limit,
                         ApiProperties.Alerts cfg, Clock clock) {
        Instant end = to == null ? clock.instant() : Times.parse("to", to);
        Instant start = from == null ? end.minus(cfg.defaultRange()) : Times.parse("from", from);
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("from: must be before to");
        }
        AlertOccurrence.Status status = null;
        if (state != null) {
            status = switch (state) {
                case "firing" -> AlertOccurrence.Status.FIRING;
                case "resolved" -> AlertOccurrence.Status.RESOLVED;
                default -> throw ApiException.badRequest("state: expected firing or resolved, got " + Times.quote(state));
            };
        }
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                throw ApiException.badRequest("limit: expected a number from 1 to " + MAX_LIMIT + ", got " + Times.quote(limit));
            }
        }
        return new AlertQuery(start, end, status, value("severity", severity), value("node", node), n);
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
