package io.hepstack.ingest;

import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageExtractor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The 580 HEPv3 datagrams Kamailio's siptrace sent (fixture README): classic little-endian pcap,
 * Ethernet, IPv4, UDP. Storing them all yields 580 messages in 80 Call-IDs.
 */
final class KamailioCapture {

    static final int MESSAGES = 580;
    static final int CALL_IDS = 80;

    private KamailioCapture() {
    }

    static List<byte[]> hepDatagrams() {
        String name = "/fixtures/kamailio-siptrace/hep.pcap";
        try (InputStream in = KamailioCapture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            b.position(24);                                   // pcap global header
            List<byte[]> out = new ArrayList<>();
            while (b.remaining() >= 16) {
                b.position(b.position() + 8);                 // ts_sec, ts_usec
                int captured = b.getInt();                    // incl_len
                b.getInt();                                   // orig_len
                byte[] frame = new byte[captured];
                b.get(frame);
                int ipHeader = (frame[14] & 0x0f) * 4;        // after 14 bytes of Ethernet: IPv4 IHL
                out.add(Arrays.copyOfRange(frame, 14 + ipHeader + 8, frame.length)); // after the UDP header
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All datagrams back to back, as a TCP stream carries them. */
    static byte[] stream() {
        return stream(hepDatagrams());
    }

    /** Datagrams back to back, as a TCP stream carries them. */
    static byte[] stream(List<byte[]> d) {
        int size = d.stream().mapToInt(x -> x.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        d.forEach(out::put);
        return out.array();
    }

    /** A SIP Call-ID header line up to its value (full or compact form, RFC 3261 §20.8). */
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(call-id|i)[ \\t]*:[ \\t]*");

    /**
     * The capture as round {@code round} of a load: every Call-ID (and HEP correlation id) prefixed
     * with {@code r<round>-}, so that rounds are told apart in storage.
     */
    static List<byte[]> round(int round) {
        String prefix = "r" + round + "-";
        HepDecoder decoder = new HepDecoder();
        List<byte[]> out = new ArrayList<>();
        for (byte[] d : hepDatagrams()) {
            try {
                HepPacket p = decoder.decode(d);
                String sip = new String(p.payload(), StandardCharsets.ISO_8859_1);
                Matcher m = CALL_ID.matcher(sip);
                byte[] payload = m.replaceAll(r -> Matcher.quoteReplacement(r.group() + prefix))
                        .getBytes(StandardCharsets.ISO_8859_1);
                out.add(HepEncoder.encode(new HepPacket(p.version(), p.ipFamily(), p.ipProto(), p.srcIp(), p.dstIp(),
                        p.srcPort(), p.dstPort(), p.tsSec(), p.tsUsec(), p.protoType(), p.captureId(), p.authKey(),
                        p.correlationId() == null ? null : prefix + p.correlationId(), p.vlan(), p.node(), payload,
                        false, p.chunks())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** How many messages of each Call-ID the datagrams hold, extracted as the collector does. */
    static Map<String, Long> callIdCounts(List<byte[]> datagrams) {
        HepDecoder decoder = new HepDecoder();
        MessageExtractor extractor = new MessageExtractor(ExtractionSettings.DEFAULT);
        Map<String, Long> counts = new TreeMap<>();
        for (byte[] d : datagrams) {
            try {
                counts.merge(String.valueOf(extractor.extract(decoder.decode(d)).callId()), 1L, Long::sum);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return counts;
    }
}
