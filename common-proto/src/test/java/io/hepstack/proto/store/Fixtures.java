package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.model.MessagePart;
import io.hepstack.proto.model.SipFields;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/** Messages, policies and SQL helpers for the storage tests. */
final class Fixtures {

    /** 2026-11-22T10:15:30Z, the tests' "now". */
    static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    private Fixtures() {
    }

    /** 1-hour partitions, 2 ahead, every kind kept 6 hours except calls (12 hours); 1 hour of future tolerance. */
    static PartitionPolicy hourly() {
        EnumMap<MessageKind, Duration> keep = new EnumMap<>(MessageKind.class);
        for (MessageKind k : MessageKind.values()) {
            keep.put(k, Duration.ofHours(6));
        }
        keep.put(MessageKind.SIP_CALL, Duration.ofHours(12));
        return new PartitionPolicy(Duration.ofHours(1), 2, keep, Duration.ofHours(1));
    }

    static long micros(Instant i) {
        return io.hepstack.proto.model.Envelope.micros(i);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** A SIP INVITE of a call at {@code ts}, distinguished by {@code captureId}. */
    static Builder invite(long captureId, Instant ts) {
        return new Builder(captureId, ts);
    }

    /** Builder of a CapturedMessage with SIP defaults; every field can be replaced. */
    static final class Builder {
        long ts;
        MessageKind kind = MessageKind.SIP_CALL;
        long captureId;
        String node = "edge-1";
        int protoType = 1;
        int ipFamily = 2;
        int transport = 17;
        InetAddress srcIp = ip("192.0.2.10");
        int srcPort = 5060;
        InetAddress dstIp = ip("198.51.100.20");
        int dstPort = 5080;
        String correlationId = "a84b4c76e66710@pc33.example.com";
        String callId = "a84b4c76e66710@pc33.example.com";
        String method = "INVITE";
        Integer status;
        Long cseq = 314159L;
        String cseqMethod = "INVITE";
        String fromUser = "alice";
        String fromTag = "1928301774";
        String toUser = "bob";
        String toTag;
        String ruriUser = "bob";
        String userAgent = "softphone/1.0";
        String viaBranch = "z9hG4bK776asdhds";
        boolean parsed = true;
        byte[] payload = "INVITE sip:bob@example.com SIP/2.0\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        String extra = "{\"x-leg\":\"a\"}";

        Builder(long captureId, Instant ts) {
            this.captureId = captureId;
            this.ts = micros(ts);
        }

        Builder tsMicros(long v) { ts = v; return this; }
        Builder kind(MessageKind v) { kind = v; return this; }
        Builder node(String v) { node = v; return this; }
        Builder ips(InetAddress src, InetAddress dst) { srcIp = src; dstIp = dst; ipFamily = src instanceof java.net.Inet6Address ? 10 : 2; return this; }
        Builder ports(int src, int dst) { srcPort = src; dstPort = dst; return this; }
        Builder correlationId(String v) { correlationId = v; return this; }
        Builder callId(String v) { callId = v; return this; }
        Builder reply(int code) { method = null; status = code; ruriUser = null; toTag = "as83kd9bs"; return this; }
        Builder status(Integer v) { status = v; return this; }
        Builder fromUser(String v) { fromUser = v; return this; }
        Builder fromTag(String v) { fromTag = v; return this; }
        Builder toTag(String v) { toTag = v; return this; }
        Builder viaBranch(String v) { viaBranch = v; return this; }
        Builder toUser(String v) { toUser = v; return this; }
        Builder ruriUser(String v) { ruriUser = v; return this; }
        Builder userAgent(String v) { userAgent = v; return this; }
        Builder unparsed() {
            parsed = false; callId = null; method = null; status = null; cseq = null; cseqMethod = null;
            fromUser = null; fromTag = null; toUser = null; toTag = null; ruriUser = null; userAgent = null;
            viaBranch = null; return this;
        }
        Builder payload(byte[] v) { payload = v; return this; }
        Builder extra(String v) { extra = v; return this; }

        CapturedMessage build() {
            Envelope envelope = new Envelope(ts, captureId, node, protoType, ipFamily, transport, srcIp, srcPort, dstIp,
                    dstPort, correlationId);
            MessagePart part = parsed ? new SipFields(callId, method, status, cseq, cseqMethod, fromUser, fromTag,
                    toUser, toTag, ruriUser, userAgent, viaBranch) : MessagePart.OPAQUE;
            return new CapturedMessage(envelope, kind, part, payload, extra);
        }
    }

    /** Empties {@code messages} and the batch ledger, and drops every time partition. */
    static void reset(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM ingest_batches");
            s.execute("DELETE FROM call_changes");
            s.execute("DELETE FROM capture_imports");
            for (String name : timePartitions(c)) {
                s.execute("DROP TABLE " + name);
            }
            for (String name : callRecordPartitions(c)) {
                s.execute("DROP TABLE " + name);
            }
        }
    }

    /** Names of the time partitions, sorted. */
    static List<String> timePartitions(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT p.relname FROM pg_inherits ik
                JOIN pg_inherits ip ON ip.inhparent = ik.inhrelid
                JOIN pg_class p ON p.oid = ip.inhrelid
                WHERE ik.inhparent = 'messages'::regclass ORDER BY 1""")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Names of the day partitions of call_records, sorted. */
    static List<String> callRecordPartitions(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid"
                        + " WHERE i.inhparent = 'call_records'::regclass ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
