package io.hepstack.proto.hep;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The HEP datagrams of the Kamailio siptrace fixture (test resources), in capture order. Reads the
 * classic little-endian pcap, Ethernet, IPv4, UDP layout the fixture README describes.
 */
final class KamailioCapture {

    static final String HEP_PCAP = "/fixtures/kamailio-siptrace/hep.pcap";

    private KamailioCapture() {
    }

    static List<byte[]> hepDatagrams() {
        try (InputStream in = KamailioCapture.class.getResourceAsStream(HEP_PCAP)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + HEP_PCAP);
            }
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            b.position(24); // global header
            List<byte[]> out = new ArrayList<>();
            while (b.remaining() >= 16) {
                b.getInt(); // ts_sec
                b.getInt(); // ts_usec
                int incl = b.getInt();
                b.getInt(); // orig_len
                byte[] frame = new byte[incl];
                b.get(frame);
                int ihl = (frame[14] & 0x0f) * 4;            // Ethernet 14, then IPv4 header
                out.add(Arrays.copyOfRange(frame, 14 + ihl + 8, frame.length)); // skip UDP header
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
