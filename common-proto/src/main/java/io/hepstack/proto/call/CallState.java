package io.hepstack.proto.call;

import java.util.Locale;

/** Where a call is, or how it ended: the {@code state} of a {@link CallRecord}. */
public enum CallState {
    /** The INVITE is out, no final answer yet (provisional responses or none). */
    RINGING,
    /** Answered (2xx), not ended: in progress. */
    ANSWERED,
    /** Answered, then ended by a BYE. */
    COMPLETED,
    /** 486 Busy Here or 600 Busy Everywhere. */
    BUSY,
    /** 408 Request Timeout or 480 Temporarily Unavailable, or no final answer within the timeout. */
    NO_ANSWER,
    /** The caller cancelled it before an answer (CANCEL, 487). */
    CANCELLED,
    /** Any other 4xx or 6xx final answer. */
    REJECTED,
    /** A 5xx final answer. */
    FAILED,
    /** A 3xx final answer. */
    REDIRECTED,
    /** Its last INVITE was challenged (401, 407) and never sent again with credentials. */
    AUTH_CHALLENGED_ONLY;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The name stored and searched: {@code no_answer}... */
    public String code() {
        return code;
    }
}
