package io.hepstack.ui.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One log line per request that was proxied or failed: method, path, status and time taken. Static files
 * and pages that were served fine log at debug. The query string is not logged (it may hold user names), and
 * share tokens in paths are cut to their first characters ({@link #loggable}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class AccessLog implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger("io.hepstack.ui.access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            var request = exchange.getRequest();
            var status = exchange.getResponse().getStatusCode();
            int code = status == null ? 200 : status.value();
            String path = loggable(request.getPath().value());
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (code >= 400 || path.startsWith("/api/")) {
                log.info("{} {} {} {}ms {}", request.getMethod(), path, code, ms, signal);
            } else if (log.isDebugEnabled()) {
                log.debug("{} {} {} {}ms", request.getMethod(), path, code, ms);
            }
        });
    }

    /**
     * {@code path} as it may be logged: a share token (the secret of a customer's link, in
     * {@code /embed/<token>} and {@code /api/v1/shared/<token>/...}) keeps its first 4 characters only, and
     * a path longer than 200 characters is cut.
     */
    public static String loggable(String path) {
        String p = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        return p.replaceAll("^(/embed/|/api/v1/shared/)([^/]{0,4})[^/]*", "$1$2...");
    }
}
