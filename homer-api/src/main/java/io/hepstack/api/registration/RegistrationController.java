package io.hepstack.api.registration;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.search.MessageStore;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Params;
import io.hepstack.api.web.Times;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/** Registrations: where each binding stands, and one AoR's REGISTER transactions (docs/api.md, "Registrations"). */
@RestController
@RequestMapping("/api/v1/registrations")
class RegistrationController {

    /** The longest range an AoR's history reads (REGISTER rows are kept 7 days by default). */
    static final Duration MAX_HISTORY_RANGE = Duration.ofDays(8);
    static final int DEFAULT_HISTORY_LIMIT = 200;
    static final int MAX_HISTORY_LIMIT = 1000;

    private final RegistrationReader registrations;
    private final ApiProperties.Search limits;
    private final Clock clock = Clock.systemUTC();

    RegistrationController(RegistrationReader registrations, ApiProperties props) {
        this.registrations = registrations;
        this.limits = props.search();
    }

    @Operation(summary = "Registration records: one per binding (AoR, Contact, source address, User-Agent) registered in the "
            + "range (default: the last 24 h), newest first or failing first",
            description = "Kept current by the collectors from the REGISTER transactions. state: registered, expired, "
                    + "unregistered, failed, challenge_loop (comma-separated for several); user: the AoR's user, or user@domain, "
                    + "* as a wildcard; srcIp: addresses or CIDR blocks as in message search; node: a capture node; order: recent or failing.")
    @GetMapping
    Mono<MessageStore.Page<RegistrationView>> list(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
                                                   @RequestParam(required = false) String state,
                                                   @RequestParam(required = false) String user,
                                                   @RequestParam(required = false) String srcIp,
                                                   @RequestParam(required = false) String node,
                                                   @RequestParam(required = false) String from,
                                                   @RequestParam(required = false) String to,
                                                   @RequestParam(required = false) String order,
                                                   @RequestParam(required = false) String limit,
                                                   @RequestParam(required = false) String cursor) {
        return Mono.fromCallable(() -> RegistrationQuery.of(request.getQueryParams(), clock.instant(), limits))
                .flatMap(q -> registrations.list(q, principal.scope()));
    }

    @Operation(summary = "One AoR's registrations: its bindings' records and its REGISTER transactions in the range "
            + "(default: the last 24 h, at most 8 days), newest first",
            description = "aor: user@domain as the records name it (the domain's case does not matter).")
    @GetMapping("/{aor}")
    Mono<RegistrationHistory> history(ServerHttpRequest request, @AuthenticationPrincipal ApiPrincipal principal,
                                      @PathVariable String aor,
                                      @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                      @Parameter(description = "1 to 1000 transactions; default 200")
                                      @RequestParam(required = false) String limit) {
        return Mono.fromCallable(() -> HistoryRequest.of(aor, request.getQueryParams(), clock.instant()))
                .flatMap(h -> registrations.history(h.aor(), h.from(), h.to(), h.now(), h.limit(), principal.scope()));
    }

    /** What a history request asks for. */
    record HistoryRequest(String aor, Instant from, Instant to, Instant now, int limit) {

        private static final Set<String> PARAMETERS = Set.of("from", "to", "limit");

        /** @throws ApiException 400 naming the parameter that is wrong */
        static HistoryRequest of(String aor, MultiValueMap<String, String> params, Instant now) {
            for (String name : params.keySet()) {
                if (!PARAMETERS.contains(name)) {
                    throw ApiException.badRequest("unknown parameter " + Times.quote(name) + " (expected one of: from, to, limit)");
                }
            }
            int at = aor.lastIndexOf('@');
            if (aor.length() > 256 || at <= 0 || at == aor.length() - 1 || aor.chars().anyMatch(Character::isISOControl)) {
                throw ApiException.badRequest("aor: expected user@domain (at most 256 characters), got " + Times.quote(aor));
            }
            Instant[] range = Times.lookBack(params.getFirst("from"), params.getFirst("to"), RegistrationQuery.DEFAULT_RANGE,
                    MAX_HISTORY_RANGE, now);
            return new HistoryRequest(aor.substring(0, at) + '@' + aor.substring(at + 1).toLowerCase(Locale.ROOT), range[0], range[1],
                    now, Params.limit(params.getFirst("limit"), DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT));
        }
    }
}
