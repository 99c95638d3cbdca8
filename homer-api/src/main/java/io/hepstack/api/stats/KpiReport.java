package io.hepstack.api.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Call indicators (RFC 6076) over a time range, in total and per time bucket, read from the call records: a call is a
 * record whose first INVITE falls in the range (or bucket); its outcome is the record's final status and state (the
 * first 2xx, else the final reply to its last INVITE; docs/api.md has every definition, {@link RecordFigures} owns
 * them).
 *
 * @param nodes  the capture nodes the figures are limited to; empty: every node
 * @param total  the whole range
 * @param series one point per bucket of {@code stepSeconds}, empty buckets included
 */
public record KpiReport(Instant from, Instant to, long stepSeconds, List<String> nodes, Total total, List<Point> series) {

    /**
     * The indicators of the whole range.
     *
     * @param invites        calls
     * @param attempts       calls whose final status is not a redirect (3xx) and that were not only challenged
     * @param answered       final status 2xx
     * @param busy           state busy: 486 or 600
     * @param failed         state no_answer (408, 480, or no final reply within the ring timeout), rejected (other 4xx,
     *                       6xx) or failed (5xx)
     * @param sessionDefects final status 500, 503 or 504
     * @param ineffective    final status 408, 500 or 503, or no final reply within the ring timeout
     * @param asr            answered / attempts ({@code null} without attempts)
     * @param ner            answered, 486, 603 or cancelled / attempts
     * @param isa            ineffective / invites
     * @param sd             sessionDefects / attempts
     * @param avgPddMs       first INVITE to first 180/183, averaged over calls that rang
     * @param avgDurationMs  answer to end, averaged over answered calls that ended
     * @param ahr            average hops per request: the capture points of a call's first INVITE, averaged over the
     *                       calls whose record counts them ({@code null} without any)
     * @param finalStatus    calls per final status; a call only challenged counts under 401/407, one without any final
     *                       reply under {@code "none"}
     * @param registrations          bindings registered in the range
     * @param registrationsSucceeded of them those whose latest outcome is not a failure (neither failed nor in a challenge loop)
     */
    public record Total(long invites, long attempts, long answered, long busy, long failed, long sessionDefects,
                        long ineffective, Double asr, Double ner, Double isa, Double sd, Double avgPddMs,
                        Double avgDurationMs, Double ahr, Map<String, Long> finalStatus, long registrations,
                        long registrationsSucceeded) {
    }

    /** The indicators of the bucket starting at {@code t}, defined as in {@link Total}. */
    public record Point(Instant t, long invites, long attempts, long answered, long busy, long failed,
                        long sessionDefects, long ineffective, Double asr, Double ner, Double isa, Double sd, Double ahr) {
    }
}
