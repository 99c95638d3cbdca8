package io.hepstack.api.web;

import org.springframework.http.HttpStatus;

/** A refusal with a status and a message meant for the client; becomes an {@link ApiError}. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final java.time.Duration retryAfter;

    public ApiException(HttpStatus status, String message) {
        this(status, message, null);
    }

    /** A refusal the client may retry after {@code retryAfter} (sent as {@code Retry-After}, whole seconds). */
    public ApiException(HttpStatus status, String message, java.time.Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** {@code 429 Too Many Requests}, to be retried after {@code retryAfter}. */
    public static ApiException tooManyRequests(String message, java.time.Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, message, retryAfter);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, message);
    }

    public HttpStatus status() {
        return status;
    }

    /** When the client may retry, or {@code null}. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }
}
