package io.hepstack.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import reactor.core.publisher.Mono;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns every failure of a handler into a JSON {@link ApiError}: client mistakes into 4xx with a
 * clear message, anything unexpected into a 500 that says nothing about internals (and is logged).
 *
 * <p>A database that cannot be reached is {@link DatabaseUnavailable}'s 503; a statement cancelled by
 * {@code statement_timeout} is a 503 that says to narrow the search.
 *
 * <p>The answer is {@code application/json} whatever the request accepts: a refused live stream (its request
 * accepts {@code text/event-stream} only) was otherwise written by Spring's SSE writer as one event, its JSON
 * encoded into a pooled buffer that a client leaving at that moment leaked (spring-framework#36438;
 * docs/architecture.md, "The live stream and Netty buffers"), and the UI could not read its message.
 */
@RestControllerAdvice
public class ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    private final DatabaseUnavailable databaseUnavailable;

    ErrorHandler(DatabaseUnavailable databaseUnavailable) {
        this.databaseUnavailable = databaseUnavailable;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return response(e);
    }

    /** The answer to a refusal: its status, {@code Retry-After} when it has one, its message as an {@link ApiError}. */
    static ResponseEntity<ApiError> response(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.retryAfter() != null) { // whole seconds, at least one
            response.header(org.springframework.http.HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        return response.body(new ApiError(code(e.status()), e.getMessage()));
    }

    @ExceptionHandler(WebExchangeBindException.class)
    ResponseEntity<ApiError> invalidBody(WebExchangeBindException e) {
        String message = e.getFieldErrors().stream()
                .map(f -> f.getField() + ": " + f.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return error(HttpStatus.BAD_REQUEST, message.isEmpty() ? "invalid request body" : message);
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ApiError> badInput(ServerWebInputException e) {
        String reason = e.getReason() == null ? "invalid request" : e.getReason();
        return error(HttpStatus.BAD_REQUEST, reason);
    }

    /**
     * The body's media type is not one the handler reads: named with what it accepts (Spring's own reason
     * names the handler's internal body class).
     */
    @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
    ResponseEntity<ApiError> unsupportedMediaType(UnsupportedMediaTypeStatusException e) {
        String accepted = e.getSupportedMediaTypes().stream()
                .filter(t -> !t.isWildcardType() && !t.isWildcardSubtype())
                .map(t -> t.getType() + "/" + t.getSubtype()).distinct()
                .filter(t -> t.equals("application/json") || t.startsWith("multipart/"))
                .collect(Collectors.joining(" or "));
        String sent = e.getContentType() == null ? "none" : e.getContentType().getType() + "/" + e.getContentType().getSubtype();
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + sent + " is not accepted here"
                + (accepted.isEmpty() ? "" : ": send " + accepted));
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ApiError> status(ResponseStatusException e) {
        return error(e.getStatusCode(), e.getReason() == null ? "request refused" : e.getReason());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        if (isQueryCanceled(e)) {
            log.warn("query canceled by statement_timeout: {}", e.getMessage());
            return error(HttpStatus.SERVICE_UNAVAILABLE,
                    "the search took too long: narrow the time range or add a Call-ID, user or address");
        }
        if (DatabaseUnavailable.isUnreachable(e)) {
            return databaseUnavailable.answer(e);
        }
        log.error("request failed", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    /** Whether PostgreSQL canceled the statement (SQLSTATE 57014, statement_timeout). */
    static boolean isQueryCanceled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.r2dbc.spi.R2dbcException r && "57014".equals(r.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes {@code answer} on an exchange no handler answers: a web filter's failure, a refusal of the security chain.
     */
    public static Mono<Void> write(ServerWebExchange exchange, ResponseEntity<ApiError> answer, ObjectMapper json) {
        var response = exchange.getResponse();
        response.setStatusCode(answer.getStatusCode());
        response.getHeaders().putAll(answer.getHeaders());
        byte[] body;
        try {
            body = json.writeValueAsBytes(answer.getBody());
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    static ResponseEntity<ApiError> error(HttpStatusCode status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ApiError(code(status), message));
    }

    /** The {@link ApiError#error()} code of a status. */
    public static String code(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http_" + status.value() : known.name().toLowerCase(Locale.ROOT);
    }
}
