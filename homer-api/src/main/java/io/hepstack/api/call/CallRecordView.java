package io.hepstack.api.call;

import java.time.Instant;
import java.util.List;

/**
 * A call record as {@code GET /api/v1/calls/{callId}} answers it (docs/api.md): what happened to the call,
 * read by the collectors from its stored messages. Durations in milliseconds, times with microseconds.
 * {@code inviteHops}: the capture points that saw its first INVITE, {@code null} for a record written before they
 * were counted (a rebuild counts them).
 */
public record CallRecordView(String callId, String state, String hangupBy, Integer finalStatus, String finalPhrase,
                             Reason reason, Party caller, Party callee, String ruriUser, Endpoint source,
                             Endpoint target, List<String> nodes, Instant startedAt, Instant firstProvisionalAt,
                             Instant ringingAt, Instant answeredAt, Instant endedAt, Long pddMs, Long setupMs,
                             Long ringMs, Long durationMs, List<String> codecs, int messages, int retransmissions,
                             int reInvites, Integer inviteHops, Media media, Instant updatedAt, List<Dialog> dialogs,
                             int dialogsDropped) {

    /**
     * An early dialog of the call's INVITE: the replies of one device (one To tag); several when a proxy forked the
     * INVITE (docs/api.md, "Early dialogs"). {@code dialogs} keeps at most 32, first to reply first, the answered one
     * always; {@code dialogsDropped} counts the others.
     *
     * @param toTag        the To tag of its replies
     * @param source       where its first reply came from (the device, or the proxy that made the reply itself)
     * @param firstReplyAt its first reply
     * @param ringingAt    its first 180 or 183, or {@code null}
     * @param lastStatus   its status: a 2xx over a 6xx over another final (the first), over a provisional (the last)
     * @param answered     whether its 2xx answered the call
     * @param cancelled    whether it ended with a 487 (cancelled by the caller, or by the proxy once another answered)
     */
    public record Dialog(String toTag, Endpoint source, Instant firstReplyAt, Instant ringingAt, int lastStatus,
                         boolean answered, boolean cancelled) {
    }

    /**
     * The call's media quality from its RTCP and voice-quality reports (docs/media.md, "In the call record"): the
     * worst stream's figures, {@code null} without a report; {@code GET /api/v1/calls/{callId}/qos} has every stream.
     *
     * @param reports     media reports read
     * @param mos         the lowest of the streams' mean MOS (E-model, 1 to 4.5)
     * @param minMos      the lowest MOS of one report
     * @param lossPercent the highest of the streams' mean loss, percent
     * @param jitterMs    the highest jitter of one report, ms
     * @param rttMs       the highest of the streams' mean round trip, ms
     * @param verdicts    {@code one_way_audio}, {@code high_loss}, {@code high_jitter}, {@code high_rtt}, {@code no_media_reports}
     */
    public record Media(int reports, Double mos, Double minMos, Double lossPercent, Double jitterMs, Double rttMs,
                        List<String> verdicts) {
    }

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
