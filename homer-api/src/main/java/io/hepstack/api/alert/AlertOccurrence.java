package io.hepstack.api.alert;

import java.time.Instant;
import java.util.Map;

/**
 * One occurrence of an alert as the suite stores it: its fingerprint (Alertmanager's hash of the label
 * set) and start identify it; a redelivery changes only status, end and annotations.
 *
 * @param endsAt null while firing
 */
record AlertOccurrence(String fingerprint, Status status, Instant startsAt, Instant endsAt,
                       Map<String, String> labels, Map<String, String> annotations, String generatorUrl) {

    /** Alertmanager's states of an alert in a notification. */
    enum Status {
        FIRING, RESOLVED;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The label that tenant scope matches: the capture node the alert is about. */
    static final String NODE_LABEL = "node";
}
