package io.hepstack.tools.bench;

import java.util.List;

/**
 * The SIP exchanges the load generator produces, each a fixed sequence of messages between a user
 * agent A and a peer B (callee, registrar or pinged server), as a capture point between them sees it;
 * and the RTCP reports a media relay sends on the calls.
 *
 * <p>Templates are SIP text or RTCP JSON with fixed-width slots ({@link Slot}) in braces; everything else
 * is literal. {@code {CLEN}} is replaced once, at build time, by the SIP body's length.
 */
public enum Scenario {

    /** INVITE with SDP, 100, 180, 200 with SDP, ACK, BYE, 200. */
    CALL("call", List.of(
            step(true, SipTemplates.INVITE),
            step(false, SipTemplates.TRYING),
            step(false, SipTemplates.RINGING),
            step(false, SipTemplates.INVITE_OK),
            step(true, SipTemplates.ACK),
            step(true, SipTemplates.BYE),
            step(false, SipTemplates.BYE_OK))),

    /** INVITE with SDP, 100, 486 Busy Here, ACK. */
    BUSY("busy", List.of(
            step(true, SipTemplates.INVITE),
            step(false, SipTemplates.TRYING),
            step(false, SipTemplates.BUSY),
            step(true, SipTemplates.BUSY_ACK))),

    /** REGISTER, 401 with a digest challenge, REGISTER with credentials, 200. */
    REGISTER("register", List.of(
            step(true, SipTemplates.REGISTER),
            step(false, SipTemplates.REGISTER_401),
            step(true, SipTemplates.REGISTER_AUTH),
            step(false, SipTemplates.REGISTER_OK))),

    /** OPTIONS keep-alive and its 200. */
    OPTIONS("options", List.of(
            step(true, SipTemplates.OPTIONS),
            step(false, SipTemplates.OPTIONS_OK))),

    /**
     * One RTCP report on the run's latest call (the call scenario started last; before the first one, the
     * first of the run): A's sender report as rtpengine sends it, JSON in HEP type 5 from A's RTCP port to
     * B's, with the call's Call-ID as correlation id. Needs calls in the mix.
     */
    RTCP("rtcp", List.of(
            step(true, RtcpTemplates.SENDER_REPORT)));

    private final String label;
    private final List<Step> steps;

    Scenario(String label, List<Step> steps) {
        this.label = label;
        this.steps = steps;
    }

    /** Whether its messages are RTCP reports on a call of the run rather than SIP of their own exchange. */
    boolean reportsOnCall() {
        return this == RTCP;
    }

    /** The name used on the command line ({@code --mix call=10,...}) and in summaries. */
    public String label() {
        return label;
    }

    /** Messages in this scenario. */
    public int size() {
        return steps.size();
    }

    List<Step> steps() {
        return steps;
    }

    /** The scenario named {@code label}. */
    public static Scenario of(String label) {
        for (Scenario s : values()) {
            if (s.label.equalsIgnoreCase(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scenario " + label + " (expected: call, busy, register, options or rtcp)");
    }

    private static Step step(boolean fromA, String template) {
        return new Step(fromA, template);
    }

    /** One message: who sends it (A, else B) and its template. */
    record Step(boolean fromA, String template) {
    }
}
