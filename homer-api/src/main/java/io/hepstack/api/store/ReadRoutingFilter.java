package io.hepstack.api.store;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Locale;

/**
 * Routes the reads of captured traffic to the read configuration: every GET of the message, call, flow, export,
 * statistics, live-stream and shared-view endpoints ({@link #READ_PATHS}). Runs after authentication (its order
 * is after Spring Security's filter chain), so that logins, tokens and sessions are checked on the primary (on the
 * read configuration only while the primary cannot be reached: {@link ReadRouting#authentication}); the
 * handlers' own writes never happen on these GETs. With a read configuration, such responses carry
 * {@code X-Hepstack-Replica-Lag}: the last measured replay lag in seconds ({@link ReplicaLag}), {@code unknown}
 * while none is.
 */
final class ReadRoutingFilter implements WebFilter, Ordered {

    /** The response header naming the reads' replay lag. */
    static final String LAG_HEADER = "X-Hepstack-Replica-Lag";

    /** Path prefixes whose GETs only read captured traffic. */
    static final List<String> READ_PATHS = List.of("/api/v1/messages", "/api/v1/calls", "/api/v1/stats/",
            "/api/v1/stream/", "/api/v1/shared/");

    private final ReadRouting routing;
    private final ReplicaLag lag;

    ReadRoutingFilter(ReadRouting routing, ReplicaLag lag) {
        this.routing = routing;
        this.lag = lag;
    }

    static boolean isRead(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) && READ_PATHS.stream().anyMatch(path::startsWith);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isRead(exchange.getRequest().getMethod(), exchange.getRequest().getPath().value())) {
            return chain.filter(exchange);
        }
        if (routing.separate()) {
            double seconds = lag.seconds();
            exchange.getResponse().getHeaders().set(LAG_HEADER,
                    Double.isNaN(seconds) ? "unknown" : String.format(Locale.ROOT, "%.3f", seconds));
        }
        return ReadRouting.reads(chain.filter(exchange));
    }

    @Override
    public int getOrder() {
        return 0; // after Spring Security's WebFilterChainProxy (-100)
    }
}
