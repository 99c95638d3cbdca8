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
 * @param state        the call record's state ({@code completed}, {@code busy}...: GET /api/v1/calls/{callId}),
 *                     {@code null} when the call has no record
 * @param hangupBy     the record's {@code caller}, {@code callee}, {@code network}, {@code timeout} or {@code unknown}
 * @param reasonCause  the cause of the ending message's Reason header (Q.850 number), or {@code null}
 * @param pddMs        the record's post-dial delay, or {@code null}
 * @param mos          the record's media quality: the worse direction's mean MOS, or {@code null} without a report
 * @param verdicts     the record's media verdicts ({@code one_way_audio}...), empty without any
 * @param forks        the record's early dialogs: 1 for an ordinary call, one per device for a forked INVITE, 0 when
 *                     no device replied with a tag; {@code null} for a call the collectors have not recorded
 * @param inviteHops   the record's capture points of the first INVITE, or {@code null} (no record, or one written before
 *                     they were counted)
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
        List<String> legs,
        String state,
        String hangupBy,
        Integer reasonCause,
        Long pddMs,
        Double mos,
        List<String> verdicts,
        Integer forks, Integer inviteHops) {
}
