package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.SipFields;

import java.net.InetAddress;

import static io.hepstack.proto.store.MessageColumn.*;

/**
 * A message with the timestamp it is stored at, after the odd-timestamp rule.
 *
 * @param message       the message
 * @param tsMicros      the {@code ts} column, µs since the epoch
 * @param agentTsMicros the agent's own timestamp when it was replaced, else {@code null}
 */
record StoredRow(CapturedMessage message, long tsMicros, Long agentTsMicros) {

    /** The columns of {@link SipFields}, in COPY order: null for a message that is not parsed SIP. */
    private static final MessageColumn[] SIP_COLUMNS = {CALL_ID, METHOD, STATUS, CSEQ, CSEQ_METHOD, FROM_USER,
            FROM_TAG, TO_USER, TO_TAG, RURI_USER, USER_AGENT, VIA_BRANCH};

    /**
     * Applies the live rule: the agent's timestamp moved by the clock offset the receiver estimated for
     * the agent ({@link io.hepstack.proto.model.Envelope#clockOffsetMicros()}, the agent's time kept in
     * {@code agentTsMicros} when it is not 0); then the odd-timestamp rule: a time still outside
     * {@code [now - retention(kind), now + futureTolerance]} is replaced by {@code nowMicros}, the agent's
     * value kept in {@code agentTsMicros}.
     */
    static StoredRow place(CapturedMessage message, PartitionPolicy policy, long nowMicros) {
        long agent = message.envelope().timestampMicros();
        long offset = message.envelope().clockOffsetMicros();
        long placed = agent;
        if (offset != 0) {
            try {
                placed = Math.addExact(agent, offset);
            } catch (ArithmeticException e) {
                return new StoredRow(message, nowMicros, agent);
            }
        }
        long oldest = nowMicros - Partitions.micros(policy.retentionOf(message.kind()));
        long newest = nowMicros + Partitions.micros(policy.futureTolerance());
        if (placed >= oldest && placed <= newest) {
            return new StoredRow(message, placed, offset == 0 ? null : agent);
        }
        return new StoredRow(message, nowMicros, agent);
    }

    /**
     * The import's rule: a capture's own time is believed whatever its age, from the epoch on, up to
     * {@code now + futureTolerance}; a time outside (before 1970, from a clock set years ahead) is
     * replaced by {@code nowMicros} and kept in {@code agentTsMicros}, as the live rule does.
     */
    static StoredRow placeImported(CapturedMessage message, PartitionPolicy policy, long nowMicros) {
        // a capture's times are its own: no receiver estimated an offset for them
        long agent = message.envelope().timestampMicros();
        long newest = nowMicros + Partitions.micros(policy.futureTolerance());
        if (agent >= 0 && agent <= newest) {
            return new StoredRow(message, agent, null);
        }
        return new StoredRow(message, nowMicros, agent);
    }

    /**
     * Puts every column's value into {@code sink}, in {@link MessageColumn} order: which value of a
     * message is stored in which column, and how a payload is stored (as text when PostgreSQL can keep
     * its bytes as text, else as bytea: exactly one of the two is set).
     */
    void writeTo(ColumnSink sink) {
        CapturedMessage m = message;
        Envelope e = m.envelope();
        sink.timestamptz(TS, tsMicros);
        if (agentTsMicros == null) {
            sink.nul(AGENT_TS_US);
        } else {
            sink.int8(AGENT_TS_US, agentTsMicros);
        }
        sink.text(KIND, m.kind().code());
        sink.int8(CAPTURE_ID, e.captureId());
        text(sink, NODE, e.node());
        sink.int2(PROTO_TYPE, e.protoType());
        sink.int2(IP_FAMILY, e.ipFamily());
        sink.int2(TRANSPORT, e.transport());
        inet(sink, SRC_IP, e.srcIp());
        sink.int4(SRC_PORT, e.srcPort());
        inet(sink, DST_IP, e.dstIp());
        sink.int4(DST_PORT, e.dstPort());
        text(sink, CORRELATION_ID, e.correlationId());
        SipFields sip = m.sip();
        if (sip == null) {
            for (MessageColumn c : SIP_COLUMNS) {
                sink.nul(c);
            }
        } else {
            text(sink, CALL_ID, sip.callId());
            text(sink, METHOD, sip.method());
            if (sip.status() == null) {
                sink.nul(STATUS);
            } else {
                sink.int2(STATUS, sip.status());
            }
            if (sip.cseq() == null) {
                sink.nul(CSEQ);
            } else {
                sink.int8(CSEQ, sip.cseq());
            }
            text(sink, CSEQ_METHOD, sip.cseqMethod());
            text(sink, FROM_USER, sip.fromUser());
            text(sink, FROM_TAG, sip.fromTag());
            text(sink, TO_USER, sip.toUser());
            text(sink, TO_TAG, sip.toTag());
            text(sink, RURI_USER, sip.ruriUser());
            text(sink, USER_AGENT, sip.userAgent());
            text(sink, VIA_BRANCH, sip.viaBranch());
        }
        sink.bool(PARSED, m.parsed());
        if (Utf8.isStorableText(m.payload())) {
            sink.storableText(PAYLOAD_TEXT, m.payload());
            sink.nul(PAYLOAD_BYTES);
        } else {
            sink.nul(PAYLOAD_TEXT);
            sink.bytea(PAYLOAD_BYTES, m.payload());
        }
        if (m.extra() == null) {
            sink.nul(EXTRA);
        } else {
            sink.jsonb(EXTRA, m.extra());
        }
    }

    private static void text(ColumnSink sink, MessageColumn column, String value) {
        if (value == null) {
            sink.nul(column);
        } else {
            sink.text(column, value);
        }
    }

    private static void inet(ColumnSink sink, MessageColumn column, InetAddress value) {
        if (value == null) {
            sink.nul(column);
        } else {
            sink.inet(column, value);
        }
    }

    /**
     * Why the row cannot be encoded for its column types, or {@code null}: PostgreSQL would refuse
     * such a value, so it is reported the way the server reports it (SQLSTATE 22003).
     */
    String unencodable() {
        Envelope e = message.envelope();
        Integer status = message.sip() == null ? null : message.sip().status();
        if (status != null && (status < Short.MIN_VALUE || status > Short.MAX_VALUE)) {
            return "status " + status + " out of range for type smallint";
        }
        for (int v : new int[] {e.protoType(), e.ipFamily(), e.transport()}) {
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                return "value " + v + " out of range for type smallint (proto_type, ip_family, transport)";
            }
        }
        return null;
    }
}
