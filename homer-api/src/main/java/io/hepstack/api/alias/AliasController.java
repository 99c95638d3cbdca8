package io.hepstack.api.alias;

import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Host aliases shown in call flows: listed by anyone, managed by admins. An alias names an address or
 * a network ({@link AliasAddress}), on one port or any port.
 */
@RestController
@RequestMapping("/api/v1/aliases")
class AliasController {

    private final AliasStore aliases;

    AliasController(AliasStore aliases) {
        this.aliases = aliases;
    }

    record CreateAlias(@NotBlank @Size(max = 49) String ip, @Min(0) @Max(65535) Integer port,
                       @NotBlank @Size(max = 100) String alias) {
    }

    record AliasList(List<AliasStore.Alias> items) {
    }

    /** The body of {@code PATCH}, for the OpenAPI document: absent fields stay as they are. */
    @Schema(description = "Fields to change; an absent field stays as it is, \"port\": null means any port")
    record AliasChanges(@Schema(example = "10.0.0.0/24") String ip, @Schema(nullable = true, example = "5060") Integer port,
                        @Schema(example = "core network") String alias) {
    }

    private static final Set<String> CHANGEABLE = Set.of("ip", "port", "alias");
    private static final String CONFLICT = "this address and port already have an alias";

    @GetMapping
    @Operation(summary = "Every host alias (a tenant's caller: those within its tenant's networks)")
    Mono<AliasList> list(@AuthenticationPrincipal ApiPrincipal principal) {
        return aliases.list(principal.scope()).collectList().map(AliasList::new);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Name an address or a network (CIDR), on one port or any port (admin)")
    Mono<AliasStore.Alias> create(@Valid @RequestBody CreateAlias request, @AuthenticationPrincipal ApiPrincipal by) {
        return Mono.fromCallable(() -> AliasAddress.parse(request.ip()))
                .flatMap(ip -> aliases.create(ip, request.port(), name(request.alias()), by.name()))
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.CONFLICT, CONFLICT)));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change an alias's address or network, port or name (admin)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = AliasChanges.class))))
    Mono<AliasStore.Alias> update(@PathVariable String id, @RequestBody Map<String, Object> body) {
        return Mono.fromCallable(() -> changes(body))
                .flatMap(changes -> aliases.update(id(id), changes))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("no such alias")))
                .onErrorMap(AliasStore.AliasConflict.class, e -> new ApiException(HttpStatus.CONFLICT, CONFLICT));
    }

    /** The changes a PATCH body asks for, checked like a creation's fields. */
    static AliasStore.Changes changes(Map<String, Object> body) {
        for (String field : body.keySet()) {
            if (!CHANGEABLE.contains(field)) {
                throw ApiException.badRequest("unknown field: " + io.hepstack.api.web.Times.quote(field)
                        + " (expected: ip, port, alias)");
            }
        }
        if (body.isEmpty()) {
            throw ApiException.badRequest("nothing to change (expected: one or more of ip, port, alias)");
        }
        String ip = null;
        if (body.containsKey("ip")) {
            if (!(body.get("ip") instanceof String text) || text.isBlank() || text.length() > 49) {
                throw ApiException.badRequest("ip: must be an address or a network as a string of at most 49 characters");
            }
            ip = AliasAddress.parse(text);
        }
        Integer port = null;
        if (body.get("port") != null) {
            if (!(body.get("port") instanceof Integer p) || p < 0 || p > 65535) {
                throw ApiException.badRequest("port: must be a number from 0 to 65535, or null for any port");
            }
            port = p;
        }
        String alias = null;
        if (body.containsKey("alias")) {
            if (!(body.get("alias") instanceof String text) || text.isBlank() || text.length() > 100) {
                throw ApiException.badRequest("alias: must be a non-blank string of at most 100 characters");
            }
            alias = name(text);
        }
        return new AliasStore.Changes(ip, body.containsKey("port"), port, alias);
    }

    private static String name(String alias) {
        if (alias.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("alias: no control characters");
        }
        return alias.strip();
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no such alias");
        }
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete an alias (admin)")
    Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
        long parsed;
        try {
            parsed = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Mono.error(ApiException.notFound("no such alias"));
        }
        return aliases.delete(parsed).map(found -> {
            if (!found) {
                throw ApiException.notFound("no such alias");
            }
            return ResponseEntity.noContent().build();
        });
    }
}
