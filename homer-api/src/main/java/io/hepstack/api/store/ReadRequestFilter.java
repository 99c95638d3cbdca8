package io.hepstack.api.store;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Marks a request that only reads captured traffic ({@link ReadRoutingFilter#isRead}) before Spring Security's
 * filter chain authenticates it, so that its authentication may be checked on the read configuration while the
 * primary cannot be reached ({@link ReadRouting#authentication}). Routes no statement itself: the request's
 * statements go to the reads after authentication ({@link ReadRoutingFilter}).
 */
final class ReadRequestFilter implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Mono<Void> rest = chain.filter(exchange);
        return ReadRoutingFilter.isRead(exchange.getRequest().getMethod(), exchange.getRequest().getPath().value())
                ? ReadRouting.readRequest(rest) : rest;
    }

    @Override
    public int getOrder() {
        return -101; // before Spring Security's WebFilterChainProxy (-100)
    }
}
