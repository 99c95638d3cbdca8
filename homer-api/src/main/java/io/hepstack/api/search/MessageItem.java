package io.hepstack.api.search;

import io.hepstack.api.web.Times;
import io.hepstack.proto.model.MessageKind;
import io.r2dbc.spi.Readable;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One message in a search result (no payload).
 *
 * @param id            opaque id for {@code GET /api/v1/messages/{id}}
 * @param timestamp     capture time (µs)
 * @param cseq          CSeq number and method, {@code "1 INVITE"}
 * @param logLevel      a log line's level ({@code error}, {@code warning}...: the log family's
 *                      {@code extra.log.level}), else {@code null}
 * @param transport     {@code UDP}, {@code TCP}, {@code SCTP}, or {@code IP/<number>}
 * @param size          payload bytes
 */
public record MessageItem(
        String id,
        Instant timestamp,
        String callId,
        String correlationId,
        String method,
        Integer status,
        String cseq,
        String fromUser,
        String toUser,
        String ruriUser,
        String userAgent,
        String logLevel,
        String srcIp,
        Integer srcPort,
        String dstIp,
        Integer dstPort,
        String transport,
        Integer protoType,
        Long captureId,
        String node,
        Integer size) {

    /** The columns {@link #of} reads, for a SELECT on {@code messages} (optionally aliased). */
    public static String columns(String alias) {
        String a = alias;
        return a + "id, " + a + "ts, " + a + "kind, " + a + "call_id, " + a + "correlation_id, " + a + "method, "
                + a + "status, " + a + "cseq, " + a + "cseq_method, " + a + "from_user, " + a + "to_user, "
                + a + "ruri_user, " + a + "user_agent, " + a + "extra->'log'->>'level' AS log_level, host("
                + a + "src_ip) AS src_host, " + a + "src_port, host(" + a + "dst_ip) AS dst_host, " + a + "dst_port, " + a + "transport, " + a + "proto_type, "
                + a + "capture_id, " + a + "node, coalesce(octet_length(" + a + "payload_bytes), octet_length("
                + a + "payload_text)) AS size";
    }

    public static MessageItem of(Readable r) {
        Instant ts = r.get("ts", OffsetDateTime.class).toInstant();
        MessageKind kind = MessageKind.ofCode(r.get("kind", String.class));
        long rowId = r.get("id", Long.class);
        Long cseq = r.get("cseq", Long.class);
        String cseqMethod = r.get("cseq_method", String.class);
        Short status = r.get("status", Short.class);
        Short proto = r.get("proto_type", Short.class);
        Short transport = r.get("transport", Short.class);
        return new MessageItem(new MessageId(rowId, Times.micros(ts), kind).encode(), ts,
                r.get("call_id", String.class), r.get("correlation_id", String.class), r.get("method", String.class),
                status == null ? null : status.intValue(),
                cseq == null ? null : cseq + (cseqMethod == null ? "" : " " + cseqMethod),
                r.get("from_user", String.class), r.get("to_user", String.class), r.get("ruri_user", String.class),
                r.get("user_agent", String.class), r.get("log_level", String.class), r.get("src_host", String.class), r.get("src_port", Integer.class),
                r.get("dst_host", String.class), r.get("dst_port", Integer.class),
                transportName(transport == null ? 0 : transport), proto == null ? null : proto.intValue(),
                r.get("capture_id", Long.class), r.get("node", String.class), r.get("size", Integer.class));
    }

    /** The name of an IP protocol number. */
    public static String transportName(int protocol) {
        return switch (protocol) {
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 132 -> "SCTP";
            case 0 -> null;
            default -> "IP/" + protocol;
        };
    }

    /** The public id decoded. */
    public MessageId messageId() {
        return MessageId.decode(id);
    }
}
