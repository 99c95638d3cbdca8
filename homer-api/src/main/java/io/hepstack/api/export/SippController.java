package io.hepstack.api.export;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.call.CallFlow;
import io.hepstack.api.call.FlowExport;
import io.hepstack.api.call.FlowRequest;
import io.hepstack.api.call.FlowStore;
import io.hepstack.api.share.ShareStore;
import io.hepstack.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** A captured call as a SIPp scenario of its caller side ({@link SippScenario}), logged in or through a share link. */
@RestController
class SippController {

    private final FlowStore flows;
    private final ShareStore shares;
    private final ApiProperties props;
    private final Clock clock = Clock.systemUTC();

    SippController(FlowStore flows, ShareStore shares, ApiProperties props) {
        this.flows = flows;
        this.shares = shares;
        this.props = props;
    }

    @Operation(summary = "The call's caller side (UAC) as a SIPp scenario, to replay it against a test system",
            description = "sipp -sf call.xml -m 1 <target>. from/to as for the flow. 400 when the Call-ID has no "
                    + "parsed INVITE; 404 when it is not stored.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/xml"))
    @GetMapping("/api/v1/calls/{callId}/sipp")
    Mono<ResponseEntity<byte[]>> sipp(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
                                      @PathVariable String callId,
                                      @RequestParam(name = FlowRequest.CALL_ID_PARAMETER, required = false) String callIdInQuery,
                                      @RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to) {
        return Mono.fromCallable(() -> FlowRequest.of(callId, request.getQueryParams(), props, clock))
                .flatMap(r -> flows.flow(r.callId(), r.from(), r.to(), principal.scope(), FlowStore.reader(principal))
                        .map(flow -> response(r.callId(), SippScenario.of(r.callId(), flow))));
    }

    @Operation(summary = "The shared call's caller side as a SIPp scenario (no login)")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/xml"))
    @GetMapping("/api/v1/shared/{token}/sipp")
    Mono<ResponseEntity<byte[]>> sharedSipp(@PathVariable String token) {
        return shares.findLive(token)
                .flatMap(s -> flows.flowWithin(s.callId(), s.from(), s.to(), s.scope(), "share:" + s.id()).map(f -> new Shared(s.callId(), s.shown(f))))
                .onErrorMap(ApiException.class, e -> ApiException.notFound("not found"))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("not found")))
                .map(s -> response(s.callId(), SippScenario.of(s.callId(), s.flow())));
    }

    private record Shared(String callId, CallFlow flow) {
    }

    private static ResponseEntity<byte[]> response(String callId, SippScenario.Scenario scenario) {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_XML)
                .header(HttpHeaders.CONTENT_DISPOSITION, FlowExport.attachment(callId, ".xml"))
                .body(scenario.xml().getBytes(StandardCharsets.UTF_8));
    }
}
