package io.hepstack.api.stats;

import io.hepstack.api.query.Scope;
import io.hepstack.proto.query.Sql;

import java.util.List;

/**
 * What the call statistics count, as SQL on the call records ({@code call_records}, alias {@code c}) and the
 * registration records ({@code registration_records}, alias {@code g}): the one owner of the definitions that
 * {@code /stats/kpi} ({@link KpiStore}) and {@code /stats/breakdown} ({@link BreakdownStore}) share (docs/api.md,
 * "Statistics"), and of which records of a range a principal and a node list count.
 */
final class RecordFigures {

    /** An attempt: a call whose final reply is not a redirect (3xx) and that was not only challenged (401/407). */
    static final String ATTEMPT = "NOT coalesce(c.final_status BETWEEN 300 AND 399, false) AND c.state <> 'auth_challenged_only'";
    /** Answered: a 2xx (in progress or ended). */
    static final String ANSWERED = "c.final_status BETWEEN 200 AND 299";
    /**
     * Effective for the NER: the network did its part: answered, busy (486), declined (603), or cancelled
     * by the caller (487, or a CANCEL whose 487 was not captured).
     */
    static final String NER_EFFECTIVE = "(c.final_status BETWEEN 200 AND 299 OR c.final_status IN (486, 603) OR c.state = 'cancelled')";
    /** Busy: 486 or 600. */
    static final String BUSY = "c.state = 'busy'";
    /** Failed: not answered, busy, cancelled, redirected nor only challenged: 408, 480 or a timeout, other 4xx and 6xx, 5xx. */
    static final String FAILED = "c.state IN ('no_answer', 'rejected', 'failed')";
    /** A session defect: 500, 503, 504. */
    static final String SESSION_DEFECT = "c.final_status IN (500, 503, 504)";
    /** Ineffective: 408, 500, 503, or no final reply within the ring timeout (a timeout of the record). */
    static final String INEFFECTIVE = "(c.final_status IN (408, 500, 503) OR c.hangup_by = 'timeout')";
    /** A binding failing: its latest outcome an error, or challenged again and again. */
    static final String REGISTRATION_FAILING = "g.state IN ('failed', 'challenge_loop')";

    private RecordFigures() {
    }

    /** The call records started in {@code [from, to)} (bound values): the range read along {@code call_records_list}. */
    static String callsStarted(String from, String to) {
        return "c.started_at >= " + from + " AND c.started_at < " + to;
    }

    /** The bindings registered in {@code [from, to)}: first REGISTER before {@code to}, last not before {@code from}. */
    static String bindingsRegistered(String from, String to) {
        return "g.last_register_at >= " + from + " AND g.first_register_at < " + to;
    }

    /**
     * {@code " AND <alias>nodes && ..."}: the records one of {@code nodes} (a bound {@code text[]}) captured; {@code ""}
     * for {@code null} (every node).
     */
    static String capturedBy(String nodes, String alias) {
        return nodes == null ? "" : " AND " + alias + "nodes && " + nodes;
    }

    /** {@code nodes} bound as a {@code text[]}, {@code null} when empty (every node). */
    static String nodes(Sql s, List<String> nodes) {
        return nodes.isEmpty() ? null : s.bind(nodes.toArray(String[]::new)) + "::text[]";
    }

    /**
     * {@code " AND EXISTS (...)"}: the calls one of whose INVITEs in {@code [from, to)} the scope may read (as the call
     * list); {@code ""} for every call.
     */
    static String callsInScope(Sql s, Scope scope, String from, String to) {
        if (scope.all()) {
            return "";
        }
        return " AND EXISTS (SELECT 1 FROM messages_call m WHERE m.call_id = c.call_id AND m.ts >= " + from + " AND m.ts < " + to
                + " AND m.method = 'INVITE'" + scope.condition(s, "m.") + ")";
    }
}
