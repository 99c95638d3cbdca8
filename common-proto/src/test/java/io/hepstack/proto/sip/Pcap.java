package io.hepstack.proto.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough of a pcap reader for the fixtures: classic libpcap (little-endian, microsecond),
 * Ethernet link type, IPv4 and UDP. Also pulls the SIP payload (chunk 0x000f) out of HEP3.
 */
final class Pcap {
    /** One UDP datagram of a capture. */
    record Datagram(int srcPort, int dstPort, byte[] payload) {
    }

    private Pcap() {
    }

    static List<Datagram> udp(String resource) {
        byte[] bytes;
        try (InputStream in = Pcap.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0xa1b2c3d4 || b.getInt(20) != 1) {
            throw new IllegalArgumentException(resource + ": not a little-endian Ethernet pcap");
        }
        List<Datagram> out = new ArrayList<>();
        int p = 24;                                          // global header
        while (p + 16 <= bytes.length) {
            int captured = b.getInt(p + 8);                  // record header: ts_sec, ts_usec, incl_len, orig_len
            int frame = p + 16;
            p = frame + captured;
            int ip = frame + 14;                             // Ethernet: dst, src, ethertype 0x0800
            if ((bytes[frame + 12] & 0xff) != 0x08 || bytes[frame + 13] != 0x00 || bytes[ip + 9] != 17) {
                continue;                                    // not IPv4/UDP
            }
            int udp = ip + (bytes[ip] & 0x0f) * 4;           // IHL in 32-bit words
            int srcPort = u16(bytes, udp);
            int dstPort = u16(bytes, udp + 2);
            int udpLength = u16(bytes, udp + 4);             // includes its 8-byte header
            out.add(new Datagram(srcPort, dstPort, Arrays.copyOfRange(bytes, udp + 8, udp + udpLength)));
        }
        return out;
    }

    /** The payload chunk (vendor 0, type 0x000f) of a HEP3 packet. */
    static byte[] hep3Payload(byte[] hep) {
        if (hep[0] != 'H' || hep[1] != 'E' || hep[2] != 'P' || hep[3] != '3') {
            throw new IllegalArgumentException("not HEP3");
        }
        int total = u16(hep, 4);                             // "HEP3", u16 total length
        int p = 6;
        while (p + 6 <= total) {
            int type = u16(hep, p + 2);                      // u16 vendor, u16 type, u16 length incl. header
            int length = u16(hep, p + 4);
            if (type == 0x000f) {
                return Arrays.copyOfRange(hep, p + 6, p + length);
            }
            p += length;
        }
        throw new IllegalArgumentException("HEP3 packet without payload chunk");
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }
}
