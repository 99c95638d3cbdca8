package io.hepstack.api.call;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.search.SearchRequest;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import org.springframework.util.MultiValueMap;

import java.time.Clock;
import java.time.Instant;

/**
 * What every request for one call's flow names, validated once (the flow, its exports, the SIPp scenario,
 * a new share link): the Call-ID and the window it is looked for in ({@code from}/{@code to}, default the
 * last {@code homer.api.flow.locate-range}, at most {@code homer.api.search.max-range}).
 */
public record FlowRequest(String callId, Instant from, Instant to) {

    /** The longest Call-ID accepted, as the column stores it (docs/schema.md). */
    public static final int MAX_CALL_ID = 512;

    /**
     * A flow request of a GET: the path's Call-ID and the query's {@code from} and {@code to}, nothing else.
     *
     * @throws ApiException 400 naming the parameter that is wrong
     */
    public static FlowRequest of(String callId, MultiValueMap<String, String> query, ApiProperties props, Clock clock) {
        for (String name : query.keySet()) {
            if (!name.equals("from") && !name.equals("to")) {
                throw ApiException.badRequest("unknown parameter " + Times.quote(name) + " (expected one of: from, to)");
            }
        }
        return of(callId, query.getFirst("from"), query.getFirst("to"), props, clock);
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
