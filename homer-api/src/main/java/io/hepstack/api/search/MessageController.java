package io.hepstack.api.search;

import io.hepstack.api.query.Filter;
import io.hepstack.api.ApiProperties;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.EnumSet;

/** Message search and single messages. */
@RestController
@RequestMapping("/api/v1/messages")
class MessageController {

    private static final EnumSet<Filter.Field> FIELDS = EnumSet.allOf(Filter.Field.class);

    private final MessageStore store;
    private final ApiProperties props;
    private final Clock clock;

    MessageController(MessageStore store, ApiProperties props) {
        this.store = store;
        this.props = props;
        this.clock = Clock.systemUTC();
    }

    @Operation(summary = "Search messages, newest first",
            description = "Values: exact; * wildcard; leading ! negates; several values separated by commas "
                    + "(any matches); backslash escapes , * ! \\. Unknown parameters give 400. A tenant-scoped caller "
                    + "sees only its tenant's messages.")
    @GetMapping
    Mono<MessageStore.Page<MessageItem>> search(
            ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
            @Parameter(description = "ISO-8601 or epoch ms; default: to - 1h") @RequestParam(required = false) String from,
            @Parameter(description = "ISO-8601 or epoch ms; default: now") @RequestParam(required = false) String to,
            @RequestParam(required = false) String callId,
            @RequestParam(required = false) String fromUser,
            @RequestParam(required = false) String toUser,
            @RequestParam(required = false) String ruriUser,
            @RequestParam(required = false) String method,
            @Parameter(description = "486, 400-499, 4xx or 4*") @RequestParam(required = false) String status,
            @Parameter(description = "address, CIDR or 10.1.*") @RequestParam(required = false) String srcIp,
            @Parameter(description = "address, CIDR or 10.1.*") @RequestParam(required = false) String dstIp,
            @RequestParam(required = false) String userAgent,
            @RequestParam(required = false) String node,
            @RequestParam(required = false) String protoType,
            @Parameter(description = "case-insensitive substring of the raw message") @RequestParam(required = false) String text,
            @Parameter(description = "1 to homer.api.search.max-limit (1000); default 100") @RequestParam(required = false) String limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        return Mono.fromCallable(() -> SearchRequest.parse(request.getQueryParams(), FIELDS, props.search(), clock))
                .flatMap(r -> store.search(r, principal.scope()));
    }

    @Operation(summary = "One message with its raw payload and every parsed header")
    @GetMapping("/{id}")
    Mono<MessageDetail> message(@PathVariable String id, @AuthenticationPrincipal ApiPrincipal principal) {
        MessageId decoded = MessageId.decode(id);
        if (decoded == null) {
            return Mono.error(ApiException.badRequest("id: not a message id"));
        }
        return store.find(decoded, principal.scope()).switchIfEmpty(Mono.error(() -> ApiException.notFound("no such message")));
    }
}
