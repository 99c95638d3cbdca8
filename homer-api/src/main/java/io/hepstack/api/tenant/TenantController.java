package io.hepstack.api.tenant;

import io.hepstack.api.alias.AliasAddress;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tenants (admin only): a tenant-scoped account or API token sees only the messages captured by one of
 * the tenant's nodes or sent from or to one of its networks. A tenant still assigned cannot be deleted.
 */
@RestController
@RequestMapping("/api/v1/tenants")
class TenantController {

    private static final Logger log = LoggerFactory.getLogger(TenantController.class);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MAX_ENTRIES = 100;
    static final int MAX_NODE = 256;
    private static final Set<String> FIELDS = Set.of("name", "nodes", "networks");

    private final TenantStore tenants;

    TenantController(TenantStore tenants) {
        this.tenants = tenants;
    }

    record TenantList(List<TenantStore.Tenant> items) {
    }

    /** The body of POST and PATCH, for the OpenAPI document (PATCH: absent fields stay as they are, no name). */
    @Schema(description = "A tenant: capture node names and networks (CIDR, host bits clear), at most 100 of each")
    record TenantBody(@Schema(example = "acme") String name, @Schema(example = "[\"kamailio-1\"]") List<String> nodes,
                      @Schema(example = "[\"10.1.0.0/16\", \"2001:db8::/32\"]") List<String> networks) {
    }

    @GetMapping
    @Operation(summary = "Every tenant (admin)")
    Mono<TenantList> list() {
        return tenants.list().collectList().map(TenantList::new);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a tenant (admin)", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true, content = @Content(schema = @Schema(implementation = TenantBody.class))))
    Mono<TenantStore.Tenant> create(@RequestBody Map<String, Object> body, @AuthenticationPrincipal ApiPrincipal by) {
        return Mono.defer(() -> {
            fields(body, true);
            if (!(body.get("name") instanceof String name) || !NAME.matcher(name).matches()) {
                throw ApiException.badRequest("name: 1 to 64 of A-Z a-z 0-9 . _ -");
            }
            List<String> nodes = body.get("nodes") == null ? List.of() : nodes(body.get("nodes"));
            List<String> networks = body.get("networks") == null ? List.of() : networks(body.get("networks"));
            return tenants.create(name, nodes, networks, by.name())
                    .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.CONFLICT, "a tenant of this name exists")))
                    .doOnNext(t -> log.info("tenant {} created by {}", t.name(), by.name()));
        });
    }

    @PatchMapping("/{name}")
    @Operation(summary = "Replace a tenant's nodes or networks (admin); takes effect on its users' next request",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    required = true, content = @Content(schema = @Schema(implementation = TenantBody.class))))
    Mono<TenantStore.Tenant> update(@PathVariable String name, @RequestBody Map<String, Object> body,
                                    @AuthenticationPrincipal ApiPrincipal by) {
        return Mono.defer(() -> {
            fields(body, false);
            if (body.isEmpty()) {
                throw ApiException.badRequest("nothing to change (expected: nodes, networks or both)");
            }
            List<String> nodes = body.containsKey("nodes") ? nodes(body.get("nodes")) : null;
            List<String> networks = body.containsKey("networks") ? networks(body.get("networks")) : null;
            return tenants.update(name, nodes, networks)
                    .switchIfEmpty(Mono.error(() -> ApiException.notFound("no such tenant")))
                    .doOnNext(t -> log.info("tenant {} changed by {}", t.name(), by.name()));
        });
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Delete a tenant (admin); 409 while an account or API token is assigned to it")
    Mono<ResponseEntity<Void>> delete(@PathVariable String name, @AuthenticationPrincipal ApiPrincipal by) {
        return tenants.delete(name)
                .onErrorMap(TenantStore.TenantInUse.class, e -> new ApiException(HttpStatus.CONFLICT,
                        "tenant " + Times.quote(name) + " is still assigned to an account or API token: reassign them first"))
                .map(found -> {
                    if (!found) {
                        throw ApiException.notFound("no such tenant");
                    }
                    log.info("tenant {} deleted by {}", name, by.name());
                    return ResponseEntity.noContent().build();
                });
    }

    private static void fields(Map<String, Object> body, boolean create) {
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field) || (!create && field.equals("name"))) {
                throw ApiException.badRequest("unknown field: " + Times.quote(field)
                        + (create ? " (expected: name, nodes, networks)" : " (expected: nodes, networks; a tenant is not renamed)"));
            }
        }
    }

    /** Capture node names: strings of 1 to 256 characters without control characters, duplicates dropped. */
    static List<String> nodes(Object value) {
        List<?> list = list("nodes", value);
        Set<String> nodes = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String node) || node.isEmpty() || node.length() > MAX_NODE
                    || node.chars().anyMatch(Character::isISOControl)) {
                throw ApiException.badRequest("nodes[" + i + "]: must be a node name of 1 to " + MAX_NODE
                        + " characters without control characters");
            }
            nodes.add(node);
        }
        return List.copyOf(nodes);
    }

    /** Networks: an address or a CIDR network with its host bits clear ({@link AliasAddress}), duplicates dropped. */
    static List<String> networks(Object value) {
        List<?> list = list("networks", value);
        Set<String> networks = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String network) || network.isBlank() || network.length() > 49) {
                throw ApiException.badRequest("networks[" + i + "]: must be an address or a network (CIDR) as a string");
            }
            networks.add(AliasAddress.parse("networks[" + i + "]", network));
        }
        return new ArrayList<>(networks);
    }

    private static List<?> list(String field, Object value) {
        if (!(value instanceof List<?> list)) {
            throw ApiException.badRequest(field + ": must be a list");
        }
        if (list.size() > MAX_ENTRIES) {
            throw ApiException.badRequest(field + ": at most " + MAX_ENTRIES + " entries, got " + list.size());
        }
        return list;
    }

    @org.springframework.web.bind.annotation.PutMapping("/{name}/brand")
    @Operation(summary = "Set a tenant's branding of the customer embed (admin)",
            description = "{\"title\", \"accent\": \"#rrggbb\", \"logo\": \"data:image/png;base64,...\"}, each optional; "
                    + "the logo a PNG, JPEG or WebP of at most 64 KiB (never SVG). Replaces any branding the tenant had.")
    Mono<TenantBrand.View> setBrand(@PathVariable String name, @RequestBody Map<String, Object> body,
                                    @AuthenticationPrincipal ApiPrincipal by) {
        return Mono.defer(() -> {
            TenantBrand brand = TenantBrand.of(body);
            return tenants.setBrand(name, brand, by.name()).map(found -> {
                if (!found) {
                    throw ApiException.notFound("no such tenant");
                }
                log.info("tenant {} branding set by {}", name, by.name());
                return brand.view();
            });
        });
    }

    @GetMapping("/{name}/brand")
    @Operation(summary = "A tenant's branding of the customer embed (admin); 404 when it has none")
    Mono<TenantBrand.View> brand(@PathVariable String name) {
        return tenants.brand(name).map(TenantBrand::view).switchIfEmpty(Mono.error(() -> ApiException.notFound("no branding")));
    }

    @DeleteMapping("/{name}/brand")
    @Operation(summary = "Remove a tenant's branding (admin)")
    Mono<ResponseEntity<Void>> deleteBrand(@PathVariable String name, @AuthenticationPrincipal ApiPrincipal by) {
        return tenants.deleteBrand(name).map(found -> {
            if (!found) {
                throw ApiException.notFound("no branding");
            }
            log.info("tenant {} branding removed by {}", name, by.name());
            return ResponseEntity.noContent().<Void>build();
        });
    }
}
