package io.hepstack.api.call;

import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.store.ReadRouting;
import io.hepstack.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** One call's record: what happened to it (docs/api.md, "GET /api/v1/calls/{callId}"). */
@RestController
@RequestMapping("/api/v1/calls")
class CallRecordController {

    private final CallRecordReader records;
    private final ReadRouting routing;

    CallRecordController(CallRecordReader records, ReadRouting routing) {
        this.records = records;
        this.routing = routing;
    }

    @Operation(summary = "The call's record: state, who hung up and why, its moments and durations, codecs",
            description = "Kept current by the collectors within seconds of the call's last message; 404 when the "
                    + "Call-ID has no record (not an INVITE dialog, not recorded yet, or outside the caller's tenant).")
    @GetMapping("/{callId}")
    Mono<CallRecordView> record(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
                                @PathVariable String callId,
                                @RequestParam(name = FlowRequest.CALL_ID_PARAMETER, required = false) String callIdInQuery) {
        // a record a lagging standby has not replayed yet (a call younger than its lag) is read on the primary
        return Mono.fromCallable(() -> FlowRequest.callIdOf(callId, request.getQueryParams()))
                .flatMap(id -> routing.orOnPrimaryIfNotFound(Mono.defer(() -> records.find(id, principal.scope())
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("no call record for this Call-ID"))))));
    }
}
