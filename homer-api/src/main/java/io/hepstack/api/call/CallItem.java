package io.hepstack.api.call;

import java.time.Instant;
import java.util.List;

/**
 * One INVITE dialog (one Call-ID) in the call list.
 *
 * @param startedAt    first INVITE
 * @param answeredAt   first 2xx to an INVITE, or {@code null}
 * @param endedAt      first BYE when answered, else the first final failure reply, or {@code null}
 * @param fromUser     From user of the first INVITE
 * @param toUser       To user of the first INVITE
 * @param finalStatus  first final (≥ 200) reply to an INVITE, or {@code null} while none was seen
 * @param durationMs   answer to BYE in milliseconds, {@code null} when not answered or not ended
 * @param messageCount SIP messages of the Call-ID stored in the search window
 * @param legs         other Call-IDs correlated to this one (X-CID, configured A-leg headers, HEP correlation id)
 */
public record CallItem(
        String callId,
        Instant startedAt,
        Instant answeredAt,
        Instant endedAt,
        String fromUser,
        String toUser,
        Integer finalStatus,
        Long durationMs,
        long messageCount,
        List<String> legs) {
}
