package io.hepstack.api.search;

import io.hepstack.api.web.Times;
import io.hepstack.proto.hep.HepTransport;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.query.MessageSelect;
import io.r2dbc.spi.Readable;

import java.time.Instant;
import java.time.OffsetDateTime;

import static io.hepstack.proto.store.MessageColumn.*;

/**
 * One message in a search result (no payload).
 *
 * @param id            opaque id for {@code GET /api/v1/messages/{id}}
 * @param timestamp     capture time (µs)
 * @param cseq          CSeq number and method, {@code "1 INVITE"}
 * @param logLevel      a log line's level ({@code error}, {@code warning}...: the log family's
 *                      {@code extra.log.level}), else {@code null}
 * @param transport     {@code UDP}, {@code TCP}, {@code TLS}, {@code WS}, {@code SCTP} ({@link HepTransport}), or {@code IP/<number>}
 * @param size          payload bytes
 * @param agentClockSkewMicros the agent's clock minus the stored time, µs, when the message was not stored at
 *                      the agent's own time (an agent clock off, estimated by the collector, or an odd
 *                      timestamp: docs/schema.md; negative: the agent was behind), else {@code null}
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
        Integer size,
        Long agentClockSkewMicros) {

    /** The columns {@link #of} reads, for a SELECT on {@code messages} (optionally aliased): {@link MessageSelect#summary}. */
    public static String columns(String alias) {
        return MessageSelect.summary(alias);
    }

    public static MessageItem of(Readable r) {
        Instant ts = r.get(TS.sqlName(), OffsetDateTime.class).toInstant();
        MessageKind kind = MessageKind.ofCode(r.get(KIND.sqlName(), String.class));
        long rowId = r.get("id", Long.class);
        Long cseq = r.get(CSEQ.sqlName(), Long.class);
        String cseqMethod = r.get(CSEQ_METHOD.sqlName(), String.class);
        Short status = r.get(STATUS.sqlName(), Short.class);
        Short proto = r.get(PROTO_TYPE.sqlName(), Short.class);
        Short transport = r.get(TRANSPORT.sqlName(), Short.class);
        return new MessageItem(new MessageId(rowId, Times.micros(ts), kind).encode(), ts,
                r.get(CALL_ID.sqlName(), String.class), r.get(CORRELATION_ID.sqlName(), String.class),
                r.get(METHOD.sqlName(), String.class), status == null ? null : status.intValue(),
                cseq == null ? null : cseq + (cseqMethod == null ? "" : " " + cseqMethod),
                r.get(FROM_USER.sqlName(), String.class), r.get(TO_USER.sqlName(), String.class),
                r.get(RURI_USER.sqlName(), String.class), r.get(USER_AGENT.sqlName(), String.class),
                r.get(MessageSelect.LOG_LEVEL, String.class), r.get(MessageSelect.SRC_HOST, String.class),
                r.get(SRC_PORT.sqlName(), Integer.class), r.get(MessageSelect.DST_HOST, String.class),
                r.get(DST_PORT.sqlName(), Integer.class), HepTransport.labelOf(transport == null ? 0 : transport),
                proto == null ? null : proto.intValue(), r.get(CAPTURE_ID.sqlName(), Long.class),
                r.get(NODE.sqlName(), String.class), r.get(MessageSelect.SIZE, Integer.class),
                skew(r.get(AGENT_TS_US.sqlName(), Long.class), Times.micros(ts)));
    }

    /** {@code agent - stored}, saturated: an agent's value may be any 64-bit number. */
    static Long skew(Long agentMicros, long storedMicros) {
        if (agentMicros == null) {
            return null;
        }
        try {
            return Math.subtractExact(agentMicros, storedMicros);
        } catch (ArithmeticException e) {
            return agentMicros < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }


    /** The public id decoded. */
    public MessageId messageId() {
        return MessageId.decode(id);
    }
}
