package io.hepstack.api.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One log line per request: method, path (never the query string, which holds searched numbers and
 * names, nor any header), status and duration. Health probes are not logged.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessLog implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger("io.hepstack.api.access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (path.startsWith("/actuator/health") || !log.isInfoEnabled()) {
            return chain.filter(exchange);
        }
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            log.info("{} {} {} {}ms", exchange.getRequest().getMethod(), shorten(path),
                    status == null ? 200 : status.value(), (System.nanoTime() - start) / 1_000_000);
        });
    }

    /** Share tokens in paths are secrets: only their first characters are logged. */
    static String shorten(String path) {
        String p = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        return p.replaceAll("(/api/v1/shared/[A-Za-z0-9_-]{4})[^/]*", "$1...");
    }
}
