package io.hepstack.api.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.api.ApiProperties;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.query.Filter;
import io.hepstack.api.query.NumberPlan;
import io.hepstack.api.store.CollectorSettings;
import io.hepstack.api.query.SearchFamily;
import io.hepstack.api.search.MessageId;
import io.hepstack.api.search.MessageItem;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The live view: new messages matching the search filters, as server-sent events. */
@RestController
class StreamController {

    /** Search parameters a stream does not take: it starts now and never pages. */
    private static final Set<String> NOT_FOR_STREAMS = Set.of("from", "to", "limit", "cursor");

    private final LiveStreams streams;
    private final ApiProperties props;
    private final ObjectMapper json;
    private final CollectorSettings collectors;

    StreamController(LiveStreams streams, ApiProperties props, ObjectMapper json, CollectorSettings collectors) {
        this.streams = streams;
        this.collectors = collectors;
        this.props = props;
        this.json = json;
    }

    @Operation(summary = "Server-sent events of new messages matching the filters (live view)",
            description = "Filters as GET /api/v1/messages, without from/to/limit/cursor. Each event: "
                    + "event: message, id: the message id, data: the search item. Comment heartbeats every 15 s. "
                    + "Send Last-Event-ID to resume after an event. A tenant-scoped caller gets its tenant's messages only. 429 when the caller's own streams (max-streams-per-user) or the replica's are all taken.")
    @GetMapping(path = "/api/v1/stream/messages", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> messages(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
                                           @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        MultiValueMap<String, String> query = request.getQueryParams();
        return collectors.extractedHeadersFor(query.keySet())
                .flatMapMany(extracted -> streams.stream(filters(query, props.search(), props.numbers().plan(), extracted),
                        principal, resumeAfter(lastEventId))).map(this::withJsonData);
    }

    /**
     * {@code event} with its item already written as JSON (the same bytes Spring's JSON encoder writes). Spring's
     * SSE writer then frames it from text in a heap array, where it would encode an object into a pooled Netty
     * buffer that it leaks when the client leaves before the event is written (spring-framework#36438;
     * docs/architecture.md, "The live stream and Netty buffers").
     */
    private ServerSentEvent<String> withJsonData(ServerSentEvent<MessageItem> event) {
        String data;
        try {
            data = event.data() == null ? null : json.writeValueAsString(event.data());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return ServerSentEvent.<String>builder().id(event.id()).event(event.event()).retry(event.retry())
                .comment(event.comment()).data(data).build();
    }

    /**
     * The stream's filters, written and matched as the message search's: numbers in each of their forms, a header the
     * collectors extract whole read from {@code extra} ({@link Filter#of(String, Filter.Field, String, int, int,
     * NumberPlan, java.util.Map)}).
     */
    static List<Filter> filters(MultiValueMap<String, String> query, ApiProperties.Search limits, NumberPlan numbers,
                                java.util.Map<String, String> extractedHeaders) {
        List<Filter> filters = new ArrayList<>();
        for (String name : query.keySet()) {
            Filter.Field field = Filter.field(name);
            if (field == null || !SearchFamily.STREAM.fields().contains(field)) {
                Set<String> names = new TreeSet<>();
                SearchFamily.STREAM.fields().forEach(f -> names.add(f.param()));
                throw ApiException.badRequest("unknown parameter " + Times.quote(name)
                        + (NOT_FOR_STREAMS.contains(name) ? " (a stream starts now and does not page)" : "")
                        + " (expected one of: " + String.join(", ", names) + ")");
            }
            String raw = String.join(",", query.get(name));
            if (!raw.isEmpty()) {
                filters.add(Filter.of(name, field, raw, limits.maxValues(), limits.maxValueLength(), numbers, extractedHeaders));
            }
        }
        return filters;
    }

    /** The row id after which a resumed stream continues, {@code null} for a new stream. */
    static Long resumeAfter(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        MessageId id = MessageId.decode(lastEventId.trim());
        if (id == null) {
            throw ApiException.badRequest("Last-Event-ID: not a message id (expected: the id of an event of this stream)");
        }
        return id.rowId();
    }
}
