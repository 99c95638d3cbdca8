package io.hepstack.proto.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One captured message as it is stored: the row of the {@code messages} table, by meaning. The
 * {@link Envelope} (time, addresses, capture node, correlation id) every message has; the typed
 * {@link MessagePart} its protocol family read from the payload ({@link SipFields} for parsed SIP, a
 * {@link LogLine}, or {@link MessagePart#OPAQUE}); the raw payload, byte-exact; and the decoded extras as a
 * JSON object text (configured headers, SDP media, HEP extra chunks, why SIP did not parse, the fields of a
 * part stored without columns), or {@code null}.
 *
 * <p>A payload that is not SIP, or SIP that does not parse, is still stored and searchable by time,
 * addresses and correlation id. SIP damaged at its end is parsed: its fields come from the header lines
 * before the damage, and {@code extra.sipError} names the damage.
 *
 * @param envelope where and when it was captured
 * @param kind     what the message is, for partitioning and retention
 * @param part     what its protocol family read from the payload
 * @param payload  raw payload, byte-exact
 * @param extra    JSON object text with decoded extras, or {@code null}
 */
public record CapturedMessage(Envelope envelope, MessageKind kind, MessagePart part, byte[] payload, String extra) {

    public CapturedMessage {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(payload, "payload");
    }

    /** This message captured at {@code micros} instead: everything else is the same. */
    public CapturedMessage withTimestampMicros(long micros) {
        return new CapturedMessage(envelope.withTimestampMicros(micros), kind, part, payload, extra);
    }

    /** This message placed by the receiver with the agent's clock offset {@code micros} (see {@link Envelope}). */
    public CapturedMessage withClockOffsetMicros(long micros) {
        return new CapturedMessage(envelope.withClockOffsetMicros(micros), kind, part, payload, extra);
    }

    /** The SIP fields when the payload parsed as SIP, else {@code null}. */
    public SipFields sip() {
        return part instanceof SipFields s ? s : part instanceof VqPublish v ? v.sip() : null;
    }

    /** Whether the payload parsed as SIP (also when damaged at its end): the {@code parsed} column. */
    public boolean parsed() {
        return sip() != null;
    }

    /** The Call-ID of parsed SIP, else {@code null}. */
    public String callId() {
        SipFields s = sip();
        return s == null ? null : s.callId();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedMessage m && envelope.equals(m.envelope) && kind == m.kind
                && part.equals(m.part) && Arrays.equals(payload, m.payload) && Objects.equals(extra, m.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(envelope.timestampMicros(), kind, callId(), envelope.srcPort(), envelope.dstPort(),
                Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        Envelope e = envelope;
        return "CapturedMessage[" + kind.code() + " t=" + e.timestampMicros() + " " + e.srcIp() + ":" + e.srcPort()
                + " -> " + e.dstIp() + ":" + e.dstPort() + " " + part + " payload=" + payload.length + "B]";
    }
}
