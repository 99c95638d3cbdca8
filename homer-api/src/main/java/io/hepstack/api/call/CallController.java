package io.hepstack.api.call;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.query.Filter;
import io.hepstack.api.search.MessageStore;
import io.hepstack.api.search.SearchRequest;
import io.hepstack.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** Calls: the list, one call's flow, and the flow as PCAP or text. */
@RestController
@RequestMapping("/api/v1/calls")
class CallController {

    private static final EnumSet<Filter.Field> FIELDS = EnumSet.of(Filter.Field.CALL_ID, Filter.Field.FROM_USER,
            Filter.Field.TO_USER, Filter.Field.STATUS, Filter.Field.SRC_IP, Filter.Field.DST_IP);
    private static final Set<String> FLOW_PARAMS = Set.of("from", "to");

    private final CallStore calls;
    private final FlowStore flows;
    private final ApiProperties props;
    private final Clock clock = Clock.systemUTC();

    CallController(CallStore calls, FlowStore flows, ApiProperties props) {
        this.calls = calls;
        this.flows = flows;
        this.props = props;
    }

    @Operation(summary = "Calls (one row per INVITE dialog) that started in the range, newest first",
            description = "callId, fromUser, toUser, srcIp, dstIp match the INVITE; status matches finalStatus.")
    @GetMapping
    Mono<MessageStore.Page<CallItem>> list(
            ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String callId,
            @RequestParam(required = false) String fromUser,
            @RequestParam(required = false) String toUser,
            @Parameter(description = "final status: 486, 4xx, 4*, 400-499, !200") @RequestParam(required = false) String status,
            @RequestParam(required = false) String srcIp,
            @RequestParam(required = false) String dstIp,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor) {
        return Mono.fromCallable(() -> SearchRequest.parse(request.getQueryParams(), FIELDS, props.search(), clock))
                .flatMap(r -> calls.list(r, props.search().callSpan(), principal.scope()));
    }

    @Operation(summary = "The call and every correlated leg, QoS report and log line, in time order",
            description = "from/to bound where the Call-ID is looked for (default: the last "
                    + "homer.api.flow.locate-range); the window then widens around the call by homer.api.flow.widen.")
    @GetMapping("/{callId}/flow")
    Mono<CallFlow> flow(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal, @PathVariable String callId,
                        @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return flowOf(request, callId, principal);
    }

    @Operation(summary = "The SIP messages of the flow as a pcap file (Ethernet, IPv4/IPv6, UDP/TCP)")
    @GetMapping("/{callId}/pcap")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/vnd.tcpdump.pcap"))
    Mono<ResponseEntity<byte[]>> pcap(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal, @PathVariable String callId,
                                      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return flowOf(request, callId, principal).map(flow -> FlowExport.pcapResponse(callId, flow));
    }

    @Operation(summary = "The SIP messages of the flow as plain text")
    @GetMapping("/{callId}/text")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/plain"))
    Mono<ResponseEntity<byte[]>> text(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal, @PathVariable String callId,
                                      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return flowOf(request, callId, principal).map(flow -> FlowExport.textResponse(callId, flow));
    }

    private Mono<CallFlow> flowOf(ServerHttpRequest request, String callId, ApiPrincipal principal) {
        return Mono.defer(() -> {
            for (String name : request.getQueryParams().keySet()) {
                if (!FLOW_PARAMS.contains(name)) {
                    throw ApiException.badRequest("unknown parameter " + io.hepstack.api.web.Times.quote(name)
                            + " (expected one of: from, to)");
                }
            }
            if (callId.isEmpty() || callId.length() > 512 || callId.chars().anyMatch(Character::isISOControl)) {
                throw ApiException.badRequest("callId: 1 to 512 characters, no control characters");
            }
            Instant[] range = SearchRequest.range(request.getQueryParams().getFirst("from"),
                    request.getQueryParams().getFirst("to"), props.flow().locateRange(), props.search().maxRange(), clock);
            return flows.flow(callId, range[0], range[1], principal.scope());
        });
    }

}
