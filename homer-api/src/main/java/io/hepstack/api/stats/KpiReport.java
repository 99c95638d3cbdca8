package io.hepstack.api.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Call indicators (RFC 6076) over a time range, in total and per time bucket. A call is a Call-ID of
 * kind {@code call} whose first initial INVITE falls in the range (or bucket); its outcome is its
 * final reply: the first 2xx to an INVITE, else the final reply to its last INVITE transaction (by
 * CSeq) that is not a 401/407 challenge (docs/api.md has every definition).
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
     * @param attempts       calls whose outcome is not a redirect (3xx) nor only a challenge
     * @param answered       outcome 2xx
     * @param busy           outcome 486 or 600
     * @param failed         outcome 4xx-6xx other than busy and 487
     * @param sessionDefects outcome 500, 503 or 504
     * @param ineffective    outcome 408, 500 or 503
     * @param asr            answered / attempts ({@code null} without attempts)
     * @param ner            outcome 2xx, 486, 487 or 603 / attempts
     * @param isa            ineffective / invites
     * @param sd             sessionDefects / attempts
     * @param avgPddMs       first INVITE to first 18x, averaged over calls that rang
     * @param avgDurationMs  answer to BYE, averaged over answered calls whose BYE was seen
     * @param finalStatus    calls per outcome; a call only challenged counts under 401/407, one without
     *                       any final reply under {@code "none"}
     */
    public record Total(long invites, long attempts, long answered, long busy, long failed, long sessionDefects,
                        long ineffective, Double asr, Double ner, Double isa, Double sd, Double avgPddMs,
                        Double avgDurationMs, Map<String, Long> finalStatus, long registrations,
                        long registrationsSucceeded) {
    }

    /** The indicators of the bucket starting at {@code t}, defined as in {@link Total}. */
    public record Point(Instant t, long invites, long attempts, long answered, long busy, long failed,
                        long sessionDefects, long ineffective, Double asr, Double ner, Double isa, Double sd) {
    }
}
