package io.hepstack.api.alert;

import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body Alertmanager posts to a webhook receiver (payload version 4: {@code version}, {@code status},
 * {@code receiver}, group and common labels, {@code alerts}). Only what the suite stores is read; other
 * fields are ignored.
 *
 * @param version  {@code "4"}
 * @param receiver the receiver's name in alertmanager.yml
 * @param alerts   the group's alerts, firing and resolved
 */
record AlertmanagerPayload(String version, String receiver, List<Alert> alerts) {

    /** One alert of the payload, as Alertmanager sends it. */
    record Alert(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
                 String endsAt, String generatorURL, String fingerprint) {
    }

    static final int MAX_LABELS = 64;
    static final int MAX_NAME = 128;
    static final int MAX_LABEL_VALUE = 1024;
    static final int MAX_ANNOTATION_VALUE = 8192;
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{1,64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * The occurrences to store, checked, one per fingerprint and start (a later one in the payload wins).
     *
     * @throws ApiException 400 naming the first field that is not as Alertmanager sends it
     */
    List<AlertOccurrence> occurrences(int maxAlerts) {
        if (!"4".equals(version)) {
            throw ApiException.badRequest("version: expected \"4\" (Alertmanager's webhook payload), got "
                    + (version == null ? "none" : Times.quote(version)));
        }
        if (alerts == null) {
            throw ApiException.badRequest("alerts: missing");
        }
        if (alerts.size() > maxAlerts) {
            throw ApiException.badRequest("alerts: " + alerts.size() + " in one delivery (at most " + maxAlerts
                    + ": homer.api.alerts.max-per-delivery; set max_alerts in the webhook_configs)");
        }
        Map<String, AlertOccurrence> byKey = new LinkedHashMap<>();
        for (int i = 0; i < alerts.size(); i++) {
            AlertOccurrence o = occurrence("alerts[" + i + "].", alerts.get(i));
            byKey.put(o.fingerprint() + ' ' + o.startsAt(), o);
        }
        return new ArrayList<>(byKey.values());
    }

    private static AlertOccurrence occurrence(String at, Alert a) {
        if (a == null) {
            throw ApiException.badRequest(at.substring(0, at.length() - 1) + ": null");
        }
        AlertOccurrence.Status status;
        if ("firing".equals(a.status())) {
            status = AlertOccurrence.Status.FIRING;
        } else if ("resolved".equals(a.status())) {
            status = AlertOccurrence.Status.RESOLVED;
        } else {
            throw ApiException.badRequest(at + "status: expected firing or resolved, got "
                    + (a.status() == null ? "none" : Times.quote(a.status())));
        }
        if (a.fingerprint() == null || !FINGERPRINT.matcher(a.fingerprint()).matches()) {
            throw ApiException.badRequest(at + "fingerprint: expected 1 to 64 lower-case hex digits, got "
                    + (a.fingerprint() == null ? "none" : Times.quote(a.fingerprint())));
        }
        Map<String, String> labels = checked(at + "labels", a.labels(), MAX_LABEL_VALUE);
        String alertname = labels.get("alertname");
        if (alertname == null || alertname.isBlank()) {
            throw ApiException.badRequest(at + "labels.alertname: missing");
        }
        Map<String, String> annotations = checked(at + "annotations", a.annotations() == null ? Map.of() : a.annotations(),
                MAX_ANNOTATION_VALUE);
        Instant startsAt = time(at + "startsAt", a.startsAt());
        if (startsAt == null) {
            throw ApiException.badRequest(at + "startsAt: missing");
        }
        Instant endsAt = null;
        if (status == AlertOccurrence.Status.RESOLVED) {
            endsAt = time(at + "endsAt", a.endsAt());
            if (endsAt == null) {
                throw ApiException.badRequest(at + "endsAt: a resolved alert needs its end");
            }
            if (endsAt.isBefore(startsAt)) {
                throw ApiException.badRequest(at + "endsAt: before startsAt");
            }
        }
        String generator = a.generatorURL();
        if (generator != null && generator.length() > MAX_LABEL_VALUE) {
            throw ApiException.badRequest(at + "generatorURL: longer than " + MAX_LABEL_VALUE + " characters");
        }
        return new AlertOccurrence(a.fingerprint(), status, startsAt, endsAt, labels, annotations,
                generator == null || generator.isEmpty() ? null : generator);
    }

    private static Map<String, String> checked(String field, Map<String, String> map, int maxValue) {
        if (map == null || map.isEmpty()) {
            throw ApiException.badRequest(field + ": missing");
        }
        if (map.size() > MAX_LABELS) {
            throw ApiException.badRequest(field + ": " + map.size() + " entries (at most " + MAX_LABELS + ")");
        }
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey().length() > MAX_NAME || !NAME.matcher(e.getKey()).matches()) {
                throw ApiException.badRequest(field + ": name " + Times.quote(e.getKey())
                        + " (expected: a Prometheus label name of at most " + MAX_NAME + " characters)");
            }
            if (e.getValue() == null || e.getValue().length() > maxValue) {
                throw ApiException.badRequest(field + "." + e.getKey() + ": expected a string of at most "
                        + maxValue + " characters");
            }
        }
        return Map.copyOf(map);
    }

    /** An RFC 3339 time; Go's zero time (year 1, which Alertmanager sends for "no end") is none. */
    private static Instant time(String field, String value) {
        if (value == null || value.isEmpty() || value.startsWith("0001-01-01")) {
            return null;
        }
        try {
            Instant t = OffsetDateTime.parse(value).toInstant().truncatedTo(ChronoUnit.MICROS);
            if (t.isBefore(Instant.EPOCH) || t.isAfter(Instant.parse("3000-01-01T00:00:00Z"))) {
                throw ApiException.badRequest(field + ": out of range (expected: between 1970 and 2999)");
            }
            return t;
        } catch (DateTimeException e) {
            throw ApiException.badRequest(field + ": not a time: " + Times.quote(value)
                    + " (expected: RFC 3339, e.g. 2026-12-07T02:00:00.123Z)");
        }
    }
}
