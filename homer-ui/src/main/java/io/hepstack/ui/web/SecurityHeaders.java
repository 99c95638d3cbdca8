package io.hepstack.ui.web;

import io.hepstack.ui.UiProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Sets the security headers on every response. Pages refuse to be framed ({@code frame-ancestors 'none'}
 * and {@code X-Frame-Options: DENY}), except the embeddable call view under {@code /embed/}, which lists
 * the configured customer origins in {@code frame-ancestors} and sends no {@code X-Frame-Options}; the page
 * that tells a frame of another origin that the link may not be shown there ({@link EmbedFraming}) may be
 * framed by any page ({@code frame-ancestors *}), being the one answer such a frame can show.
 * The policy allows no inline script, no eval and no third-party origin.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeaders implements WebFilter {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors ";

    private final String pagePolicy;
    private final String embedPolicy;

    SecurityHeaders(UiProperties properties) {
        this.pagePolicy = POLICY + "'none'";
        var origins = properties.embed().allowedOrigins();
        this.embedPolicy = POLICY + (origins.isEmpty() ? "'none'" : String.join(" ", origins));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        boolean embed = exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/embed/");
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            boolean refused = exchange.getAttribute(EmbedFraming.REFUSED) != null;
            headers.set("Content-Security-Policy", refused ? POLICY + "*" : embed ? embedPolicy : pagePolicy);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            if (embed) {
                headers.remove("X-Frame-Options");
            } else {
                headers.set("X-Frame-Options", "DENY");
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }
}
