package io.hepstack.tools.bench;

import java.util.List;

/**
 * The SIP exchanges the load generator produces, each a fixed sequence of messages between a user
 * agent A and a peer B (callee, registrar or pinged server), as a capture point between them sees it.
 *
 * <p>Templates are SIP text with fixed-width slots ({@link Slot}) in braces; everything else is
 * literal. {@code {CLEN}} is replaced once, at build time, by the body's length.
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
            step(false, SipTemplates.OPTIONS_OK)));

    private final String label;
    private final List<Step> steps;

    Scenario(String label, List<Step> steps) {
        this.label = label;
        this.steps = steps;
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
        throw new IllegalArgumentException("scenario " + label + " (expected: call, busy, register or options)");
    }

    private static Step step(boolean fromA, String template) {
        return new Step(fromA, template);
    }

    /** One message: who sends it (A, else B) and its template. */
    record Step(boolean fromA, String template) {
    }
}
