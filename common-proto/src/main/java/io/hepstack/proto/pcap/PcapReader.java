package io.hepstack.proto.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads a classic libpcap or a pcapng capture from a stream and hands its UDP datagrams and
 * reassembled TCP streams to a {@link PcapVisitor}, in capture order.
 *
 * <p>The format is recognised from the first four bytes. Memory is one record at a time plus the
 * reassembly buffers capped by {@link ReassemblyLimits}. A file ending inside a record or block is not
 * an error: reading stops and {@link PcapStats#truncation()} says where. A malformed file structure
 * throws {@link PcapFormatException}; a malformed packet inside a record is skipped and counted.
 * The stream is read to its end but not closed. See {@code docs/pcap.md}.
 */
public final class PcapReader {

    private PcapReader() {
    }

    /** Reads the whole capture with {@link ReassemblyLimits#DEFAULTS}. */
    public static PcapStats read(InputStream in, PcapVisitor visitor) throws IOException {
        return read(in, visitor, ReassemblyLimits.DEFAULTS);
    }

    /**
     * Reads the whole capture.
     *
     * @return what was read, skipped and reassembled
     * @throws PcapFormatException the file structure is malformed
     * @throws IOException         the stream failed
     */
    public static PcapStats read(InputStream in, PcapVisitor visitor, ReassemblyLimits limits) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(visitor, "visitor");
        Objects.requireNonNull(limits, "limits");
        CaptureInput input = new CaptureInput(in);
        byte[] magic = new byte[4];
        int n = input.read(magic, 0, 4);
        if (n < 4) {
            throw new PcapFormatException("file header", 0,
                    n + " bytes (expected: at least 4 for a pcap or pcapng magic)");
        }
        int be = (int) Bytes.u32(magic, 0);
        FrameDecoder decoder = new FrameDecoder(visitor, limits);
        String format;
        String truncation;
        if (be == PcapngFile.SHB_TYPE) {
            format = "pcapng";
            truncation = PcapngFile.read(input, magic, decoder);
        } else if (ClassicPcapFile.isMagic(be)) {
            format = "pcap";
            truncation = ClassicPcapFile.read(input, be, decoder);
        } else {
            throw new PcapFormatException("file header", 0, String.format(
                    "magic 0x%08x (expected: pcap a1b2c3d4 or a1b23c4d in either byte order, or pcapng 0a0d0d0a)", be));
        }
        decoder.finish();
        return decoder.stats(format, truncation);
    }
}
