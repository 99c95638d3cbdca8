package io.hepstack.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * The answer when the database cannot be reached (no node accepts the connection, the primary died mid-statement, a
 * standby not yet promoted took a write: a failover, a restart): {@code 503} with {@code Retry-After}, counted in
 * {@code homer.api.database.unavailable}. The request was fine, and the same request answers once a node is primary
 * again (docs/api.md, "Read replicas"; docs/operations.md, "Failover").
 *
 * <p>Handlers' failures reach it through {@link ErrorHandler}; the failures of the web filters before them (the
 * authentication reads the database for an API token or a revoked session) reach it as a {@link WebExceptionHandler}
 * ahead of Spring Boot's, which would answer 500.
 */
@Component
@Order(-2) // before Spring Boot's error handler (-1)
public class DatabaseUnavailable implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailable.class);

    /** When a client may retry: a failover takes a few seconds. */
    static final Duration RETRY = Duration.ofSeconds(2);
    static final String MESSAGE = "the database cannot be reached (a failover or restart in progress?): retry in a few seconds";

    private final Counter answered;
    private final ObjectMapper json;

    public DatabaseUnavailable(MeterRegistry meters, ObjectMapper json) {
        this.answered = Counter.builder("homer.api.database.unavailable")
                .description("requests answered 503 because no database node could be reached (failover, restart)")
                .register(meters);
        this.json = json;
    }

    /**
     * Whether the failure is the database's connection, not the statement. PostgreSQL's answer decides when there is
     * one (the first SQLSTATE in the causes): class 08 (connection exception), 53300 (too many connections),
     * 57P01-57P03 (shutting down, crashed, not accepting connections yet), 25006 (a write reached a node that is
     * read only: a standby, or a primary being demoted). Without one, a failure to connect or a lost connection:
     * the driver's resource exceptions (no node reached, none primary, connection closed), a refused connect, a
     * closed channel, the pool's own failure.
     */
    public static boolean isUnreachable(Throwable e) {
        boolean connection = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.r2dbc.spi.R2dbcException r && r.getSqlState() != null && !r.getSqlState().isEmpty()) {
                String state = r.getSqlState();
                return state.startsWith("08") || state.equals("53300") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03") || state.equals("25006");
            }
            connection |= t instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
                    || t instanceof io.r2dbc.spi.R2dbcTransientResourceException
                    || t instanceof io.r2dbc.pool.ConnectionPoolException
                    || t instanceof java.net.ConnectException
                    || t instanceof java.nio.channels.ClosedChannelException;
        }
        return connection;
    }

    /** The 503 of a handler's failure {@link #isUnreachable}, counted. */
    ResponseEntity<ApiError> answer(Throwable e) {
        answered.increment();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        log.warn("database unreachable: {}{}", e, root == e ? "" : " (cause: " + root + ")");
        return ErrorHandler.response(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, MESSAGE, RETRY));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable e) {
        if (exchange.getResponse().isCommitted() || !isUnreachable(e)) {
            return Mono.error(e);
        }
        return ErrorHandler.write(exchange, answer(e), json);
    }
}
