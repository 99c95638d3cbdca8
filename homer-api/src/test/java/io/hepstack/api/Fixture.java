package io.hepstack.api;

import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.testing.Captures;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.WriteResult;
import io.r2dbc.spi.ConnectionFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Kamailio siptrace capture (common-proto test-jar, {@code /fixtures/kamailio-siptrace/hep.pcap}:
 * 580 HEPv3 messages in 80 Call-IDs) as the collector stores it: decoded with {@link HepDecoder},
 * mapped by {@link MessageExtractor} with the collector's default settings ({@code X-CID} as correlation
 * header), written by
 * {@link MessageWriter}.
 */
public final class Fixture {

    public static final String HEP_PCAP = Captures.KAMAILIO_HEP_PCAP;
    public static final ExtractionSettings SETTINGS = ExtractionSettings.DEFAULT;

    private Fixture() {
    }

    /** The capture's rows, in capture order. */
    public static List<CapturedMessage> kamailio() {
        return Captures.kamailio(SETTINGS);
    }

    /**
     * The Kamailio {@code hlog()} capture (common-proto's test-jar, {@code fixtures/kamailio-hlog}): its log
     * lines (HEP type 100: an error, an info line, one without a level) with the Call-ID
     * {@value #HLOG_CALL_ID} as correlation id, as the collector stores them.
     */
    public static List<CapturedMessage> kamailioLogLines() {
        return Captures.kamailioHlog(SETTINGS, "hlog-error.bin", "hlog-info.bin", "hlog-no-cid.bin");
    }

    /** The whole Kamailio {@code hlog()} capture: the INVITE, its three log lines, the ACK. */
    public static List<CapturedMessage> kamailioCallWithLogLines() {
        return Captures.kamailioHlog(SETTINGS, "invite.bin", "hlog-error.bin", "hlog-info.bin", "hlog-no-cid.bin", "ack.bin");
    }

    /** The Call-ID of the {@code hlog()} capture's call. */
    public static final String HLOG_CALL_ID = "1-17738@127.0.0.1";

    /**
     * A SIP MESSAGE of exactly {@code size} bytes (an X-Pad header fills it) from 10.9.0.1 to 10.9.0.2 at {@code micros},
     * captured by agent 4001 named {@code node}, as the collector stores it: large flows for the byte bounds.
     */
    public static CapturedMessage paddedSip(String callId, long micros, int size, String node) {
        String head = "MESSAGE sip:bob@10.9.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.9.0.1:5060;branch=z9hG4bK-" + micros
                + "\r\nFrom: <sip:alice@10.9.0.1>;tag=a1\r\nTo: <sip:bob@10.9.0.2>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\nX-Pad: ";
        String text = head + "x".repeat(size - head.length() - 4) + "\r\n\r\n";
        io.hepstack.proto.hep.HepPacket p = io.hepstack.proto.hep.HepPacket.builder()
                .addresses(ip("10.9.0.1"), 5060, ip("10.9.0.2"), 5060).ipProto(17).timestampMicros(micros)
                .protoType(io.hepstack.proto.model.HepPayloadType.SIP.number()).captureId(4001).node(node)
                .payload(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
        return new io.hepstack.proto.model.MessageExtractor(SETTINGS).extract(p);
    }

    /** Stores {@code rows} as the collector would have, at their own timestamps. */
    public static void store(ConnectionFactory connections, List<CapturedMessage> rows) {
        long latest = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        // the writer's clock just after the capture, so that every agent timestamp is believed
        Clock clock = Clock.fixed(Instant.ofEpochSecond(latest / 1_000_000 + 60), ZoneOffset.UTC);
        WriteResult result = new MessageWriter(connections, PartitionPolicy.defaults(), clock).write(rows).block();
        if (result == null || !result.rejected().isEmpty()) {
            throw new IllegalStateException("fixture rows rejected: " + (result == null ? "none written" : result.rejected()));
        }
    }

    /** Fresh planner statistics, as autovacuum would have gathered on a live database. */
    public static void analyze(io.hepstack.proto.store.testing.TestDatabase db) {
        try (java.sql.Connection c = db.openJdbc(); java.sql.Statement s = c.createStatement()) {
            s.execute("ANALYZE messages");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An address from an IP literal (no name lookup happens for a literal). */
    /** A SIP request of {@code callId} from 10.9.0.1 to 10.9.0.2 captured at {@code micros}, as the collector stores it. */
    public static CapturedMessage sipRequest(String method, String callId, String node, long micros) {
        String text = method + " sip:bob@10.9.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.9.0.1:5060;branch=z9hG4bK-" + micros
                + "\r\nFrom: <sip:alice@10.9.0.1>;tag=a1\r\nTo: <sip:bob@10.9.0.2>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
        io.hepstack.proto.hep.HepPacket p = io.hepstack.proto.hep.HepPacket.builder()
                .addresses(ip("10.9.0.1"), 5060, ip("10.9.0.2"), 5060).ipProto(17).timestampMicros(micros)
                .protoType(io.hepstack.proto.model.HepPayloadType.SIP.number()).captureId(4001).node(node)
                .payload(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
        return new MessageExtractor(SETTINGS).extract(p);
    }

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    }

    /** Rows newest first, as the search returns them (ties in capture order reversed). */
    public static Comparator<CapturedMessage> newestFirst() {
        return Comparator.comparingLong((CapturedMessage m) -> m.envelope().timestampMicros()).reversed();
    }
}
