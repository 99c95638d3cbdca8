package io.hepstack.proto.store;

import java.util.List;

/**
 * What became of one batch given to {@link MessageWriter#write}.
 *
 * @param stored   how many messages were stored
 * @param rejected the messages the database refused, each with its error; every other message was stored
 */
public record WriteResult(long stored, List<RejectedMessage> rejected) {

    public WriteResult {
        if (stored < 0) {
            throw new IllegalArgumentException("stored " + stored + " (expected: >= 0)");
        }
        rejected = List.copyOf(rejected);
    }

    static final WriteResult EMPTY = new WriteResult(0, List.of());

    WriteResult plus(WriteResult other) {
        if (other.rejected.isEmpty()) {
            return new WriteResult(stored + other.stored, rejected);
        }
        if (rejected.isEmpty()) {
            return new WriteResult(stored + other.stored, other.rejected);
        }
        var all = new java.util.ArrayList<RejectedMessage>(rejected.size() + other.rejected.size());
        all.addAll(rejected);
        all.addAll(other.rejected);
        return new WriteResult(stored + other.stored, all);
    }
}
