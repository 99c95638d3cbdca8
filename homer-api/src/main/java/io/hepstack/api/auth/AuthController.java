package io.hepstack.api.auth;

import io.hepstack.api.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Instant;
import java.util.Optional;

/** Login: a user name and password for a JWT (a script's bearer token, or a browser's session cookie); logout; who am I. */
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private static final Logger log = LoggerFactory.getLogger(AuthController.class);

    private final AccountStore accounts;
    private final PasswordEncoder passwords;
    private final JwtService jwt;
    private final LoginThrottle throttle;
    /** Compared against when the account does not exist, so that both cases take as long. */
    private final String decoyHash;

    private final SessionCookies cookies;

    AuthController(AccountStore accounts, PasswordEncoder passwords, JwtService jwt, LoginThrottle throttle,
                   SessionCookies cookies) {
        this.accounts = accounts;
        this.cookies = cookies;
        this.passwords = passwords;
        this.jwt = jwt;
        this.throttle = throttle;
        this.decoyHash = passwords.encode("decoy password that matches no account");
    }

    /** {@code cookie}: the browser's session, in cookies instead of the answer (docs/api.md, "Browser sessions"). */
    record LoginRequest(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 1024) String password,
                        Boolean cookie) {
    }

    /** {@code token} is null for a cookie session: no script of the page sees it. */
    record LoginResponse(String token, Instant expiresAt) {
    }

    record Me(String name, Role role, ApiPrincipal.Kind kind, String tenant) {
    }

    @PostMapping("/login")
    Mono<LoginResponse> login(@Valid @RequestBody LoginRequest request, ServerHttpRequest http, ServerHttpResponse response) {
        return Mono.defer(() -> login(request, throttle.begin(request.username(), http))).map(issued -> {
            if (Boolean.TRUE.equals(request.cookie())) {
                cookies.open(http, response, issued.token(), issued.expiresAt());
                return new LoginResponse(null, issued.expiresAt());
            }
            return new LoginResponse(issued.token(), issued.expiresAt());
        });
    }

    private Mono<JwtService.Issued> login(LoginRequest request, LoginThrottle.Attempt attempt) {
        return accounts.findAccount(request.username())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                // BCrypt costs tens of milliseconds of CPU: off the event loop
                .publishOn(Schedulers.boundedElastic())
                .map(account -> {
                    boolean matches;
                    try {
                        matches = passwords.matches(request.password(),
                                account.map(AccountStore.Account::passwordHash).orElse(decoyHash));
                    } finally {
                        attempt.close();
                    }
                    if (!matches || account.isEmpty() || account.get().disabled()) {
                        throw refused(request.username());
                    }
                    attempt.succeeded();
                    return account.get();
                })
                .flatMap(account -> {
                    JwtService.Issued issued = jwt.issue(account.username(), account.role());
                    // stored only if the account is still in the generation whose hash was checked
                    return accounts.openSession(account, issued.session(), issued.expiresAt()).map(opened -> {
                        if (!opened) {
                            throw refused(request.username());
                        }
                        log.info("login of user {}", account.username());
                        return issued;
                    });
                })
                .doFinally(signal -> attempt.close());
    }

    private static ApiException refused(String username) {
        log.info("login refused for user {}", username.replaceAll("[^A-Za-z0-9._@-]", "?"));
        return new ApiException(HttpStatus.UNAUTHORIZED, "invalid username or password");
    }

    /** Ends the caller's session: its token is refused from now on, on every replica; a browser's cookies are cleared. */
    @PostMapping("/logout")
    Mono<ResponseEntity<Void>> logout(@AuthenticationPrincipal ApiPrincipal principal, ServerHttpRequest http,
                                      ServerHttpResponse response) {
        if (principal.session() == null) {
            return Mono.error(ApiException.badRequest("an API token has no session: an admin deletes it with DELETE /api/v1/tokens/{id}"));
        }
        if (SessionCookies.session(http) != null) {
            cookies.clear(http, response);
        }
        return accounts.closeSession(principal.name(), principal.session()).map(closed -> {
            log.info("logout of user {}", principal.name());
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @GetMapping("/me")
    Mono<Me> me(@AuthenticationPrincipal ApiPrincipal principal) {
        return Mono.just(new Me(principal.name(), principal.role(), principal.kind(), principal.scope().tenant()));
    }
}
