package io.hepstack.proto.pcap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** Builds synthetic captures from commented hex in tests. */
final class CaptureBytes {
    private CaptureBytes() {
    }

    /** Concatenates hex fragments; spaces are ignored. */
    static byte[] hex(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append(p.replace(" ", ""));
        }
        return HexFormat.of().parseHex(sb.toString());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** An IPv4/UDP packet 10.0.0.1:5060 -> 10.0.0.2:5080 carrying {@code "OPTIONS"} (checksums not checked by the reader). */
    static final String IPV4_UDP_OPTIONS = ""
            + "45 00 00 23"         // version 4, IHL 5, TOS 0, total length 35
            + "12 34 40 00"         // id 0x1234, DF, fragment offset 0
            + "40 11 00 00"         // TTL 64, protocol 17 (UDP), header checksum (unchecked)
            + "0a 00 00 01"         // source 10.0.0.1
            + "0a 00 00 02"         // destination 10.0.0.2
            + "13 c4 13 d8"         // UDP source port 5060, destination port 5080
            + "00 0f 00 00"         // UDP length 15, checksum 0 (none)
            + "4f 50 54 49 4f 4e 53"; // "OPTIONS"

    /** An IPv6/UDP packet 2001:db8::1:5060 -> 2001:db8::2:5080 carrying {@code "OPTIONS"}. */
    static final String IPV6_UDP_OPTIONS = ""
            + "60 00 00 00"         // version 6, traffic class 0, flow label 0
            + "00 0f 11 40"         // payload length 15, next header 17 (UDP), hop limit 64
            + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01" // source 2001:db8::1
            + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02" // destination 2001:db8::2
            + "13 c4 13 d8"         // UDP source port 5060, destination port 5080
            + "00 0f 00 00"         // UDP length 15, checksum
            + "4f 50 54 49 4f 4e 53"; // "OPTIONS"

    /** A little-endian microsecond classic pcap of the given link type, snaplen 65535, one record per frame. */
    static byte[] classicPcap(int linkType, byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(hex(
                "d4 c3 b2 a1",      // magic a1b2c3d4 little-endian: microseconds
                "02 00 04 00",      // version 2.4
                "00 00 00 00",      // thiszone
                "00 00 00 00",      // sigfigs
                "ff ff 00 00"));    // snaplen 65535
        out.writeBytes(le32(linkType));
        long sec = 1_700_000_000L;
        for (int i = 0; i < frames.length; i++) {
            out.writeBytes(le32(sec));         // ts_sec
            out.writeBytes(le32(i));           // ts_usec: the frame's index
            out.writeBytes(le32(frames[i].length)); // incl_len
            out.writeBytes(le32(frames[i].length)); // orig_len
            out.writeBytes(frames[i]);
        }
        return out.toByteArray();
    }

    static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    /** Reads a capture from bytes, one byte per {@code read} call, to exercise short reads. */
    static PcapStats read(byte[] capture, PcapVisitor visitor) {
        try {
            return PcapReader.read(new TrickleInputStream(capture), visitor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An input stream that returns at most one byte per read, as a slow socket might. */
    static final class TrickleInputStream extends InputStream {
        private final ByteArrayInputStream in;

        TrickleInputStream(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return len == 0 ? 0 : in.read(b, off, 1);
        }

        @Override
        public long skip(long n) {
            return 0; // forces the reader's read-to-skip fallback
        }
    }
}
