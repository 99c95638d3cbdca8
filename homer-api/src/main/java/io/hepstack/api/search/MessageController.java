package io.hepstack.api.search;

import io.hepstack.api.query.SearchFamily;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.store.ReadRouting;
import io.hepstack.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;


/** Message search and single messages. */
@RestController
@RequestMapping("/api/v1/messages")
class MessageController {

    private final MessageStore store;
    private final ReadRouting routing;

    MessageController(MessageStore store, ReadRouting routing) {
        this.routing = routing;
        this.store = store;
    }

    @Operation(summary = "Search messages, newest first",
            description = "Values: exact; * wildcard; leading ! negates; several values separated by commas "
                    + "(any matches); backslash escapes , * ! \\. Unknown parameters give 400. A tenant-scoped caller "
                    + "sees only its tenant's messages.")
    @GetMapping
    Mono<MessageStore.Page<MessageItem>> search(@SearchQuery(SearchFamily.MESSAGES) SearchRequest request,
                                                @AuthenticationPrincipal ApiPrincipal principal) {
        return store.search(request, principal.scope());
    }

    @Operation(summary = "One message with its raw payload and every parsed header")
    @GetMapping("/{id}")
    Mono<MessageDetail> message(@PathVariable String id, @AuthenticationPrincipal ApiPrincipal principal) {
        MessageId decoded = MessageId.decode(id);
        if (decoded == null) {
            return Mono.error(ApiException.badRequest("id: not a message id"));
        }
        // a message a lagging standby has not replayed yet is read on the primary
        return routing.orOnPrimaryIfNotFound(Mono.defer(() -> store.find(decoded, principal.scope())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("no such message")))));
    }
}
