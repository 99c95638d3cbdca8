package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Guards the actuator on {@code server.port}: with {@code homer.ingest.metrics.bearer-token} or
 * {@code username}/{@code password} set, every {@code /actuator/**} path but {@code /actuator/health/**} needs
 * that bearer token or HTTP basic login ({@code 401} otherwise); unset, anyone who reaches the port reads the
 * metrics, node names included. Health stays open for the orchestrator's probes. Credentials are compared in
 * constant time and never logged.
 */
final class MetricsAccess implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(MetricsAccess.class);

    private final byte[] bearer;
    private final byte[] basic;

    MetricsAccess(IngestProperties.Metrics settings) {
        this.bearer = settings.bearerToken() == null ? null : settings.bearerToken().getBytes(StandardCharsets.UTF_8);
        this.basic = settings.username() == null ? null
                : Base64.getEncoder().encodeToString((settings.username() + ":" + settings.password())
                        .getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
    }

    /** Warns at start when the metrics are open to anyone on an address that is not the loopback's. */
    static void warnWhenOpen(IngestProperties.Metrics settings, String serverAddress, int port) {
        if (!settings.protectedAccess() && !loopback(serverAddress)) {
            log.warn("metrics on {}:{} are readable without credentials (node names included): set server.address "
                            + "to 127.0.0.1, homer.ingest.metrics.bearer-token or username/password, or firewall the port "
                            + "(docs/operations.md, \"Metrics access\")",
                    serverAddress == null ? "0.0.0.0" : serverAddress, port);
        }
    }

    static boolean loopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if ((bearer == null && basic == null) || !path.startsWith("/actuator")
                || path.equals("/actuator/health") || path.startsWith("/actuator/health/")) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header != null && (matches(header, "Bearer ", bearer) || matches(header, "Basic ", basic))) {
            return chain.filter(exchange);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, bearer != null ? "Bearer" : "Basic realm=\"hep-ingest metrics\"");
        return response.setComplete();
    }

    private static boolean matches(String header, String scheme, byte[] expected) {
        if (expected == null || header.length() <= scheme.length() || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return false;
        }
        byte[] given = header.substring(scheme.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }
}
