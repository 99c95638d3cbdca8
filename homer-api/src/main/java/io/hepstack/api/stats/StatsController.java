package io.hepstack.api.stats;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.search.SearchRequest;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;

/** Indicators over a time range. */
@RestController
class StatsController {

    private final KpiStore kpis;
    private final ApiProperties props;
    private final Clock clock = Clock.systemUTC();

    StatsController(KpiStore kpis, ApiProperties props) {
        this.kpis = kpis;
        this.props = props;
    }

    @Operation(summary = "Calls, answer and effectiveness ratios, post-dial delay, duration, final statuses, registrations")
    @GetMapping("/api/v1/stats/kpi")
    Mono<Kpi> kpi(ServerHttpRequest request, @RequestParam(required = false) String from,
                  @RequestParam(required = false) String to) {
        return Mono.defer(() -> {
            for (String name : request.getQueryParams().keySet()) {
                if (!name.equals("from") && !name.equals("to")) {
                    throw ApiException.badRequest("unknown parameter " + Times.quote(name) + " (expected one of: from, to)");
                }
            }
            Instant[] range = SearchRequest.range(from, to, props.search().defaultRange(), props.search().maxRange(), clock);
            return kpis.kpi(range[0], range[1]);
        });
    }
}
