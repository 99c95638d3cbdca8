package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;

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

    /**
     * Applies the odd-timestamp rule: an agent timestamp outside
     * {@code [now - retention(kind), now + futureTolerance]} is replaced by {@code nowMicros} and
     * kept in {@code agentTsMicros}.
     */
    static StoredRow place(CapturedMessage message, PartitionPolicy policy, long nowMicros) {
        long agent = message.timestampMicros();
        long oldest = nowMicros - Partitions.micros(policy.retentionOf(message.kind()));
        long newest = nowMicros + Partitions.micros(policy.futureTolerance());
        if (agent >= oldest && agent <= newest) {
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
        sink.timestamptz(TS, tsMicros);
        if (agentTsMicros == null) {
            sink.nul(AGENT_TS_US);
        } else {
            sink.int8(AGENT_TS_US, agentTsMicros);
        }
        sink.text(KIND, m.kind().code());
        sink.int8(CAPTURE_ID, m.captureId());
        text(sink, NODE, m.node());
        sink.int2(PROTO_TYPE, m.protoType());
        sink.int2(IP_FAMILY, m.ipFamily());
        sink.int2(TRANSPORT, m.transport());
        inet(sink, SRC_IP, m.srcIp());
        sink.int4(SRC_PORT, m.srcPort());
        inet(sink, DST_IP, m.dstIp());
        sink.int4(DST_PORT, m.dstPort());
        text(sink, CORRELATION_ID, m.correlationId());
        text(sink, CALL_ID, m.callId());
        text(sink, METHOD, m.method());
        if (m.status() == null) {
            sink.nul(STATUS);
        } else {
            sink.int2(STATUS, m.status());
        }
        if (m.cseq() == null) {
            sink.nul(CSEQ);
        } else {
            sink.int8(CSEQ, m.cseq());
        }
        text(sink, CSEQ_METHOD, m.cseqMethod());
        text(sink, FROM_USER, m.fromUser());
        text(sink, FROM_TAG, m.fromTag());
        text(sink, TO_USER, m.toUser());
        text(sink, TO_TAG, m.toTag());
        text(sink, RURI_USER, m.ruriUser());
        text(sink, USER_AGENT, m.userAgent());
        text(sink, VIA_BRANCH, m.viaBranch());
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
        Integer status = message.status();
        if (status != null && (status < Short.MIN_VALUE || status > Short.MAX_VALUE)) {
            return "status " + status + " out of range for type smallint";
        }
        for (int v : new int[] {message.protoType(), message.ipFamily(), message.transport()}) {
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                return "value " + v + " out of range for type smallint (proto_type, ip_family, transport)";
            }
        }
        return null;
    }
}
