package io.hepstack.proto.store;

import java.util.ArrayList;
import java.util.List;

/**
 * What became of one batch given to {@link MessageWriter#write}.
 *
 * @param stored        how many messages of the batch are stored
 * @param rejected      the messages the database refused, each with its error; every other message is stored
 * @param alreadyStored {@code true} when this call found the batch id already committed (an earlier
 *                      attempt whose acknowledgement was lost, or a second write of the same id) and
 *                      stored nothing: {@code stored} and {@code rejected} then describe that
 *                      earlier commit
 */
public record WriteResult(long stored, List<RejectedMessage> rejected, boolean alreadyStored) {

    public WriteResult {
        if (stored < 0) {
            throw new IllegalArgumentException("stored " + stored + " (expected: >= 0)");
        }
        rejected = List.copyOf(rejected);
    }

    /** The result of a batch stored by this call. */
    public WriteResult(long stored, List<RejectedMessage> rejected) {
        this(stored, rejected, false);
    }

    static final WriteResult EMPTY = new WriteResult(0, List.of());

    WriteResult plus(WriteResult other) {
        if (other.rejected.isEmpty()) {
            return new WriteResult(stored + other.stored, rejected, alreadyStored);
        }
        if (rejected.isEmpty()) {
            return new WriteResult(stored + other.stored, other.rejected, alreadyStored);
        }
        var all = new ArrayList<RejectedMessage>(rejected.size() + other.rejected.size());
        all.addAll(rejected);
        all.addAll(other.rejected);
        return new WriteResult(stored + other.stored, all, alreadyStored);
    }

    WriteResult asAlreadyStored() {
        return new WriteResult(stored, rejected, true);
    }
}
