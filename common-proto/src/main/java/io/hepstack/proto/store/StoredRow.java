package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;

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
