package io.hepstack.api.alert;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.auth.BearerAuthenticationManager;
import io.hepstack.api.auth.Role;
import io.hepstack.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;

/**
 * Alerts: Alertmanager delivers them to {@code POST /api/v1/alerts/webhook}, users list them. The
 * webhook authenticates itself (the bearer filter leaves it alone): an unscoped API token of role admin
 * or user, or the configured {@code homer.api.alerts.webhook-secret}.
 */
@RestController
@RequestMapping("/api/v1/alerts")
class AlertController {

    private static final Logger log = LoggerFactory.getLogger(AlertController.class);

    private final AlertStore alerts;
    private final BearerAuthenticationManager bearer;
    private final ApiProperties.Alerts cfg;
    private final Clock clock;
    private final byte[] secretHash;

    AlertController(AlertStore alerts, BearerAuthenticationManager bearer, ApiProperties props) {
        this.alerts = alerts;
        this.bearer = bearer;
        this.cfg = props.alerts();
        this.clock = Clock.systemUTC();
        this.secretHash = cfg.webhookSecret() == null || cfg.webhookSecret().isEmpty() ? null : sha256(cfg.webhookSecret());
    }

    /** The answer to a delivery. */
    record Delivery(int alerts, long stored) {
    }

    /** A page of alerts, and how many fire now within the caller's scope (whatever the filters). */
    record AlertList(List<AlertStore.StoredAlert> items, long firing) {
    }

    @PostMapping("/webhook")
    @Operation(summary = "Alertmanager's webhook (payload version 4): stores its alerts, idempotent on redelivery "
            + "(an unscoped admin or user API token, or homer.api.alerts.webhook-secret)")
    Mono<Delivery> webhook(@RequestBody Mono<AlertmanagerPayload> payload, ServerWebExchange exchange) {
        return authorize(exchange)
                .then(payload) // read only once the caller is known
                .switchIfEmpty(Mono.error(() -> ApiException.badRequest("a body is required: Alertmanager's webhook payload")))
                .map(p -> p.occurrences(cfg.maxPerDelivery()))
                .flatMap(occurrences -> alerts.store(occurrences)
                        .flatMap(stored -> alerts.purge(clock.instant().minus(cfg.retention()))
                                .doOnNext(purged -> {
                                    if (purged > 0) {
                                        log.info("alerts: {} past retention ({}) deleted", purged, cfg.retention());
                                    }
                                })
                                .thenReturn(new Delivery(occurrences.size(), stored))));
    }

    @GetMapping
    @Operation(summary = "Alerts active in a time range (default: the last homer.api.alerts.default-range), firing first; "
            + "a tenant's caller sees those of its nodes")
    Mono<AlertList> list(@RequestParam(required = false) String state, @RequestParam(required = false) String severity,
                         @RequestParam(required = false) String node, @RequestParam(required = false) String from,
                         @RequestParam(required = false) String to, @RequestParam(required = false) String limit,
                         @AuthenticationPrincipal ApiPrincipal principal) {
        return Mono.fromCallable(() -> AlertQuery.of(state, severity, node, from, to, limit, cfg, clock))
                .flatMap(q -> alerts.list(q, principal.scope()).collectList())
                .zipWith(alerts.firing(principal.scope()), AlertList::new);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One alert")
    Mono<AlertStore.StoredAlert> one(@PathVariable String id, @AuthenticationPrincipal ApiPrincipal principal) {
        return Mono.fromCallable(() -> id(id))
                .flatMap(n -> alerts.find(n, principal.scope()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("no such alert")));
    }

    private static long id(String id) {
        try {
            long n = Long.parseLong(id);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("id: expected a positive number, got " + io.hepstack.api.web.Times.quote(id));
    }

    /** The webhook secret, or an unscoped API token that may write (admin, user); 401 or 403 otherwise. */
    private Mono<Void> authorize(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst("Authorization");
        if (secretHash != null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(secretHash, sha256(header.substring(7).trim()))) {
            return Mono.empty();
        }
        return bearer.principalOf(exchange)
                .onErrorMap(AuthenticationException.class, e -> new ApiException(HttpStatus.UNAUTHORIZED, e.getMessage()))
                .flatMap(p -> {
                    if (p.kind() != ApiPrincipal.Kind.API_TOKEN || p.role() == Role.VIEWER || !p.scope().all()) {
                        return Mono.error(new ApiException(HttpStatus.FORBIDDEN,
                                "the alert webhook takes an unscoped API token of role admin or user, or the webhook secret"));
                    }
                    return Mono.<Void>empty();
                });
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
