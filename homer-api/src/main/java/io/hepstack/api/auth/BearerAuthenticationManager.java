package io.hepstack.api.auth;

import io.hepstack.api.store.ReadRouting;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Verifies a bearer token: an API token ({@code hsk_...}) by its hash in the database, anything else
 * as a login JWT, whose session must still be open: not logged out, not ended by a password change or
 * reset, its account still there and enabled (its current role and tenant scope apply, so a demoted,
 * disabled or re-scoped account loses its rights at once). The lookups are the primary's; a read of captured
 * traffic is checked on the read configuration while the primary cannot be reached ({@link ReadRouting#authentication}).
 */
@Component
public class BearerAuthenticationManager implements ReactiveAuthenticationManager {

    private final JwtService jwt;
    private final AccountStore accounts;
    private final ReadRouting routing;

    public BearerAuthenticationManager(JwtService jwt, AccountStore accounts, ReadRouting routing) {
        this.jwt = jwt;
        this.accounts = accounts;
        this.routing = routing;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String token = (String) authentication.getCredentials();
        if (token.startsWith(AccountStore.TOKEN_PREFIX)) {
            if (token.length() > 100) {
                return Mono.error(new BadCredentialsException("invalid bearer token"));
            }
            return routing.authentication(accounts.findToken(token))
                    .switchIfEmpty(Mono.error(() -> new BadCredentialsException("invalid bearer token")))
                    .map(BearerAuthentication::verified);
        }
        return Mono.fromCallable(() -> jwt.verify(token))
                .flatMap(verified -> routing.authentication(accounts.activePrincipal(verified.username(), verified.session()))
                        .switchIfEmpty(Mono.error(() -> new BadCredentialsException("invalid bearer token")))
                        .map(BearerAuthentication::verified));
    }

    /**
     * The principal of the request's {@code Authorization: Bearer} token, for an endpoint that the bearer
     * filter leaves to itself; {@link BadCredentialsException} when there is no token or it is invalid.
     */
    public Mono<ApiPrincipal> principalOf(org.springframework.web.server.ServerWebExchange exchange) {
        String token = SecurityConfiguration.bearerToken(exchange);
        if (token == null) {
            return Mono.error(new BadCredentialsException("authentication required: send Authorization: Bearer <token>"));
        }
        return authenticate(BearerAuthentication.unverified(token)).map(a -> (ApiPrincipal) a.getPrincipal());
    }
}
