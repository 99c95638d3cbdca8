package io.hepstack.api.share;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.store.CollectorSettings;
import io.hepstack.api.call.CallQos;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.auth.Role;
import io.hepstack.api.call.CallFlow;
import io.hepstack.api.call.CallRecordReader;
import io.hepstack.api.call.CallRecordView;
import io.hepstack.api.call.FlowExport;
import io.hepstack.api.call.FlowRequest;
import io.hepstack.api.call.FlowStore;
import io.hepstack.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Share links: an account with role user or admin shares one call's flow; whoever holds the link
 * reads that flow (JSON, PCAP, text) without logging in until it expires or is revoked. A link that
 * is unknown, altered, expired, revoked or whose call is gone answers 404 with no detail. A link made
 * by a tenant-scoped caller shows only what that tenant saw when the link was made.
 */
@RestController
class ShareController {

    private static final Logger log = LoggerFactory.getLogger(ShareController.class);

    private final ShareStore shares;
    private final FlowStore flows;
    private final CallRecordReader records;
    private final ApiProperties props;
    private final CollectorSettings collectors;
    private final io.hepstack.api.tenant.TenantStore tenants;
    private final Clock clock = Clock.systemUTC();

    ShareController(ShareStore shares, FlowStore flows, CallRecordReader records, ApiProperties props,
                    CollectorSettings collectors, io.hepstack.api.tenant.TenantStore tenants) {
        this.tenants = tenants;
        this.shares = shares;
        this.flows = flows;
        this.records = records;
        this.props = props;
        this.collectors = collectors;
    }

    /**
     * Exactly one of {@code ttlSeconds} and {@code expiresAt} may be given; neither: the default lifetime.
     * {@code view}: what the customer sees ({@link CustomerView#choose}); omitted, or any part of it: the default.
     */
    record CreateShare(@NotBlank @Size(max = 512) String callId, @Size(max = 40) String from, @Size(max = 40) String to,
                       Long ttlSeconds, Instant expiresAt, CustomerView.Choice view) {
    }

    /** A share as listed; {@code creator}: active, or disabled, expired (a token) or deleted, when the link no longer works. */
    /** {@code view}: what the customer sees, {@code null} for a link made before views (it shows everything). */
    record ShareView(long id, String callId, Instant from, Instant to, String createdBy, Instant createdAt,
                     Instant expiresAt, ShareStore.CreatorState creator, CustomerView view) {
        static ShareView of(ShareStore.Share s) {
            return new ShareView(s.id(), s.callId(), s.from(), s.to(), s.createdBy(), s.createdAt(), s.expiresAt(),
                    s.creator(), s.view());
        }
    }

    record CreatedShare(long id, String callId, Instant from, Instant to, String createdBy, Instant createdAt,
                        Instant expiresAt, String token, String url, String path, CustomerView view) {
    }

    /**
     * What a shared link's page says about it: who shared it, until when, what its customer is shown, and the
     * branding of its creator's tenant ({@code null} without a tenant or branding; the logo at {@code /logo}).
     */
    record SharedAbout(String callId, String createdBy, Instant createdAt, Instant expiresAt, CustomerView view,
                       io.hepstack.api.tenant.TenantBrand.View brand) {
    }

    record ShareList(List<ShareView> items) {
    }

    @Operation(summary = "Share a call flow (role user or admin); the token is shown only here")
    @PostMapping("/api/v1/shares")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<CreatedShare> create(@Valid @RequestBody CreateShare request, @AuthenticationPrincipal ApiPrincipal principal) {
        return Mono.defer(() -> {
            FlowRequest.checkCallId(request.callId());
            Instant expires = expiry(request, clock.instant(), props.share());
            Instant now = clock.instant();
            FlowRequest flow = FlowRequest.of(request.callId(), request.from(), request.to(), props, clock);
            if (request.to() != null && !request.to().isBlank() && flow.to().isAfter(now)) {
                throw ApiException.badRequest("to: after now (a share link shows what was captured until it was made)");
            }
            // the window ends now at the latest: the link is a snapshot, later messages of the Call-ID are not shown
            Instant[] range = {flow.from(), flow.to().isAfter(now) ? now : flow.to()};
            // the call must exist: a link to nothing is refused now rather than 404 later
            // the call must be visible to its creator, and the link never shows more than the creator sees now
            return flows.flow(request.callId(), range[0], range[1], principal.scope(), FlowStore.reader(principal))
                    .map(f -> CustomerView.choose(request.view(), request.callId(), f,
                            CustomerView.customerSide(f, request.callId(), principal.scope())))
                    .flatMap(view -> shares.create(request.callId(), range[0], range[1], principal, expires, view))
                    .doOnNext(c -> log.info("share {} of call {} created by {}, expires {}", c.share().id(),
                            c.share().callId(), principal.name(), c.share().expiresAt()))
                    .map(c -> new CreatedShare(c.share().id(), c.share().callId(), c.share().from(), c.share().to(),
                            c.share().createdBy(), c.share().createdAt(), c.share().expiresAt(), c.token(),
                            props.share().url(c.token()), "/api/v1/shared/" + c.token() + "/flow", c.share().view()));
        });
    }

    /**
     * When a new link expires: {@code now + ttlSeconds}, or {@code expiresAt}, or {@code now + default-ttl};
     * never later than {@code max-ttl} from now.
     *
     * @throws ApiException 400 when both are given or the lifetime is not positive or too long
     */
    static Instant expiry(CreateShare request, Instant now, ApiProperties.Share limits) {
        long maxSeconds = limits.maxTtl().toSeconds();
        if (request.ttlSeconds() != null && request.expiresAt() != null) {
            throw ApiException.badRequest("give ttlSeconds or expiresAt, not both");
        }
        if (request.ttlSeconds() != null) {
            long ttl = request.ttlSeconds();
            if (ttl <= 0 || ttl > maxSeconds) {
                throw ApiException.badRequest("ttlSeconds: from 1 to " + maxSeconds + " (homer.api.share.max-ttl, "
                        + limits.maxTtl().toDays() + " days), got " + ttl);
            }
            return now.plusSeconds(ttl);
        }
        Instant expires = request.expiresAt() == null ? now.plus(limits.defaultTtl()) : request.expiresAt();
        if (!expires.isAfter(now) || Duration.between(now, expires).compareTo(limits.maxTtl()) > 0) {
            throw ApiException.badRequest("expiresAt: must be in the future and at most "
                    + limits.maxTtl().toDays() + " days away");
        }
        return expires;
    }

    @Operation(summary = "Share links: your own (this account's or this token's), or every one for an admin",
            description = "creator: active, or disabled / expired / deleted when the link stopped working with its creator")
    @GetMapping("/api/v1/shares")
    Mono<ShareList> list(@AuthenticationPrincipal ApiPrincipal principal) {
        return shares.list(principal.role() == Role.ADMIN ? null : ShareStore.Owner.of(principal))
                .map(ShareView::of).collectList().map(ShareList::new);
    }

    @Operation(summary = "Revoke a share link (your own, or any for an admin)")
    @DeleteMapping("/api/v1/shares/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String id, @AuthenticationPrincipal ApiPrincipal principal) {
        long parsed;
        try {
            parsed = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Mono.error(ApiException.notFound("no such share"));
        }
        return shares.delete(parsed, principal.role() == Role.ADMIN ? null : ShareStore.Owner.of(principal)).map(found -> {
            if (!found) {
                throw ApiException.notFound("no such share");
            }
            return ResponseEntity.noContent().build();
        });
    }

    @Operation(summary = "About a share link (no login): who shared it, until when, what its customer is shown")
    @GetMapping("/api/v1/shared/{token}/about")
    Mono<SharedAbout> sharedAbout(@PathVariable String token) {
        return shares.findLive(token)
                .flatMap(s -> brand(s).map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                        .map(b -> new SharedAbout(s.callId(), s.createdBy(), s.createdAt(), s.expiresAt(), s.view(),
                                b.map(io.hepstack.api.tenant.TenantBrand::view).orElse(null))))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("not found")));
    }

    @Operation(summary = "The logo of a share link's branding (no login); 404 when it has none")
    @GetMapping("/api/v1/shared/{token}/logo")
    Mono<ResponseEntity<byte[]>> sharedLogo(@PathVariable String token) {
        return shares.findLive(token).flatMap(this::brand).filter(b -> b.logo() != null)
                .map(b -> ResponseEntity.ok().contentType(org.springframework.http.MediaType.parseMediaType(b.logoType()))
                        .cacheControl(org.springframework.http.CacheControl.noCache())
                        .header("Content-Security-Policy", "default-src 'none'; sandbox")
                        .body(b.logo()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("not found")));
    }

    /** The branding of the tenant a share was made in, empty for a share of no tenant or a tenant without one. */
    private Mono<io.hepstack.api.tenant.TenantBrand> brand(ShareStore.Share s) {
        return s.scope().tenant() == null ? Mono.empty() : tenants.brand(s.scope().tenant());
    }

    @Operation(summary = "The shared call flow (no login)")
    @GetMapping("/api/v1/shared/{token}/flow")
    Mono<CallFlow> sharedFlow(@PathVariable String token) {
        return shared(token).map(Shared::flow);
    }

    @Operation(summary = "The shared call's media quality (no login)")
    @GetMapping("/api/v1/shared/{token}/qos")
    Mono<CallQos> sharedQos(@PathVariable String token) {
        return collectors.mediaThresholds().flatMap(limits -> shared(token).map(s -> CallQos.of(s.share.callId(), s.flow, limits)));
    }

    @Operation(summary = "The shared call's record: what happened to it (no login)",
            description = "As GET /api/v1/calls/{callId}, for the shared Call-ID within the share's scope; 404 when the "
                    + "link is not live or the call has no record.")
    @GetMapping("/api/v1/shared/{token}/record")
    Mono<CallRecordView> sharedRecord(@PathVariable String token) {
        return shares.findLive(token)
                .flatMap(s -> s.view() == null || (!s.view().maskAddresses() && !s.view().hideAliases())
                        ? records.find(s.callId(), s.scope())
                        : records.find(s.callId(), s.scope()).flatMap(r -> read(s).map(flow -> s.view().apply(r, flow))))
                .onErrorMap(ApiException.class, e -> ApiException.notFound("not found"))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("not found")));
    }

    @Operation(summary = "The shared call flow as pcap (no login)")
    @GetMapping("/api/v1/shared/{token}/pcap")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/vnd.tcpdump.pcap"))
    Mono<ResponseEntity<Flux<DataBuffer>>> sharedPcap(@PathVariable String token) {
        return shared(token).map(s -> FlowExport.pcapResponse(s.share.callId(), s.flow));
    }

    @Operation(summary = "The shared call flow as text (no login)")
    @GetMapping("/api/v1/shared/{token}/text")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/plain"))
    Mono<ResponseEntity<Flux<DataBuffer>>> sharedText(@PathVariable String token,
            @io.swagger.v3.oas.annotations.Parameter(description = "time zone of the times (IANA, e.g. Europe/Berlin); default UTC")
            @org.springframework.web.bind.annotation.RequestParam(required = false) String tz) {
        return Mono.fromCallable(() -> FlowExport.zone(tz))
                .flatMap(zone -> shared(token).map(s -> FlowExport.textResponse(s.share.callId(), s.flow, zone)));
    }

    private record Shared(ShareStore.Share share, CallFlow flow) {
    }

    /** The shared flow as read, before the customer's view applies. */
    private Mono<CallFlow> read(ShareStore.Share s) {
        return flows.flowWithin(s.callId(), s.from(), s.to(), s.scope(), "share:" + s.id());
    }

    /** The shared flow as the link's customer sees it ({@link ShareStore.Share#shown}). */
    private Mono<Shared> shared(String token) {
        return shares.findLive(token)
                .flatMap(s -> read(s).map(f -> new Shared(s, s.shown(f))))
                .onErrorMap(ApiException.class, e -> ApiException.notFound("not found"))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("not found")));
    }
}
