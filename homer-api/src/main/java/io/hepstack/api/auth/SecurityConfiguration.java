package io.hepstack.api.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.api.ApiProperties;
import io.hepstack.api.store.DatabaseBootstrap;
import io.hepstack.api.web.ApiError;
import io.hepstack.api.web.ErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.List;

/**
 * Who may call what. Stateless authentication on every path except login, the shared links, the OpenAPI
 * document and health: a bearer token (login JWT or API token) in the Authorization header, or else a browser's
 * session cookie ({@link SessionCookies}), whose state-changing requests must carry its CSRF token (403 without);
 * role rules per path; security headers on every response; CORS (without credentials) only for configured
 * origins. No server-side session store, form login or HTTP basic.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    /** The API serves JSON, PCAP and text, never a page: nothing may be loaded, framed or submitted. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /** The signing key: configured, else generated once and kept in the database ({@link DatabaseBootstrap#jwtKey}). */
    @Bean
    JwtKey jwtKey(DatabaseBootstrap bootstrap, ApiProperties props) {
        return new JwtKey(DatabaseBootstrap.retry(props.storage().startupTimeout(), "reading the JWT key",
                () -> bootstrap.jwtKey(props.auth().jwtSecret())));
    }

    @Bean
    JwtService jwtService(JwtKey key, ApiProperties props) {
        return new JwtService(key, props.auth().tokenTtl(), Clock.systemUTC());
    }

    /**
     * A request the firewall refuses (an encoded {@code /}, {@code \\} or {@code %} in the path, {@code ;},
     * a {@code ..} segment) gets a 400 that says why and, as such a path is usually a Call-ID, where a Call-ID
     * that a path cannot carry goes instead.
     */
    @Bean
    ServerExchangeRejectedHandler rejectedRequests(ObjectMapper json) {
        return (exchange, e) -> write(exchange, HttpStatus.BAD_REQUEST, new ApiError("bad_request",
                "the request path was refused: " + e.getMessage() + "; a Call-ID that a path cannot carry goes in the "
                        + "callId query parameter, with - in its place: /api/v1/calls/-/flow?callId=<Call-ID>"), json);
    }

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, BearerAuthenticationManager manager,
                                       ApiProperties props, ObjectMapper json, SessionCookies cookies) {
        ServerAuthenticationEntryPoint unauthorized = (exchange, e) -> write(exchange, HttpStatus.UNAUTHORIZED,
                new ApiError("unauthorized", message(e)), json);
        ServerAccessDeniedHandler forbidden = (exchange, e) -> write(exchange, HttpStatus.FORBIDDEN,
                new ApiError("forbidden", "your role may not do this"), json);

        AuthenticationWebFilter bearer = new AuthenticationWebFilter(manager);
        bearer.setRequiresAuthenticationMatcher(SecurityConfiguration::hasCredentials);
        bearer.setServerAuthenticationConverter(exchange -> Mono.fromCallable(() -> credentials(exchange, cookies)));
        bearer.setAuthenticationFailureHandler((webFilterExchange, e) -> {
            ServerWebExchange exchange = webFilterExchange.getExchange();
            if (e instanceof CsrfRefused) {
                return write(exchange, HttpStatus.FORBIDDEN, new ApiError("forbidden", e.getMessage()), json);
            }
            if (bearerToken(exchange) == null && SessionCookies.session(exchange.getRequest()) != null) {
                cookies.clear(exchange.getRequest(), exchange.getResponse()); // an ended session's cookies go
            }
            return unauthorized.commence(exchange, e);
        });
        bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(c -> c.requestCache(org.springframework.security.web.server.savedrequest.NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .headers(h -> h
                        .frameOptions(f -> f.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.NO_REFERRER))
                        .contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY)))
                .authorizeExchange(a -> a
                        .pathMatchers(HttpMethod.POST, "/api/v1/auth/login").permitAll()
                        .pathMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .pathMatchers(HttpMethod.GET, "/api/v1/shared/*/flow", "/api/v1/shared/*/pcap",
                                "/api/v1/shared/*/text", "/api/v1/shared/*/qos", "/api/v1/shared/*/record",
                                "/api/v1/shared/*/about", "/api/v1/shared/*/logo").permitAll()
                        .pathMatchers(HttpMethod.GET, "/api/v1/shared/*/sipp").permitAll()
                        // public protocol facts: the customer's embedded call view names payload types too
                        .pathMatchers(HttpMethod.GET, "/api/v1/meta/payload-types").permitAll()
                        .pathMatchers(HttpMethod.POST, ALERT_WEBHOOK).permitAll()
                        .pathMatchers(HttpMethod.POST, "/api/v1/import/**").hasAnyRole("ADMIN", "USER")
                        .pathMatchers("/api/v1/tokens", "/api/v1/tokens/**").hasRole("ADMIN")
                        .pathMatchers("/api/v1/users", "/api/v1/users/**").hasRole("ADMIN")
                        .pathMatchers("/api/v1/tenants", "/api/v1/tenants/**").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.POST, "/api/v1/aliases").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.DELETE, "/api/v1/aliases/**").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.PATCH, "/api/v1/aliases/**").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.POST, "/api/v1/shares").hasAnyRole("ADMIN", "USER")
                        .pathMatchers(HttpMethod.DELETE, "/api/v1/shares/**").hasAnyRole("ADMIN", "USER")
                        .pathMatchers("/api/v1/**").authenticated()
                        .anyExchange().denyAll());
        List<String> origins = props.cors().allowedOrigins();
        if (origins.isEmpty()) {
            http.cors(ServerHttpSecurity.CorsSpec::disable);
        } else {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(origins);
            cors.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE"));
            cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE));
            cors.setExposedHeaders(List.of(HttpHeaders.CONTENT_DISPOSITION));
            cors.setAllowCredentials(false);
            cors.setMaxAge(3600L);
            UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
            source.registerCorsConfiguration("/api/**", cors);
            http.cors(c -> c.configurationSource(source));
        }
        return http.build();
    }

    /** Alertmanager's webhook authenticates itself (an API token or the webhook secret: AlertWebhookController). */
    static final String ALERT_WEBHOOK = "/api/v1/alerts/webhook";

    /**
     * Paths that need no login, where a session cookie is not read: an ended session's cookie must not stand in
     * the way of a new login, nor of a share link opened in the same browser.
     */
    private static final ServerWebExchangeMatcher PUBLIC = new org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher(
            org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers.pathMatchers(
                    "/api/v1/auth/login", "/api/v1/shared/**", "/api/v1/meta/payload-types", ALERT_WEBHOOK,
                    "/v3/api-docs", "/v3/api-docs/**", "/actuator/**"));

    private static Mono<ServerWebExchangeMatcher.MatchResult> hasCredentials(ServerWebExchange exchange) {
        if (exchange.getRequest().getPath().value().equals(ALERT_WEBHOOK)) {
            return ServerWebExchangeMatcher.MatchResult.notMatch();
        }
        if (bearerToken(exchange) != null) {
            return ServerWebExchangeMatcher.MatchResult.match();
        }
        if (SessionCookies.session(exchange.getRequest()) == null) {
            return ServerWebExchangeMatcher.MatchResult.notMatch();
        }
        return PUBLIC.matches(exchange).flatMap(m -> m.isMatch() ? ServerWebExchangeMatcher.MatchResult.notMatch()
                : ServerWebExchangeMatcher.MatchResult.match());
    }

    /**
     * The request's credentials: its bearer token, or else its session cookie, whose CSRF token must come with a
     * state-changing request ({@link CsrfRefused} otherwise).
     */
    private static BearerAuthentication credentials(ServerWebExchange exchange, SessionCookies cookies) {
        String bearer = bearerToken(exchange);
        if (bearer != null) {
            return BearerAuthentication.unverified(bearer);
        }
        String session = SessionCookies.session(exchange.getRequest());
        if (session.startsWith(AccountStore.TOKEN_PREFIX)) {
            throw new org.springframework.security.authentication.BadCredentialsException("invalid session cookie");
        }
        if (SessionCookies.changesState(exchange.getRequest())
                && !cookies.csrfMatches(session, exchange.getRequest().getHeaders().getFirst(SessionCookies.CSRF_HEADER))) {
            throw new CsrfRefused();
        }
        return BearerAuthentication.unverified(session);
    }

    /** A state-changing request authenticated by the session cookie came without its CSRF token. */
    static final class CsrfRefused extends AuthenticationException {
        CsrfRefused() {
            super("missing or wrong " + SessionCookies.CSRF_HEADER + " header: a request that changes something must "
                    + "send the value of the " + SessionCookies.CSRF + " cookie in it (or use Authorization: Bearer)");
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or {@code null}. */
    static String bearerToken(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static String message(AuthenticationException e) {
        if (e instanceof org.springframework.security.authentication.CredentialsExpiredException) {
            return "bearer token expired";
        }
        if (e instanceof org.springframework.security.authentication.BadCredentialsException
                || e instanceof UsernameNotFoundException) {
            return "invalid bearer token";
        }
        return "authentication required: send Authorization: Bearer <token> (POST /api/v1/auth/login), or log in again";
    }

    private static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, ApiError body, ObjectMapper json) {
        var answer = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return ErrorHandler.write(exchange, answer.body(body), json);
    }
}
