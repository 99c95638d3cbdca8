package io.hepstack.api.auth;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.List;

/**
 * A request's bearer credentials: unauthenticated as read from the {@code Authorization} header,
 * authenticated (with the principal and its role) once verified.
 */
public final class BearerAuthentication extends AbstractAuthenticationToken {

    private final String token;
    private final ApiPrincipal principal;

    private BearerAuthentication(String token, ApiPrincipal principal) {
        super(principal == null ? List.of() : List.of(new SimpleGrantedAuthority(principal.role().authority())));
        this.token = token;
        this.principal = principal;
        setAuthenticated(principal != null);
    }

    /** The token as presented, to be verified. */
    static BearerAuthentication unverified(String token) {
        return new BearerAuthentication(token, null);
    }

    /** A verified principal. */
    static BearerAuthentication verified(ApiPrincipal principal) {
        return new BearerAuthentication(null, principal);
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public ApiPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal == null ? "" : principal.name();
    }
}
