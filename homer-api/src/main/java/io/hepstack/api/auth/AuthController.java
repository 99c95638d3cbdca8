package io.hepstack.api.auth;

import io.hepstack.api.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
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

/** Login: a user name and password for a JWT. */
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

    AuthController(AccountStore accounts, PasswordEncoder passwords, JwtService jwt, LoginThrottle throttle) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.jwt = jwt;
        this.throttle = throttle;
        this.decoyHash = passwords.encode("decoy password that matches no account");
    }

    record LoginRequest(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 1024) String password) {
    }

    record LoginResponse(String token, Instant expiresAt) {
    }

    record Me(String name, Role role, ApiPrincipal.Kind kind, String tenant) {
    }

    @PostMapping("/login")
    Mono<LoginResponse> login(@Valid @RequestBody LoginRequest request) {
        if (!throttle.allowed(request.username())) {
            return Mono.error(new ApiException(HttpStatus.TOO_MANY_REQUESTS,
                    "too many failed logins for this user: retry in 15 minutes"));
        }
        return accounts.findAccount(request.username())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                // BCrypt costs tens of milliseconds of CPU: off the event loop
                .publishOn(Schedulers.boundedElastic())
                .map(account -> {
                    boolean matches = passwords.matches(request.password(),
                            account.map(AccountStore.Account::passwordHash).orElse(decoyHash));
                    if (!matches || account.isEmpty() || account.get().disabled()) {
                        throttle.failed(request.username());
                        log.info("login refused for user {}", request.username().replaceAll("[^A-Za-z0-9._@-]", "?"));
                        throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid username or password");
                    }
                    throttle.succeeded(request.username());
                    JwtService.Issued issued = jwt.issue(account.get().username(), account.get().role());
                    log.info("login of user {}", account.get().username());
                    return new LoginResponse(issued.token(), issued.expiresAt());
                });
    }

    @GetMapping("/me")
    Mono<Me> me(@AuthenticationPrincipal ApiPrincipal principal) {
        return Mono.just(new Me(principal.name(), principal.role(), principal.kind(), principal.scope().tenant()));
    }
}
