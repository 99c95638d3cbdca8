package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;

import java.util.Objects;

/**
 * A message the database refused, with the refusal.
 *
 * @param message  the message as it was given to the writer
 * @param sqlState the SQLSTATE of the refusal (e.g. {@code 23514} for a CHECK constraint)
 * @param error    the server's error message
 */
public record RejectedMessage(CapturedMessage message, String sqlState, String error) {

    public RejectedMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(error, "error");
    }
}
