package io.hepstack.api.stats;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.auth.ApiPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;

/**
 * Call indicators and message volume as time series, and their breakdown by node, address and callee prefix, for the
 * dashboard. Any role; a tenant-scoped caller counts its tenant's calls, bindings and messages only.
 */
@RestController
class StatsController {

    private final KpiStore kpis;
    private final VolumeStore volumes;
    private final BreakdownStore breakdowns;
    private final ApiProperties props;
    private final Clock clock = Clock.systemUTC();

    StatsController(KpiStore kpis, VolumeStore volumes, BreakdownStore breakdowns, ApiProperties props) {
        this.kpis = kpis;
        this.volumes = volumes;
        this.breakdowns = breakdowns;
        this.props = props;
    }

    @Operation(summary = "Calls, attempts, answered, busy, failed, ASR, NER, ISA, SD, AHR in total and per bucket; "
            + "post-dial delay, duration, final statuses, registrations in total; from the call and registration records")
    @GetMapping("/api/v1/stats/kpi")
    Mono<KpiReport> kpi(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
                        @Parameter(description = "ISO-8601 or epoch ms; default: to - 1h") @RequestParam(required = false) String from,
                        @Parameter(description = "ISO-8601 or epoch ms; default: now") @RequestParam(required = false) String to,
                        @Parameter(description = "bucket: seconds (300) or ISO-8601 (PT5M), at least 60 s, at most 1000 buckets; "
                                + "default: at most 120 buckets") @RequestParam(required = false) String step,
                        @Parameter(description = "capture node names, exact, comma-separated") @RequestParam(required = false) String node) {
        return Mono.fromCallable(() -> StatsRequest.parse(request.getQueryParams(), props.search(), clock)).flatMap(r -> kpis.kpi(r, principal.scope()));
    }

    @Operation(summary = "SIP messages per bucket, by request method and by reply class")
    @GetMapping("/api/v1/stats/volume")
    Mono<VolumeReport> volume(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
                              @Parameter(description = "ISO-8601 or epoch ms; default: to - 1h") @RequestParam(required = false) String from,
                              @Parameter(description = "ISO-8601 or epoch ms; default: now") @RequestParam(required = false) String to,
                              @Parameter(description = "as for /stats/kpi") @RequestParam(required = false) String step,
                              @Parameter(description = "capture node names, exact, comma-separated") @RequestParam(required = false) String node) {
        return Mono.fromCallable(() -> StatsRequest.parse(request.getQueryParams(), props.search(), clock)).flatMap(r -> volumes.volume(r, principal.scope()));
    }

    @Operation(summary = "Calls (attempts, answered, ASR, NER, failures by class, mean duration) and registrations "
            + "(failing ratio) of the range per capture node, source address or callee prefix: the top groups")
    @GetMapping("/api/v1/stats/breakdown")
    Mono<BreakdownReport> breakdown(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
                                    @Parameter(description = "node, srcIp or calleePrefix") @RequestParam(required = false) String by,
                                    @Parameter(description = "ISO-8601 or epoch ms; default: to - 1h") @RequestParam(required = false) String from,
                                    @Parameter(description = "ISO-8601 or epoch ms; default: now") @RequestParam(required = false) String to,
                                    @Parameter(description = "groups listed, 1 to 100; default 10") @RequestParam(required = false) String top,
                                    @Parameter(description = "by=calleePrefix: digits of the prefix, longer than the country code, "
                                            + "at most 15; default 4") @RequestParam(required = false) String prefixLength,
                                    @Parameter(description = "capture node names, exact, comma-separated") @RequestParam(required = false) String node) {
        return Mono.fromCallable(() -> BreakdownRequest.parse(request.getQueryParams(), props.search(), props.numbers().plan(), clock))
                .flatMap(r -> breakdowns.breakdown(r, props.numbers().plan(), principal.scope()));
    }
}
