package io.hepstack.api.call;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.search.SearchRequest;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import org.springframework.util.MultiValueMap;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What every request for one call's flow names, validated once (the flow, its exports, the SIPp scenario,
 * a new share link): the Call-ID and the window it is looked for in ({@code from}/{@code to}, default the
 * last {@code homer.api.flow.locate-range}, at most {@code homer.api.search.max-range}).
 */
public record FlowRequest(String callId, Instant from, Instant to) {

    /** The longest Call-ID accepted, as the column stores it (docs/schema.md). */
    public static final int MAX_CALL_ID = 512;

    /**
     * The path segment that stands for a Call-ID given in the {@code callId} query parameter instead:
     * {@code /api/v1/calls/-/flow?callId=a%2Fb}. A Call-ID may hold characters no path segment carries past
     * the request firewall ({@code /}, {@code \}, {@code %}, {@code ;}, or be {@code .} or {@code ..}); a query
     * parameter carries any.
     */
    public static final String IN_QUERY = "-";

    /** The time zone of a text export's times ({@code FlowExport#zone}); the other shapes of a flow ignore it. */
    public static final String TIME_ZONE_PARAMETER = "tz";

    /** The query parameter that holds the Call-ID when the path says {@link #IN_QUERY}. */
    public static final String CALL_ID_PARAMETER = "callId";

    /**
     * A flow request of a GET: the path's Call-ID (or the query's {@code callId} when the path says
     * {@link #IN_QUERY}) and the query's {@code from} and {@code to}, nothing else.
     *
     * @throws ApiException 400 naming the parameter that is wrong
     */
    public static FlowRequest of(String pathCallId, MultiValueMap<String, String> query, ApiProperties props, Clock clock) {
        String callId = callIdOf(pathCallId, query);
        for (String name : query.keySet()) {
            if (!name.equals("from") && !name.equals("to") && !name.equals(CALL_ID_PARAMETER) && !name.equals(TIME_ZONE_PARAMETER)) {
                throw ApiException.badRequest("unknown parameter " + Times.quote(name) + " (expected one of: from, to, callId, tz)");
            }
        }
        return of(callId, query.getFirst("from"), query.getFirst("to"), props, clock);
    }

    /**
     * The Call-ID a request names: the path's, or the {@code callId} parameter's when the path is
     * {@link #IN_QUERY} and the parameter is given (a path of {@code -} without it names the Call-ID {@code -}).
     *
     * @throws ApiException 400 when the parameter is given with another path, given twice, or is not a Call-ID
     */
    public static String callIdOf(String pathCallId, MultiValueMap<String, String> query) {
        List<String> values = query.get(CALL_ID_PARAMETER);
        if (values == null) {
            return checkCallId(pathCallId);
        }
        if (!IN_QUERY.equals(pathCallId)) {
            throw ApiException.badRequest("callId: give the Call-ID in the path or, with " + Times.quote(IN_QUERY)
                    + " as the path's Call-ID, in the callId parameter, not both");
        }
        if (values.size() != 1) {
            throw ApiException.badRequest("callId: one value expected, got " + values.size());
        }
        return checkCallId(values.get(0));
    }

    /**
     * {@code callId} when it can name a call: 1 to {@link #MAX_CALL_ID} characters, no control characters.
     *
     * @throws ApiException 400 otherwise
     */
    public static String checkCallId(String callId) {
        if (callId == null || callId.isEmpty() || callId.length() > MAX_CALL_ID
                || callId.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("callId: 1 to " + MAX_CALL_ID + " characters, no control characters");
        }
        return callId;
    }

    /**
     * A flow request from its parts (a share link's body gives them as fields).
     *
     * @throws ApiException 400 naming the parameter that is wrong
     */
    public static FlowRequest of(String callId, String from, String to, ApiProperties props, Clock clock) {
        checkCallId(callId);
        Instant[] range = SearchRequest.range(from, to, props.flow().locateRange(), props.search().maxRange(), clock);
        return new FlowRequest(callId, range[0], range[1]);
    }
}
