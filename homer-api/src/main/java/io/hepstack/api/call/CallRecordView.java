package io.hepstack.api.call;

import java.time.Instant;
import java.util.List;

/**
 * A call record as {@code GET /api/v1/calls/{callId}} answers it (docs/api.md): what happened to the call,
 * read by the collectors from its stored messages. Durations in milliseconds, times with microseconds.
 */
public record CallRecordView(String callId, String state, String hangupBy, Integer finalStatus, String finalPhrase,
                             Reason reason, Party caller, Party callee, String ruriUser, Endpoint source,
                             Endpoint target, List<String> nodes, Instant startedAt, Instant firstProvisionalAt,
                             Instant ringingAt, Instant answeredAt, Instant endedAt, Long pddMs, Long setupMs,
                             Long ringMs, Long durationMs, List<String> codecs, int messages, int retransmissions,
                             int reInvites, Instant updatedAt) {

    /** The {@code Reason} header of the message that ended the call: {@code Q.850}, cause 16, its text. */
    public record Reason(String protocol, Integer cause, String text) {
    }

    /** A party: user part, display name, user agent. */
    public record Party(String user, String name, String userAgent) {
    }

    /** An address and port. */
    public record Endpoint(String ip, Integer port) {
    }
}
