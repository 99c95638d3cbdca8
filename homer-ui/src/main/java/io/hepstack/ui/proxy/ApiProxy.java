package io.hepstack.ui.proxy;

import io.hepstack.ui.UiProperties;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reverse proxy of {@code /api/**} to homer-api ({@code homer.ui.api-url}), on when
 * {@code homer.ui.proxy-enabled} is true (the default). Request and response bodies stream through
 * without being buffered; server-sent events are flushed event by event; the status code and end-to-end
 * headers (including {@code Authorization}) pass unchanged, hop-by-hop headers (RFC 9110 §7.6.1) are
 * dropped. An unreachable homer-api answers 502.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
@ConditionalOnProperty(prefix = "homer.ui", name = "proxy-enabled", havingValue = "true", matchIfMissing = true)
class ApiProxy implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiProxy.class);

    /** RFC 9110 §7.6.1 connection-specific headers, plus Host (set for the upstream). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host");

    private final String apiBase;
    private final WebClient client;

    ApiProxy(UiProperties properties) {
        String base = properties.apiUrl().toString();
        this.apiBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        HttpClient http = HttpClient.create(ConnectionProvider.builder("homer-api").maxConnections(256).build())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
                .compress(false);
        this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
        log.info("proxying /api/** to {}", apiBase);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith("/api/")) {
            return chain.filter(exchange);
        }
        return forward(exchange.getRequest(), exchange.getResponse());
    }

    private Mono<Void> forward(ServerHttpRequest request, ServerHttpResponse response) {
        String rawQuery = request.getURI().getRawQuery();
        URI target = URI.create(apiBase + request.getURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery));
        var spec = client.method(request.getMethod())
                .uri(target)
                .headers(h -> copyEndToEnd(request.getHeaders(), h))
                .headers(h -> forwardedHeaders(request, h));
        boolean hasBody = request.getHeaders().getContentLength() > 0
                || request.getHeaders().containsKey(HttpHeaders.TRANSFER_ENCODING);
        var sending = hasBody ? spec.body(BodyInserters.fromDataBuffers(request.getBody())) : spec;
        return sending.exchangeToMono(upstream -> {
            response.setStatusCode(upstream.statusCode());
            copyEndToEnd(upstream.headers().asHttpHeaders(), response.getHeaders());
            Flux<DataBuffer> body = upstream.bodyToFlux(DataBuffer.class);
            MediaType type = upstream.headers().contentType().orElse(null);
            if (type != null && MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type)) {
                response.getHeaders().set("X-Accel-Buffering", "no");
                return response.writeAndFlushWith(body.map(Flux::just));
            }
            return response.writeWith(body);
        }).onErrorResume(e -> !response.isCommitted(), e -> badGateway(request, response, e));
    }

    private Mono<Void> badGateway(ServerHttpRequest request, ServerHttpResponse response, Throwable e) {
        log.warn("homer-api unreachable for {} {}: {}", request.getMethod(),
                io.hepstack.ui.web.AccessLog.loggable(request.getPath().value()), e.toString());
        response.setStatusCode(HttpStatus.BAD_GATEWAY);
        response.getHeaders().clear();
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] json = "{\"error\":\"homer-api unreachable\"}".getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json)));
    }

    /** Copies all but the hop-by-hop headers, including those the Connection header names (RFC 9110 §7.6.1). */
    private static void copyEndToEnd(HttpHeaders from, HttpHeaders to) {
        Set<String> named = new HashSet<>();
        for (String value : from.getOrEmpty(HttpHeaders.CONNECTION)) {
            for (String token : value.split(",")) {
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        from.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !named.contains(lower)) {
                to.put(name, values);
            }
        });
    }

    private static void forwardedHeaders(ServerHttpRequest request, HttpHeaders headers) {
        var remote = request.getRemoteAddress();
        if (remote != null && remote.getAddress() != null) {
            String prior = request.getHeaders().getFirst("X-Forwarded-For");
            String client = remote.getAddress().getHostAddress();
            headers.set("X-Forwarded-For", prior == null ? client : prior + ", " + client);
        }
        // the scheme the client used: a TLS proxy's in front of this one (homer-api makes its session cookies Secure
        // by it), else our own
        String prior = request.getHeaders().getFirst("X-Forwarded-Proto");
        String scheme = prior != null && !prior.isBlank() ? prior.split(",")[0].trim() : request.getURI().getScheme();
        if (scheme != null) {
            headers.set("X-Forwarded-Proto", scheme);
        }
        String host = request.getHeaders().getFirst(HttpHeaders.HOST);
        if (host != null) {
            headers.set("X-Forwarded-Host", host);
        }
    }
}
