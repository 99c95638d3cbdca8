package io.hepstack.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        List<byte[]> d = hepDatagrams();
        int size = d.stream().mapToInt(x -> x.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        d.forEach(out::put);
        return out.array();
    }
}
