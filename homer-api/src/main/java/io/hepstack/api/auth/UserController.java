package io.hepstack.api.auth;

import io.hepstack.api.web.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Optional;

/**
 * Accounts: managed by admins; every account may change its own password. An account may be limited
 * to a tenant (never an admin account).
 */
@RestController
class UserController {

    private static final Logger log = LoggerFactory.getLogger(UserController.class);
    static final int MIN_PASSWORD = PasswordPolicy.MIN_LENGTH;

    private final AccountStore accounts;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;

    UserController(AccountStore accounts, PasswordEncoder passwords, LoginThrottle throttle) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.throttle = throttle;
    }

    record CreateUser(@NotBlank @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}") String username,
                      @NotNull @Size(min = MIN_PASSWORD, max = 1024) String password,
                      @NotNull Role role, @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String tenant) {
    }

    /** {@code tenant}: absent, unchanged; {@code null}, no tenant any more; a name, that tenant. */
    record UpdateUser(Role role, Boolean disabled, @Size(min = MIN_PASSWORD, max = 1024) String password,
                      @Schema(type = "string", nullable = true, description = "a tenant's name; null: no tenant") JsonNode tenant) {

        /** {@code null}: unchanged; empty: no tenant; else the tenant. */
        Optional<String> tenantChange() {
            if (tenant == null) {
                return null;
            }
            if (tenant.isNull()) {
                return Optional.empty();
            }
            if (!tenant.isTextual() || !TENANT.matcher(tenant.textValue()).matches()) {
                throw ApiException.badRequest("tenant: a tenant's name (1 to 64 of A-Z a-z 0-9 . _ -) or null for none");
            }
            return Optional.of(tenant.textValue());
        }
    }

    private static final java.util.regex.Pattern TENANT = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    record ChangePassword(@NotNull @Size(max = 1024) String currentPassword,
                          @NotNull @Size(min = MIN_PASSWORD, max = 1024) String newPassword) {
    }

    record UserList(List<AccountStore.AccountView> items) {
    }

    @GetMapping("/api/v1/users")
    Mono<UserList> list() {
        return accounts.listAccounts().collectList().map(UserList::new);
    }

    @PostMapping("/api/v1/users")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<AccountStore.AccountView> create(@Valid @RequestBody CreateUser request, @AuthenticationPrincipal ApiPrincipal by) {
        if (request.tenant() != null && request.role() == Role.ADMIN) {
            return Mono.error(ApiException.badRequest(ADMIN_UNSCOPED));
        }
        String weak = PasswordPolicy.problem(request.username(), request.password());
        if (weak != null) {
            return Mono.error(ApiException.badRequest("password: " + weak));
        }
        return existing(request.tenant()).then(hash(request.password()))
                .flatMap(hash -> accounts.createAccount(request.username(), hash, request.role(), request.tenant()))
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.CONFLICT, "username already taken")))
                .doOnNext(a -> log.info("account {} ({}) created by {}", a.username(), a.role().code(), by.name()));
    }

    @PatchMapping("/api/v1/users/{username}")
    Mono<AccountStore.AccountView> update(@PathVariable String username, @Valid @RequestBody UpdateUser request,
                                          @AuthenticationPrincipal ApiPrincipal by) {
        if (username.equals(by.name()) && (Boolean.TRUE.equals(request.disabled())
                || (request.role() != null && request.role() != Role.ADMIN))) {
            return Mono.error(ApiException.badRequest("an admin cannot disable or demote their own account"));
        }
        Optional<String> tenantChange;
        try {
            tenantChange = request.tenantChange();
        } catch (ApiException e) {
            return Mono.error(e);
        }
        String weak = request.password() == null ? null : PasswordPolicy.problem(username, request.password());
        if (weak != null) {
            return Mono.error(ApiException.badRequest("password: " + weak));
        }
        Mono<String> hash = request.password() == null ? Mono.just("") : hash(request.password());
        return accounts.findAccount(username)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("no such user")))
                .flatMap(account -> {
                    Role role = request.role() == null ? account.role() : request.role();
                    String tenant = tenantChange == null ? account.tenant() : tenantChange.orElse(null);
                    if (role == Role.ADMIN && tenant != null) {
                        return Mono.error(ApiException.badRequest(ADMIN_UNSCOPED));
                    }
                    return existing(tenantChange == null ? null : tenantChange.orElse(null));
                })
                .then(hash)
                .flatMap(h -> accounts.updateAccount(username, request.role(), request.disabled(), h.isEmpty() ? null : h,
                        tenantChange))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("no such user")))
                .doOnNext(a -> log.info("account {} changed by {}", a.username(), by.name()));
    }

    @DeleteMapping("/api/v1/users/{username}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String username, @AuthenticationPrincipal ApiPrincipal by) {
        if (username.equals(by.name())) {
            return Mono.error(ApiException.badRequest("an admin cannot delete their own account"));
        }
        return accounts.deleteAccount(username).map(found -> {
            if (!found) {
                throw ApiException.notFound("no such user");
            }
            log.info("account {} deleted by {}", username, by.name());
            return ResponseEntity.noContent().build();
        });
    }

    /** Changes the caller's own password; every session of the account ends, the caller's too. */
    @PostMapping("/api/v1/auth/password")
    Mono<ResponseEntity<Void>> changePassword(@Valid @RequestBody ChangePassword request,
                                              @AuthenticationPrincipal ApiPrincipal principal, ServerHttpRequest http) {
        if (principal.kind() != ApiPrincipal.Kind.ACCOUNT) {
            return Mono.error(ApiException.badRequest("an API token has no password"));
        }
        String weak = PasswordPolicy.problem(principal.name(), request.newPassword());
        if (weak != null) {
            return Mono.error(ApiException.badRequest("newPassword: " + weak));
        }
        return Mono.defer(() -> changePassword(request, principal, throttle.begin(principal.name(), http)));
    }

    private Mono<ResponseEntity<Void>> changePassword(ChangePassword request, ApiPrincipal principal,
                                                      LoginThrottle.Attempt attempt) {
        return accounts.findAccount(principal.name())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("no such user")))
                .publishOn(Schedulers.boundedElastic())
                .map(account -> {
                    try {
                        if (!passwords.matches(request.currentPassword(), account.passwordHash())) {
                            throw new ApiException(HttpStatus.UNAUTHORIZED, "current password is wrong");
                        }
                    } finally {
                        attempt.close();
                    }
                    attempt.succeeded();
                    return passwords.encode(request.newPassword());
                })
                .doFinally(signal -> attempt.close())
                .flatMap(hash -> accounts.updateAccount(principal.name(), null, null, hash, null))
                .map(a -> {
                    log.info("account {} changed its password", a.username());
                    return ResponseEntity.noContent().<Void>build();
                });
    }

    static final String ADMIN_UNSCOPED = "tenant: an admin account cannot be limited to a tenant (admin pages are unscoped)";

    /** Empty when {@code tenant} is null or exists; a 400 otherwise. */
    private Mono<Void> existing(String tenant) {
        return accounts.requireTenant(tenant, "(create it with POST /api/v1/tenants)");
    }

    /** BCrypt off the event loop. */
    private Mono<String> hash(String password) {
        return Mono.fromCallable(() -> passwords.encode(password)).subscribeOn(Schedulers.boundedElastic());
    }
}
