package io.hepstack.api.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The calls and registrations of a range grouped by capture node, source address or callee prefix, the
 * {@code top} groups with the most calls (then the most registrations), read from the call and registration
 * records (docs/api.md has every definition).
 *
 * @param by           {@code node}, {@code srcIp} or {@code calleePrefix}
 * @param prefixLength digits of a callee prefix, {@code null} for another breakdown
 * @param nodes        the capture nodes the records are limited to; empty: every node
 * @param groups       groups that had calls or registrations in the range; {@code rows} holds the first {@code top}
 */
public record BreakdownReport(Instant from, Instant to, String by, int top, Integer prefixLength, List<String> nodes, long groups,
                              List<Row> rows) {

    /**
     * One group.
     *
     * @param key                      the node, the address, or the prefix ({@code +4930} for a number the plan reads, else
     *                                 the first digits or characters as written)
     * @param search                   the call list's parameters ({@code GET /api/v1/calls}) that list the group's calls,
     *                                 the range to be added
     * @param calls                    call records started in the range
     * @param attempts                 calls whose final reply is not 3xx and that were not only challenged
     * @param answered                 calls answered (2xx)
     * @param asr                      answered / attempts, {@code null} without attempts
     * @param ner                      calls answered, ended by 486 or 603, or cancelled / attempts ({@link RecordFigures})
     * @param failures                 calls per final error class: {@code 4xx} (not a challenge alone), {@code 5xx}, {@code 6xx}
     * @param avgDurationMs            answer to end over the answered calls that ended, {@code null} without
     * @param registrations            bindings registered in the range; {@code null} by callee prefix
     * @param registrationsFailing     of them failed or in a challenge loop
     * @param registrationFailureRatio registrationsFailing / registrations
     */
    public record Row(String key, Map<String, String> search, long calls, long attempts, long answered, Double asr, Double ner,
                      Map<String, Long> failures, Double avgDurationMs, Long registrations, Long registrationsFailing,
                      Double registrationFailureRatio) {
    }
}
