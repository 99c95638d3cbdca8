package io.hepstack.api.web;

/**
 * The body of every error response.
 *
 * @param error   a stable code: {@code bad_request}, {@code unauthorized}, {@code forbidden},
 *                {@code not_found}, {@code conflict}, {@code internal}
 * @param message what was wrong, for a person
 */
public record ApiError(String error, String message) {
}
