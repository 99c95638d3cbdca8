package io.hepstack.proto.pcap;

import java.io.IOException;

/**
 * The classic libpcap format: a 24-byte global header, then records of a 16-byte header and the
 * captured bytes. Byte order comes from the magic (libpcap {@code pcap-savefile(5)}).
 */
final class ClassicPcapFile {
    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    /** Largest record the reader accepts whatever the snaplen says, bounding memory. */
    static final long MAX_RECORD = 16L << 20;

    private ClassicPcapFile() {
    }

    static boolean isMagic(int bigEndianMagic) {
        return bigEndianMagic == MAGIC_MICROS || bigEndianMagic == MAGIC_NANOS
                || Integer.reverseBytes(bigEndianMagic) == MAGIC_MICROS
                || Integer.reverseBytes(bigEndianMagic) == MAGIC_NANOS;
    }

    /** Reads the rest of the file after its magic; returns the truncation note, or null. */
    static String read(CaptureInput in, int bigEndianMagic, FrameDecoder sink) throws IOException {
        boolean le = !(bigEndianMagic == MAGIC_MICROS || bigEndianMagic == MAGIC_NANOS);
        boolean nanos = (le ? Integer.reverseBytes(bigEndianMagic) : bigEndianMagic) == MAGIC_NANOS;
        byte[] hdr = new byte[24];
        int n = in.read(hdr, 4, 20);
        if (n < 20) {
            throw new PcapFormatException("global header", 0, (n + 4) + " bytes (expected: 24)");
        }
        int major = Bytes.u16(hdr, 4, le);
        if (major != 2) {
            throw new PcapFormatException("global header", 0, "version " + major + "." + Bytes.u16(hdr, 6, le)
                    + " (expected: 2.4)");
        }
        // Upper bits of the link-type field carry FCS information (pcap-savefile(5)); the type is the low 16.
        int linkType = (int) (Bytes.u32(hdr, 20, le) & 0xFFFF);
        // Like Wireshark, records longer than the snaplen are accepted (GRO/TSO captures have them);
        // only the reader's own cap bounds memory.
        long unitsPerSecond = nanos ? 1_000_000_000L : 1_000_000L;

        byte[] rh = new byte[16];
        long record = 0;
        while (true) {
            long at = in.offset();
            int r = in.read(rh, 0, 16);
            if (r == 0) {
                return null;
            }
            record++;
            if (r < 16) {
                return "record " + record + " at offset " + at + ": header " + r + " of 16 bytes (file ends)";
            }
            long sec = Bytes.u32(rh, 0, le);
            long frac = Bytes.u32(rh, 4, le);
            long caplen = Bytes.u32(rh, 8, le);
            long origlen = Bytes.u32(rh, 12, le);
            if (caplen > MAX_RECORD) {
                throw new PcapFormatException("record " + record, at,
                        "captured length " + caplen + " exceeds the reader's limit " + MAX_RECORD);
            }
            byte[] data = new byte[(int) caplen];
            int got = in.read(data, 0, data.length);
            if (got < data.length) {
                return "record " + record + " at offset " + at + ": " + got + " of " + caplen
                        + " captured bytes (file ends)";
            }
            long micros = sec * 1_000_000L + (frac * 1_000_000L) / unitsPerSecond;
            sink.frame(record, micros, linkType, data, origlen);
        }
    }
}
