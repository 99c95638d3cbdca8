package io.hepstack.api.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * SIP messages per time bucket, by request method and by reply class.
 *
 * @param nodes  the capture nodes the counts are limited to; empty: every node
 * @param series one point per bucket of {@code stepSeconds}, empty buckets included
 */
public record VolumeReport(Instant from, Instant to, long stepSeconds, List<String> nodes, List<Point> series) {

    /**
     * @param total    SIP messages (requests and replies) captured in the bucket
     * @param methods  requests by method: {@link VolumeStore#METHODS}, the rest as {@code OTHER}
     * @param statuses replies by class, {@code 1xx} to {@code 6xx}
     */
    public record Point(Instant t, long total, Map<String, Long> methods, Map<String, Long> statuses) {
    }
}
