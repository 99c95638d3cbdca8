package io.hepstack.api.call;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.store.CollectorSettings;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.search.SearchQuery;
import io.hepstack.api.search.SearchRequest;
import io.hepstack.api.query.CallSort;
import io.hepstack.api.query.SearchFamily;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.function.BiFunction;

/** Calls: the list, one call's flow, and the flow as PCAP or text. */
@RestController
@RequestMapping("/api/v1/calls")
class CallController {


    private final CallStore calls;
    private final FlowStore flows;
    private final ApiProperties props;
    private final CollectorSettings collectors;
    private final Clock clock = Clock.systemUTC();

    CallController(CallStore calls, FlowStore flows, ApiProperties props, CollectorSettings collectors) {
        this.calls = calls;
        this.flows = flows;
        this.props = props;
        this.collectors = collectors;
    }

    @Operation(summary = "Calls (one row per INVITE dialog) that started in the range, newest first or sorted on a column",
            description = "callId, fromUser, toUser, srcIp, dstIp match the INVITE; status matches the summary's final status; "
                    + "the record's fields (state... finalStatus, codec, node, caller, callee) its record. Pages both ways "
                    + "(nextCursor, prevCursor) and the total (exact up to homer.api.search.exact-total, else an estimate).")
    @GetMapping
    Mono<CallPage> list(@SearchQuery(SearchFamily.CALLS) SearchRequest request, ServerHttpRequest http,
                        @AuthenticationPrincipal ApiPrincipal principal) {
        return Mono.fromCallable(() -> new ListOrder(CallSort.of(http.getQueryParams().getFirst(CallSort.SORT_PARAMETER)),
                        CallSort.ascending(http.getQueryParams().getFirst(CallSort.ORDER_PARAMETER))))
                .flatMap(order -> calls.list(request, order, props.search().callSpan(), principal.scope(),
                        props.search().exactTotal()));
    }

    @Operation(summary = "The call and every correlated leg, QoS report and log line, in time order",
            description = "from/to bound where the Call-ID is looked for (default: the last "
                    + "homer.api.flow.locate-range); the window then widens around the call by homer.api.flow.widen.")
    @GetMapping("/{callId}/flow")
    Mono<CallFlow> flow(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal, @PathVariable String callId,
                        @RequestParam(name = FlowRequest.CALL_ID_PARAMETER, required = false) String callIdInQuery,
                        @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return flowOf(request, callId, principal, (id, flow) -> flow);
    }

    @Operation(summary = "The call's media quality: each stream's loss, jitter, round trip and MOS, and verdicts in words",
            description = "From the RTCP reports (HEP type 5) of the call and its legs, rated with the codec of its SDP "
                    + "answer (docs/media.md). Same parameters as the flow.")
    @GetMapping("/{callId}/qos")
    Mono<CallQos> qos(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal, @PathVariable String callId,
                      @RequestParam(name = FlowRequest.CALL_ID_PARAMETER, required = false) String callIdInQuery,
                      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return collectors.mediaThresholds()
                .flatMap(limits -> flowOf(request, callId, principal, (id, flow) -> CallQos.of(id, flow, limits)));
    }

    @Operation(summary = "The SIP messages of the flow as a pcap file (Ethernet, IPv4/IPv6, UDP/TCP)")
    @GetMapping("/{callId}/pcap")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/vnd.tcpdump.pcap"))
    Mono<ResponseEntity<Flux<DataBuffer>>> pcap(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal, @PathVariable String callId,
                                      @RequestParam(name = FlowRequest.CALL_ID_PARAMETER, required = false) String callIdInQuery,
                                      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return flowOf(request, callId, principal, FlowExport::pcapResponse);
    }

    @Operation(summary = "The SIP messages of the flow as plain text")
    @GetMapping("/{callId}/text")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/plain"))
    Mono<ResponseEntity<Flux<DataBuffer>>> text(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal, @PathVariable String callId,
                                      @RequestParam(name = FlowRequest.CALL_ID_PARAMETER, required = false) String callIdInQuery,
                                      @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                      @io.swagger.v3.oas.annotations.Parameter(description = "time zone of the times (IANA, e.g. Europe/Berlin); default UTC")
                                      @RequestParam(name = FlowRequest.TIME_ZONE_PARAMETER, required = false) String tz) {
        return Mono.fromCallable(() -> FlowExport.zone(request.getQueryParams().getFirst("tz")))
                .flatMap(zone -> flowOf(request, callId, principal, (id, flow) -> FlowExport.textResponse(id, flow, zone)));
    }

    /** The flow of the Call-ID the request names (its path's, or its query's: {@link FlowRequest#IN_QUERY}), shaped with that Call-ID. */
    private <T> Mono<T> flowOf(ServerHttpRequest request, String pathCallId, ApiPrincipal principal,
                               BiFunction<String, CallFlow, T> shape) {
        return Mono.fromCallable(() -> FlowRequest.of(pathCallId, request.getQueryParams(), props, clock))
                .flatMap(r -> flows.flow(r.callId(), r.from(), r.to(), principal.scope(), FlowStore.reader(principal)).map(flow -> shape.apply(r.callId(), flow)));
    }

}
