package io.hepstack.proto.call;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.SipFields;
import io.hepstack.proto.sip.NameAddress;
import io.hepstack.proto.sip.Sdp;
import io.hepstack.proto.sip.SdpMedia;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a {@link CallRecord} from the stored SIP messages of one Call-ID, whatever order they come in,
 * however many hops captured them and whichever collector stored them: the record depends only on the
 * set of messages, so building it again from the same messages gives the same record.
 *
 * <p>A message captured at several hops (a proxy mirrors what it receives and what it sends) is one
 * message, timed by its earliest copy; its copies between the same two addresses seen again by the same
 * capture agent are retransmissions. The addresses that both received and sent the call's INVITE are the proxies in the
 * path: a final error or a BYE that starts at one of them was the network's doing. Otherwise a BYE is the
 * caller's when it carries the caller's From tag, else the callee's; a final error is the callee's.
 *
 * <p>The capture points of the first initial INVITE, each capture agent (node or capture id) on each pair of addresses
 * it saw a copy on, are its hops ({@link CallRecord.Counts#inviteHops()}: the AHR of the call statistics).
 *
 * <p>One record per Call-ID: the early dialogs of a forked INVITE are one call here, answered by its first
 * 2xx, and each is a {@link CallRecord.Dialog} of the record (one per To tag of the replies to the last initial
 * INVITE, read from the replies' columns alone). Stateless; never throws for any input (payloads that do not
 * parse only leave fields empty).
 */
public final class DialogRecorder {

    /**
     * The stored call rows whose payload {@link #record} parses, as a condition on {@code messages}' unaliased
     * columns: the INVITEs (display names), BYEs and CANCELs (their {@code Reason}) and the final answers to
     * an INVITE (phrase, {@code Reason}, the answer's SDP). Every other row is read by its columns alone, so
     * a reader may leave out their payloads, most of a row's bytes.
     */
    public static final String PARSED_ROWS_SQL =
            "(method IN ('INVITE', 'BYE', 'CANCEL') OR (cseq_method = 'INVITE' AND status >= 200))";

    private DialogRecorder() {
    }

    /**
     * The record of a call's messages, or {@code null} when they hold no initial INVITE (not a call).
     *
     * @param messages    the stored messages of one Call-ID (other payloads and unparsed SIP are ignored)
     * @param nowMicros   the time the record is made at: a call not answered within {@code ringTimeout}
     *                    of its start by then has timed out
     * @param ringTimeout how long a call may ring unanswered before it counts as not answered
     */
    public static CallRecord record(List<CapturedMessage> messages, long nowMicros, Duration ringTimeout) {
        Reading reading = read(messages, nowMicros, ringTimeout);
        return reading == null ? null : reading.record();
    }

    /**
     * What the messages of a call say: its record, and where its media flows (every SDP offer and answer of every
     * copy: hops that rewrite SDP, a relay, name both sides). Each payload is parsed once for both.
     *
     * @param record the call's record
     * @param media  the media ends of its SDP, to tie the media reports that name no call ({@link MediaEndpoints})
     */
    public record Reading(CallRecord record, MediaEndpoints media) {
    }

    /**
     * The {@link Reading} of a call's messages, or {@code null} when they hold no initial INVITE (not a call);
     * parameters as {@link #record}.
     */
    public static Reading read(List<CapturedMessage> messages, long nowMicros, Duration ringTimeout) {
        Map<CapturedMessage, SipMessage> parsed = new IdentityHashMap<>();
        List<CapturedMessage> sip = new ArrayList<>();
        for (CapturedMessage m : messages) {
            if (m.sip() != null && m.sip().callId() != null) {
                sip.add(m);
            }
        }
        sip.sort(Comparator.comparingLong((CapturedMessage m) -> m.envelope().timestampMicros()));
        Map<String, Copies> byKey = new LinkedHashMap<>();
        for (CapturedMessage m : sip) {
            byKey.computeIfAbsent(key(m.sip()), k -> new Copies(m)).add(m);
        }
        Copies invite = null;
        long lastInitialCseq = Long.MIN_VALUE;
        int reInvites = 0;
        for (Copies c : byKey.values()) {
            SipFields f = c.first.sip();
            if ("INVITE".equals(f.method())) {
                if (f.toTag() == null) {
                    if (invite == null) {
                        invite = c;
                    }
                    lastInitialCseq = Math.max(lastInitialCseq, cseq(f));
                } else {
                    reInvites++;
                }
            }
        }
        if (invite == null) {
            return null;
        }
        SipFields first = invite.first.sip();
        Set<InetSocketAddress> proxies = proxies(byKey.values());
        Copies lastInvite = null;
        Copies provisional = null;
        Copies ringing = null;
        Copies answer = null;
        Copies finalAnswer = null;
        Copies bye = null;
        Copies cancel = null;
        for (Copies c : byKey.values()) {
            SipFields f = c.first.sip();
            if (f.isRequest()) {
                switch (f.method()) {
                    case "INVITE" -> {
                        if (f.toTag() == null && cseq(f) == lastInitialCseq && lastInvite == null) {
                            lastInvite = c;
                        }
                    }
                    case "BYE" -> bye = earliest(bye, c);
                    case "CANCEL" -> cancel = earliest(cancel, c);
                    default -> {
                    }
                }
                continue;
            }
            if (!"INVITE".equals(f.cseqMethod()) || f.status() == null) {
                continue;
            }
            int status = f.status();
            if (status < 200) {
                provisional = earliest(provisional, c);
                if (status == 180 || status == 183) {
                    ringing = earliest(ringing, c);
                }
            } else if (status < 300) {
                answer = earliest(answer, c);
            } else if (cseq(f) == lastInitialCseq) {
                finalAnswer = earliest(finalAnswer, c);
            }
        }
        if (answer != null) {
            finalAnswer = answer;
        }
        InetSocketAddress source = invite.source();
        InetSocketAddress target = target(lastInvite != null ? lastInvite : invite, proxies);

        long startedAt = invite.time();
        Long endedAt = null;
        CallState state;
        HangupBy hangupBy;
        Copies ending = null;
        if (answer != null) {
            state = bye == null ? CallState.ANSWERED : CallState.COMPLETED;
            if (bye != null) {
                ending = bye;
                endedAt = bye.time();
                hangupBy = proxies.contains(bye.source()) ? HangupBy.NETWORK
                        : Objects.equals(bye.first.sip().fromTag(), first.fromTag()) ? HangupBy.CALLER : HangupBy.CALLEE;
            } else {
                hangupBy = HangupBy.UNKNOWN;
            }
        } else if (finalAnswer != null) {
            int status = finalAnswer.first.sip().status();
            state = failure(status);
            ending = finalAnswer;
            endedAt = finalAnswer.time();
            if (state == CallState.CANCELLED && cancel != null) {
                ending = cancel;
                endedAt = cancel.time();
                hangupBy = proxies.contains(cancel.source()) ? HangupBy.NETWORK : HangupBy.CALLER;
            } else if (state == CallState.AUTH_CHALLENGED_ONLY) {
                hangupBy = HangupBy.CALLER; // it did not answer the challenge
            } else {
                hangupBy = proxies.contains(finalAnswer.source()) ? HangupBy.NETWORK : HangupBy.CALLEE;
            }
        } else if (cancel != null) {
            state = CallState.CANCELLED;
            ending = cancel;
            endedAt = cancel.time();
            hangupBy = proxies.contains(cancel.source()) ? HangupBy.NETWORK : HangupBy.CALLER;
        } else if (nowMicros - startedAt >= ringTimeout.toNanos() / 1000) {
            state = CallState.NO_ANSWER;
            endedAt = startedAt + ringTimeout.toNanos() / 1000;
            hangupBy = HangupBy.TIMEOUT;
        } else {
            state = CallState.RINGING;
            hangupBy = HangupBy.UNKNOWN;
        }

        SipMessage firstInvite = parse(invite.first, parsed);
        SipMessage endingMessage = ending == null ? null : parse(ending.first, parsed);
        SipMessage finalMessage = finalAnswer == null ? null : parse(finalAnswer.first, parsed);
        CallRecord.Party caller = new CallRecord.Party(first.fromUser(),
                firstInvite == null ? null : display(firstInvite.from()), first.userAgent());
        CallRecord.Party callee = new CallRecord.Party(first.toUser(),
                firstInvite == null ? null : display(firstInvite.to()), calleeAgent(byKey.values(), target));
        CallRecord.Outcome outcome = new CallRecord.Outcome(state,
                finalAnswer == null ? null : finalAnswer.first.sip().status(),
                finalMessage == null ? null : finalMessage.reasonPhrase(), hangupBy,
                endingMessage == null ? null : Reason.parse(endingMessage.reason()));
        int retransmissions = 0;
        for (Copies c : byKey.values()) {
            retransmissions += c.retransmissions();
        }
        CallRecord record = new CallRecord(first.callId(), caller, callee, first.ruriUser(), source, target, nodes(sip),
                new CallRecord.Times(startedAt, provisional == null ? null : provisional.time(),
                        ringing == null ? null : ringing.time(), answer == null ? null : answer.time(), endedAt),
                outcome, codecs(answer, parsed), new CallRecord.Counts(byKey.size(), retransmissions, reInvites,
                invite.capturePoints()),
                dialogs(byKey.values(), lastInitialCseq, first.fromTag(), answer));
        MediaEndpoints media = new MediaEndpoints();
        for (CapturedMessage m : sip) {
            SipMessage p = m.payload().length == 0 ? null : parse(m, parsed);
            if (p != null && p.sdp() != null) {
                media.add(p.sdp());
            }
        }
        return new Reading(record, media);
    }

    /**
     * The early dialogs of the replies to the initial INVITE of CSeq {@code cseq} from the caller's tag {@code fromTag}
     * (a callee's re-INVITE may reuse the number; its replies carry the callee's From tag), one per To tag; the
     * dialog of {@code answer}'s tag is the answered one. Each reply is one message, however many hops captured it.
     */
    private static CallRecord.Dialogs dialogs(Iterable<Copies> all, long cseq, String fromTag, Copies answer) {
        Map<String, Replies> byTag = new HashMap<>();
        for (Copies c : all) {
            SipFields f = c.first.sip();
            if (f.isRequest() || f.status() == null || f.toTag() == null || !"INVITE".equals(f.cseqMethod())
                    || cseq(f) != cseq || !Objects.equals(f.fromTag(), fromTag)) {
                continue;
            }
            Replies d = byTag.computeIfAbsent(f.toTag(), k -> new Replies());
            d.first = earliest(d.first, c);
            if (f.status() == 180 || f.status() == 183) {
                d.ringing = earliest(d.ringing, c);
            }
            d.ranked = d.ranked == null || outranks(c, d.ranked) ? c : d.ranked;
        }
        if (byTag.isEmpty()) {
            return CallRecord.Dialogs.NONE;
        }
        String answeredTag = answer == null ? null : answer.first.sip().toTag();
        List<CallRecord.Dialog> dialogs = new ArrayList<>(byTag.size());
        byTag.forEach((tag, d) -> dialogs.add(new CallRecord.Dialog(tag, d.first.source(), d.first.time(),
                d.ringing == null ? null : d.ringing.time(), d.ranked.first.sip().status(), tag.equals(answeredTag))));
        dialogs.sort(Comparator.comparingLong(CallRecord.Dialog::firstReplyAt).thenComparing(CallRecord.Dialog::toTag));
        if (dialogs.size() <= CallRecord.Dialogs.MAX) {
            return new CallRecord.Dialogs(dialogs, 0);
        }
        List<CallRecord.Dialog> kept = new ArrayList<>(dialogs.subList(0, CallRecord.Dialogs.MAX));
        for (CallRecord.Dialog d : dialogs.subList(CallRecord.Dialogs.MAX, dialogs.size())) {
            if (d.answered()) { // the answered one is always kept, in place of the last to reply of those kept
                kept.set(CallRecord.Dialogs.MAX - 1, d);
            }
        }
        return new CallRecord.Dialogs(kept, dialogs.size() - CallRecord.Dialogs.MAX);
    }

    /** The replies of one early dialog (one To tag): its first, its first 18x, the one whose status it ends with. */
    private static final class Replies {
        Copies first;
        Copies ringing;
        Copies ranked;
    }

    /**
     * Whether reply {@code c} says more of its dialog than {@code than}: a 2xx over a 6xx over another final (the
     * earlier of two), over a provisional (the later of two: how far it got), as the outcome ranks a call's answers.
     */
    private static boolean outranks(Copies c, Copies than) {
        int rank = rank(c.first.sip().status());
        int other = rank(than.first.sip().status());
        if (rank != other) {
            return rank > other;
        }
        if (c.time() != than.time()) {
            return rank == 0 ? c.time() > than.time() : c.time() < than.time();
        }
        return c.first.sip().status() < than.first.sip().status();
    }

    private static int rank(int status) {
        if (status < 200) {
            return 0;
        }
        return status < 300 ? 3 : status >= 600 ? 2 : 1;
    }

    /** The state of a call whose last INVITE got the final error {@code status}. */
    static CallState failure(int status) {
        if (status == 401 || status == 407) {
            return CallState.AUTH_CHALLENGED_ONLY;
        }
        if (status == 486 || status == 600) {
            return CallState.BUSY;
        }
        if (status == 408 || status == 480) {
            return CallState.NO_ANSWER;
        }
        if (status == 487) {
            return CallState.CANCELLED;
        }
        if (status < 400) {
            return CallState.REDIRECTED;
        }
        return status >= 500 && status < 600 ? CallState.FAILED : CallState.REJECTED;
    }

    /**
     * What makes two captured messages the same message: method or status, CSeq and both tags. A proxy that ends
     * a call itself (its INVITE timer: 408 to the caller, CANCEL and the callee's 487) acknowledges the callee's
     * 487 with an ACK of its own while the caller acknowledges the proxy's 408: two ACKs alike but for their To
     * tags (the callee's, the proxy's), two messages.
     */
    private static String key(SipFields f) {
        return f.isRequest()
                ? "Q " + f.method() + ' ' + f.cseq() + ' ' + f.fromTag() + ' ' + f.toTag()
                : "S " + f.status() + ' ' + f.cseq() + ' ' + f.cseqMethod() + ' ' + f.toTag();
    }

    private static long cseq(SipFields f) {
        return f.cseq() == null ? 0 : f.cseq();
    }

    /** The addresses that both received and sent an initial INVITE: the proxies and B2BUAs in the capture. */
    private static Set<InetSocketAddress> proxies(Iterable<Copies> all) {
        Set<InetSocketAddress> received = new HashSet<>();
        Set<InetSocketAddress> sent = new HashSet<>();
        for (Copies c : all) {
            SipFields f = c.first.sip();
            if ("INVITE".equals(f.method()) && f.toTag() == null) {
                for (CapturedMessage m : c.all) {
                    InetSocketAddress src = address(m.envelope(), true);
                    InetSocketAddress dst = address(m.envelope(), false);
                    if (src != null) {
                        sent.add(src);
                    }
                    if (dst != null) {
                        received.add(dst);
                    }
                }
            }
        }
        received.retainAll(sent);
        return received;
    }

    /** Where the INVITE went last: the destination of its latest copy that is not a proxy. */
    private static InetSocketAddress target(Copies invite, Set<InetSocketAddress> proxies) {
        InetSocketAddress target = null;
        for (CapturedMessage m : invite.all) {
            InetSocketAddress dst = address(m.envelope(), false);
            if (dst != null && !proxies.contains(dst)) {
                target = dst;
            }
        }
        return target;
    }

    /** The User-Agent (or Server) of the first response the callee's address sent. */
    private static String calleeAgent(Iterable<Copies> all, InetSocketAddress target) {
        for (Copies c : all) {
            SipFields f = c.first.sip();
            if (!f.isRequest() && f.userAgent() != null && (target == null || target.equals(c.source()))) {
                return f.userAgent();
            }
        }
        return null;
    }

    private static List<String> nodes(List<CapturedMessage> sip) {
        Set<String> nodes = new LinkedHashSet<>();
        for (CapturedMessage m : sip) {
            Envelope e = m.envelope();
            nodes.add(e.node() != null ? e.node() : Long.toString(e.captureId()));
        }
        return List.copyOf(nodes);
    }

    /** The codecs of the answer's first audio (else first) media line. */
    private static List<String> codecs(Copies answer, Map<CapturedMessage, SipMessage> parsed) {
        if (answer == null) {
            return List.of();
        }
        for (CapturedMessage m : answer.all) {
            SipMessage sip = parse(m, parsed);
            Sdp sdp = sip == null ? null : sip.sdp();
            if (sdp != null && !sdp.media().isEmpty()) {
                SdpMedia chosen = sdp.media().get(0);
                for (SdpMedia media : sdp.media()) {
                    if ("audio".equals(media.type())) {
                        chosen = media;
                        break;
                    }
                }
                return chosen.codecs();
            }
        }
        return List.of();
    }

    private static String display(NameAddress a) {
        return a == null ? null : a.displayName();
    }

    /** {@code m} parsed, once per reading ({@code parsed}); {@code null} when it does not parse. */
    private static SipMessage parse(CapturedMessage m, Map<CapturedMessage, SipMessage> parsed) {
        return parsed.computeIfAbsent(m, DialogRecorder::parse);
    }

    private static SipMessage parse(CapturedMessage m) {
        try {
            return SipParser.parse(m.payload());
        } catch (SipParseException | RuntimeException e) {
            return null;
        }
    }

    private static Copies earliest(Copies current, Copies c) {
        return current == null || c.time() < current.time() ? c : current;
    }

    private static InetSocketAddress address(Envelope e, boolean source) {
        if (source) {
            return e.srcIp() == null ? null : new InetSocketAddress(e.srcIp(), e.srcPort());
        }
        return e.dstIp() == null ? null : new InetSocketAddress(e.dstIp(), e.dstPort());
    }

    /** The captured copies of one message, earliest first. */
    private static final class Copies {
        final CapturedMessage first;
        final List<CapturedMessage> all = new ArrayList<>(2);
        /** Copies per pair of addresses, per capture agent. */
        final Map<String, Map<String, Integer>> perPair = new HashMap<>();

        Copies(CapturedMessage first) {
            this.first = first;
        }

        void add(CapturedMessage m) {
            all.add(m);
            Envelope e = m.envelope();
            perPair.computeIfAbsent(e.srcIp() + ":" + e.srcPort() + ">" + e.dstIp() + ":" + e.dstPort(), k -> new HashMap<>(2))
                    .merge(e.captureId() + "/" + e.node(), 1, Integer::sum);
        }

        long time() {
            return first.envelope().timestampMicros();
        }

        InetSocketAddress source() {
            return address(first.envelope(), true);
        }

        /** The capture points that saw it: each capture agent on each pair of addresses, once however often. */
        int capturePoints() {
            int n = 0;
            for (Map<String, Integer> agents : perPair.values()) {
                n += agents.size();
            }
            return n;
        }

        /** Sent again between the same two addresses, as the agent that saw it most often counts (two agents on one link saw it once each). */
        int retransmissions() {
            int n = 0;
            for (Map<String, Integer> agents : perPair.values()) {
                int most = 0;
                for (int count : agents.values()) {
                    most = Math.max(most, count);
                }
                n += most - 1;
            }
            return n;
        }
    }
}
