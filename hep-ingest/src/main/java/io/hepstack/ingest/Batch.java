package io.hepstack.ingest;

import io.hepstack.proto.model.CapturedMessage;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Rows handed to storage together. The id is the batch's identity across retries: a sink that sees
 * the same id twice must store the rows at most once.
 */
public record Batch(UUID id, List<CapturedMessage> rows) {

    public Batch {
        Objects.requireNonNull(id, "id");
        rows = List.copyOf(rows);
    }

    /** A new batch with a fresh id. */
    public static Batch of(List<CapturedMessage> rows) {
        return new Batch(UUID.randomUUID(), rows);
    }
}
