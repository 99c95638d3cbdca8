package io.hepstack.api.auth;

import io.hepstack.api.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;

/**
 * API tokens for scripts (admin only): created, listed, revoked. The token is shown once, at creation.
 * A token may be limited to a tenant, as an account may.
 */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenController {

    private final AccountStore accounts;

    TokenController(AccountStore accounts) {
        this.accounts = accounts;
    }

    record CreateToken(@NotBlank @Size(max = 100) String name, Role role, Instant expiresAt,
                       @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String tenant) {
    }

    record TokenView(long id, String name, Role role, String tenant, String createdBy, Instant createdAt, Instant expiresAt) {
        static TokenView of(AccountStore.ApiToken t) {
            return new TokenView(t.id(), t.name(), t.role(), t.tenant(), t.createdBy(), t.createdAt(), t.expiresAt());
        }
    }

    record CreatedToken(long id, String name, Role role, String tenant, String createdBy, Instant createdAt,
                        Instant expiresAt, String token) {
    }

    record TokenList(List<TokenView> items) {
    }

    /** The furthest expiry a token may be given (omitted: it never expires). */
    static final java.time.Duration MAX_TOKEN_LIFETIME = java.time.Duration.ofDays(3653);

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<CreatedToken> create(@Valid @RequestBody CreateToken request, @AuthenticationPrincipal ApiPrincipal principal) {
        if (request.expiresAt() != null && !request.expiresAt().isAfter(Instant.now())) {
            throw ApiException.badRequest("expiresAt: must be in the future");
        }
        if (request.expiresAt() != null && request.expiresAt().isAfter(Instant.now().plus(MAX_TOKEN_LIFETIME))) {
            throw ApiException.badRequest("expiresAt: at most 10 years ahead (omit it for a token that does not expire)");
        }
        Role role = request.role() == null ? Role.VIEWER : request.role();
        if (request.tenant() != null && role == Role.ADMIN) {
            throw ApiException.badRequest("tenant: an admin token cannot be limited to a tenant");
        }
        return accounts.requireTenant(request.tenant(), null).then(accounts.createToken(request.name().strip(), role, request.tenant(), principal.name(),
                        request.expiresAt()))
                .map(c -> new CreatedToken(c.description().id(), c.description().name(), c.description().role(),
                        c.description().tenant(), c.description().createdBy(), c.description().createdAt(), c.description().expiresAt(), c.token()));
    }

    @GetMapping
    Mono<TokenList> list() {
        return accounts.listTokens().map(TokenView::of).collectList().map(TokenList::new);
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
        long parsed;
        try {
            parsed = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Mono.error(ApiException.notFound("no such token"));
        }
        return accounts.deleteToken(parsed).map(found -> {
            if (!found) {
                throw ApiException.notFound("no such token");
            }
            return ResponseEntity.noContent().build();
        });
    }
}
