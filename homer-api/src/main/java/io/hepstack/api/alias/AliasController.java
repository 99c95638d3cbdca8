package io.hepstack.api.alias;

import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.search.Filter;
import io.hepstack.api.web.ApiException;
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
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.InetAddress;
import java.util.List;

/** Host aliases shown in call flows: listed by anyone, managed by admins. */
@RestController
@RequestMapping("/api/v1/aliases")
class AliasController {

    private final AliasStore aliases;

    AliasController(AliasStore aliases) {
        this.aliases = aliases;
    }

    record CreateAlias(@NotBlank @Size(max = 45) String ip, @Min(0) @Max(65535) Integer port,
                       @NotBlank @Size(max = 100) String alias) {
    }

    record AliasList(List<AliasStore.Alias> items) {
    }

    @GetMapping
    Mono<AliasList> list() {
        return aliases.list().collectList().map(AliasList::new);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<AliasStore.Alias> create(@Valid @RequestBody CreateAlias request, @AuthenticationPrincipal ApiPrincipal by) {
        InetAddress ip = Filter.literalAddress(request.ip().trim());
        if (ip == null) {
            return Mono.error(ApiException.badRequest("ip: not an IPv4 or IPv6 address"));
        }
        if (request.alias().chars().anyMatch(Character::isISOControl)) {
            return Mono.error(ApiException.badRequest("alias: no control characters"));
        }
        return aliases.create(ip.getHostAddress(), request.port(), request.alias().strip(), by.name())
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.CONFLICT, "this address and port already have an alias")));
    }

    @DeleteMapping("/{id}")
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
