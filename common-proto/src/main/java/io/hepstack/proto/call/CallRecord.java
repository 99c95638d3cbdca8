package io.hepstack.proto.call;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What happened to one call (one INVITE dialog, by Call-ID), read from its SIP messages by
 * {@link DialogRecorder}: who called whom from where, when it rang, was answered and ended, how it ended
 * and who ended it, what it negotiated. Times are capture times in microseconds since the epoch.
 *
 * @param callId   the Call-ID
 * @param caller   the calling party: From of the first INVITE, the caller's User-Agent
 * @param callee   the called party: To of the first INVITE, the User-Agent (or Server) of its answers
 * @param ruriUser the Request-URI user of the first INVITE
 * @param source   where the first INVITE came from (the caller's address, its first capture)
 * @param target   where the INVITE went last (past every proxy in the capture: the callee's address)
 * @param nodes    the capture nodes (or capture ids) that saw the call, in order of first sight
 * @param times    the call's moments
 * @param outcome  its state and how it ended
 * @param codecs   the codecs of the answer's SDP (the negotiated ones, in its order), empty without one
 * @param counts   its messages, retransmissions, re-INVITEs and the capture hops of its INVITE
 * @param dialogs  the early dialogs of its INVITE: one per device that answered it (several when a proxy forked it)
 */
public record CallRecord(String callId, Party caller, Party callee, String ruriUser, InetSocketAddress source,
                         InetSocketAddress target, List<String> nodes, Times times, Outcome outcome,
                         List<String> codecs, Counts counts, Dialogs dialogs) {

    public CallRecord {
        nodes = List.copyOf(nodes);
        codecs = List.copyOf(codecs);
    }

    /** A party of the call: its user, display name and user agent, each {@code null} when not seen. */
    public record Party(String user, String displayName, String userAgent) {
    }

    /**
     * The moments of a call, µs since the epoch, {@code null} for what did not happen.
     *
     * @param startedAt          the first INVITE
     * @param firstProvisionalAt the first provisional response to it (100 included)
     * @param ringingAt          the first 180 or 183
     * @param answeredAt         the first 2xx
     * @param endedAt            the BYE, the CANCEL, the final error, or the timeout
     */
    public record Times(long startedAt, Long firstProvisionalAt, Long ringingAt, Long answeredAt, Long endedAt) {

        /** Post-dial delay: the first INVITE to the first 180/183, in ms; {@code null} without one. */
        public Long pddMs() {
            return ms(startedAt, ringingAt);
        }

        /** The first INVITE to the answer, in ms; {@code null} when not answered. */
        public Long setupMs() {
            return ms(startedAt, answeredAt);
        }

        /** Ringing (first 180/183) to the answer or the end, in ms; {@code null} when it did not ring. */
        public Long ringMs() {
            if (ringingAt == null) {
                return null;
            }
            return ms(ringingAt, answeredAt != null ? answeredAt : endedAt);
        }

        /** The answer to the end, in ms; {@code null} when not answered or not ended. */
        public Long durationMs() {
            return answeredAt == null ? null : ms(answeredAt, endedAt);
        }

        private static Long ms(Long from, Long to) {
            return from == null || to == null ? null : Math.max(0, to - from) / 1000;
        }
    }

    /**
     * How the call ended, or that it did not yet.
     *
     * @param state       where it is
     * @param finalStatus the final response to its last INVITE, {@code null} without one
     * @param finalPhrase that response's reason phrase
     * @param hangupBy    who ended it
     * @param reason      the {@code Reason} header of its ending message (BYE, CANCEL or the final error), or {@code null}
     */
    public record Outcome(CallState state, Integer finalStatus, String finalPhrase, HangupBy hangupBy, Reason reason) {
    }

    /**
     * @param messages        distinct SIP messages of the call (a message captured at several hops counts once)
     * @param retransmissions copies of a message sent again between the same two addresses
     * @param reInvites       INVITEs within the dialog (with a To tag)
     * @param inviteHops      the capture points that saw the first initial INVITE: its copies told apart by capture
     *                        agent (node or capture id) and pair of addresses, a retransmission seen again at one of
     *                        them counting once (a proxy mirroring what it receives and sends: 2)
     */
    public record Counts(int messages, int retransmissions, int reInvites, int inviteHops) {
    }

    /**
     * The early dialogs of a call's INVITE (RFC 3261 §12.1, §16.7): one per To tag of the replies to its last initial
     * INVITE (the CSeq of the INVITE that was not challenged), a proxy that forked it to three devices gives three.
     * At most {@link #MAX} are kept, the first to reply and always the answered one; the others are only counted.
     *
     * @param kept    the dialogs kept, in order of their first reply (then of their tag)
     * @param dropped the dialogs beyond {@link #MAX}, counted
     */
    public record Dialogs(List<Dialog> kept, int dropped) {

        /** The most dialogs a record keeps. */
        public static final int MAX = 32;

        /** No reply with a To tag: a call not answered by any device (yet). */
        public static final Dialogs NONE = new Dialogs(List.of(), 0);

        public Dialogs {
            kept = List.copyOf(kept);
        }

        /** How many early dialogs the INVITE had, kept or not. */
        public int count() {
            return kept.size() + dropped;
        }
    }

    /**
     * One early dialog: the replies of one device (one To tag) to the call's INVITE.
     *
     * @param toTag        the To tag of its replies
     * @param source       where its first reply came from (the earliest copy's source: the device, or the proxy that
     *                     made the reply itself)
     * @param firstReplyAt its first reply, µs since the epoch
     * @param ringingAt    its first 180 or 183, {@code null} without one
     * @param lastStatus   its status as the record's outcome ranks them: a 2xx over a 6xx over another final
     *                     (the earliest), over a provisional (the latest)
     * @param answered     whether its 2xx is the one that answered the call
     */
    public record Dialog(String toTag, InetSocketAddress source, long firstReplyAt, Long ringingAt, int lastStatus,
                         boolean answered) {

        /** Whether it ended cancelled: a 487 (its INVITE was cancelled, by the caller or by the proxy once another answered). */
        public boolean cancelled() {
            return lastStatus == 487;
        }
    }
}
